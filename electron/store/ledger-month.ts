import { existsSync, readFileSync, renameSync } from 'node:fs';
import { Low } from 'lowdb';
import type { LedgerDocument } from '../../shared/domain.js';
import { describeRowProblem, ledgerDocumentShape } from '../../shared/ledger-document.js';
import { CorruptFileError, LogWriter, type RecoveryNote, readLog, tornWords } from './append-log.js';
import { EMPTY_CHAIN, extendChain, type LineChain, type MonthAnchor } from './line-chain.js';

export interface LedgerMonth {
  documents: Record<string, LedgerDocument>;
}

type LedgerLine = { key: string; doc: LedgerDocument } | { key: string; deleted: true };

/**
 * The lowdb adapter of one ledger month: an upsert log. A write appends only the documents changed since the
 * last write; when dead lines outnumber live ones the file is rewritten compactly (atomically), so the bytes
 * written per document stay flat however large the month grows.
 */
export class LedgerMonthAdapter {
  private staged = new Set<string>();
  private lines = 0;
  private writer!: LogWriter;
  /** The chain of the lines on disk, as read and then as written. */
  private chain: LineChain = EMPTY_CHAIN;
  private rows = 0;
  /** The chain's hash after each of the line counts the ledger asked to see (`watch`), as read. */
  readonly seen = new Map<number, string>();

  constructor(
    readonly file: string,
    /** Told, in words, what was recovered on reading (a torn last line dropped). */
    private readonly note?: RecoveryNote,
    private readonly hooks: MonthHooks = {},
  ) {}

  /** Bytes of the file as last read or written: the ledger index notices a month changed behind its back. */
  get size(): number {
    return this.writer?.size ?? 0;
  }

  /** What the file holds now: its line chain, its live documents and its bytes. */
  get anchor(): MonthAnchor {
    return { ...this.chain, rows: this.rows, bytes: this.size };
  }

  stage(key: string): void {
    this.staged.add(key);
  }

  async read(): Promise<LedgerMonth | null> {
    migrateLegacyJson(this.file);
    const watched = new Set(this.hooks.watch?.() ?? []);
    let chain = EMPTY_CHAIN;
    const log = await readLog<LedgerLine>(this.file, parseLine, (text) => {
      chain = extendChain(chain, [text]);
      if (watched.has(chain.lines)) this.seen.set(chain.lines, chain.hash);
    });
    this.chain = chain;
    if (log?.torn) this.note?.(tornWords(this.file, log.torn, 'recovered-torn-ledger'));
    this.writer = new LogWriter(this.file, log?.validBytes);
    if (!log) return null;
    const documents: Record<string, LedgerDocument> = {};
    for (const line of log.records) {
      if ('deleted' in line) delete documents[line.key];
      else documents[line.key] = line.doc;
    }
    this.lines = log.records.length;
    this.rows = Object.keys(documents).length;
    return { documents };
  }

  async write(data: LedgerMonth): Promise<void> {
    const keys = [...this.staged];
    this.staged.clear();
    try {
      const live = Object.keys(data.documents).length;
      if (this.lines + keys.length > 2 * live + 64) {
        const all = Object.entries(data.documents).map(([key, doc]) => JSON.stringify({ key, doc }));
        const chain = extendChain(EMPTY_CHAIN, all);
        // The file is about to be replaced whole: the ledger notes what it will be first, so a crash right after
        // the rename is not taken for a file changed outside the app.
        await this.hooks.beforeReplace?.({ ...chain, rows: live, bytes: byteLength(all) });
        await this.writer.replace(all);
        this.lines = all.length;
        this.chain = chain;
      } else {
        const lines = keys.map((key) =>
          JSON.stringify(data.documents[key] ? { key, doc: data.documents[key] } : { key, deleted: true }),
        );
        await this.writer.append(lines);
        this.lines += keys.length;
        this.chain = extendChain(this.chain, lines);
      }
      this.rows = live;
    } catch (error) {
      for (const k of keys) this.staged.add(k);
      throw error;
    }
  }
}

/** What the ledger wants to know of a month file as it is read and written. */
export interface MonthHooks {
  /** Line counts at which to remember the chain's hash while reading (the anchors it may extend). */
  watch?: () => number[];
  /** Told before the file is replaced whole (compaction), with what it will be. */
  beforeReplace?: (anchor: MonthAnchor) => Promise<void>;
}

function byteLength(lines: readonly string[]): number {
  return lines.length > 0 ? Buffer.byteLength(`${lines.join('\n')}\n`, 'utf8') : 0;
}

export async function openLedgerMonth(
  file: string,
  note?: RecoveryNote,
  hooks: MonthHooks = {},
): Promise<{ db: Low<LedgerMonth>; adapter: LedgerMonthAdapter }> {
  const adapter = new LedgerMonthAdapter(file, note, hooks);
  const db = new Low<LedgerMonth>(adapter, { documents: {} });
  await db.read();
  return { db, adapter };
}

function parseLine(value: unknown): LedgerLine {
  const line = value as { key?: unknown; doc?: unknown; deleted?: unknown };
  if (typeof line?.key !== 'string') throw new Error('a ledger line without a key');
  if (line.deleted === true) return { key: line.key, deleted: true };
  const parsed = ledgerDocumentShape.safeParse(upgradeRow(line.doc));
  if (!parsed.success) throw new Error(`document ${line.key}: ${describeRowProblem(parsed.error)}`);
  return { key: line.key, doc: parsed.data as unknown as LedgerDocument };
}

/**
 * Rows written by version 0.1: `already-posted` is posted (AvaTax committed it with the same inputs), and its
 * single `totalTax` was what AvaTax recorded. Lines gain the fields the comparison with Visma reads.
 */
function upgradeRow(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const row = raw as Record<string, unknown>;
  if (!('totalTax' in row) && row.state !== 'already-posted') return raw;
  const { totalTax, ...rest } = row;
  const lines = Array.isArray(rest.lines)
    ? rest.lines.map((l: Record<string, unknown>) => ({
        taxCalculated: l.tax,
        taxCountry: l.country,
        reverseCharge: false,
        ...l,
      }))
    : rest.lines;
  return {
    ...rest,
    lines,
    state: rest.state === 'already-posted' ? 'posted' : rest.state,
    recordedTax: rest.recordedTax ?? totalTax,
  };
}

/**
 * Version 0.1 kept a month as one JSON object (`2026-11.json`). It becomes the upsert log once, row by row
 * validated, and the old file is kept beside it as `.json.migrated`.
 */
export function migrateLegacyJson(file: string): void {
  const legacy = file.replace(/\.jsonl$/, '.json');
  if (existsSync(file) || !existsSync(legacy)) return;
  let data: { documents?: Record<string, unknown> };
  try {
    data = JSON.parse(readFileSync(legacy, 'utf8'));
  } catch (error) {
    throw new CorruptFileError(legacy, 1, `not JSON (${(error as Error).message})`, 0);
  }
  const lines: string[] = [];
  for (const [key, doc] of Object.entries(data.documents ?? {})) {
    const parsed = parseLine({ key, doc });
    lines.push(JSON.stringify(parsed));
  }
  LogWriter.writeSync(file, lines);
  renameSync(legacy, `${legacy}.migrated`);
}
