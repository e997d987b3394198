import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import { DOCUMENT_STATES, type DocumentState, type LedgerDocument } from '../../shared/domain.js';
import { CorruptFileError, LogWriter, readLog, tornWords } from './append-log.js';
import { type LedgerMonth, type LedgerMonthAdapter, migrateLegacyJson, openLedgerMonth } from './ledger-month.js';
import { legacyFiles, MONTH, MonthlyFiles } from './monthly-files.js';

/** A document's partition is its document date's month. */
export function ledgerMonth(doc: Pick<LedgerDocument, 'documentDate'>): string {
  const month = /^\d{4}-\d{2}/.exec(doc.documentDate)?.[0];
  return month && MONTH.test(month) ? month : 'undated';
}

/** What the ledger knows of a document without opening its month: enough for counts, queues and lookups. */
export interface LedgerIndexEntry {
  month: string;
  state: DocumentState;
  customerNumber: string;
}

type IndexLine =
  | { k: string; m: string; s: DocumentState; c: string }
  | { k: string; gone: true }
  | { month: string; bytes: number };

/**
 * The ledger: what the app knows of every Visma document, one upsert log per document month
 * (`ledger/2026-11.jsonl`), opened only when needed. A small index (`ledger/index.jsonl`) keeps each
 * document's month, state and customer, and the size of every month file it describes: a month that changed
 * behind its back (a crash between the two writes) is re-read and its entries rebuilt.
 */
export class Ledger {
  private readonly months: MonthlyFiles<LedgerMonth>;
  private readonly adapters = new Map<string, LedgerMonthAdapter>();
  private readonly index = new Map<string, LedgerIndexEntry>();
  private readonly monthBytes = new Map<string, number>();
  private readonly stagedIndex = new Set<string>();
  private indexLines = 0;
  private indexWriter!: LogWriter;

  private constructor(
    private readonly dir: string,
    private readonly note: (detail: string) => void,
  ) {
    this.months = new MonthlyFiles<LedgerMonth>(join(dir, 'ledger'), async (month, file) => {
      const { db, adapter } = await openLedgerMonth(file, note);
      this.adapters.set(month, adapter);
      return db;
    });
  }

  /** `note` is told, in words, what was recovered on the way (a torn line dropped, the index rebuilt). */
  static async open(dir: string, note: (detail: string) => void = () => undefined): Promise<Ledger> {
    const ledger = new Ledger(dir, note);
    for (const legacy of legacyFiles(join(dir, 'ledger'))) migrateLegacyJson(legacy.replace(/\.json$/, '.jsonl'));
    await ledger.loadIndex();
    return ledger;
  }

  async get(key: string): Promise<LedgerDocument | undefined> {
    const entry = this.index.get(key);
    if (!entry) return undefined;
    return (await this.months.open(entry.month)).data.documents[key];
  }

  entry(key: string): LedgerIndexEntry | undefined {
    return this.index.get(key);
  }

  async put(doc: LedgerDocument): Promise<void> {
    const month = ledgerMonth(doc);
    const previous = this.index.get(doc.key);
    this.setIndex(doc.key, { month, state: doc.state, customerNumber: doc.customerNumber });
    if (previous && previous.month !== month) {
      const old = await this.months.open(previous.month);
      delete old.data.documents[doc.key];
      this.adapters.get(previous.month)?.stage(doc.key);
      this.months.markDirty(previous.month);
    }
    const db = await this.months.open(month);
    db.data.documents[doc.key] = doc;
    this.adapters.get(month)?.stage(doc.key);
    this.months.markDirty(month);
  }

  /** Every document: opens every month (the table and the CLI's list want them all). */
  async all(): Promise<LedgerDocument[]> {
    const out: LedgerDocument[] = [];
    for (const month of this.monthList()) out.push(...(await this.inMonth(month)));
    return out;
  }

  async inMonth(month: string): Promise<LedgerDocument[]> {
    if (!this.monthList().includes(month)) return [];
    return Object.values((await this.months.open(month)).data.documents);
  }

  async byState(...states: DocumentState[]): Promise<LedgerDocument[]> {
    return this.load(this.keys((e) => states.includes(e.state)));
  }

  async findByReference(referenceNumber: string): Promise<LedgerDocument[]> {
    return this.load(this.keys((_e, key) => key.slice(key.indexOf(':') + 1) === referenceNumber));
  }

  keys(filter: (entry: LedgerIndexEntry, key: string) => boolean = () => true): string[] {
    const out: string[] = [];
    for (const [key, entry] of this.index) if (filter(entry, key)) out.push(key);
    return out;
  }

  counts(): Record<DocumentState, number> {
    const counts = Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])) as Record<DocumentState, number>;
    for (const e of this.index.values()) counts[e.state]++;
    return counts;
  }

  get size(): number {
    return this.index.size;
  }

  monthList(): string[] {
    return [...new Set([...this.index.values()].map((e) => e.month))].sort();
  }

  get dirtyCount(): number {
    return this.months.dirtyMonths.length;
  }

  /** Month files first, then the index (with the size of each month it now describes). */
  async flush(): Promise<void> {
    await this.months.flush();
    const lines: string[] = [];
    for (const key of this.stagedIndex) {
      const e = this.index.get(key);
      lines.push(JSON.stringify(e ? { k: key, m: e.month, s: e.state, c: e.customerNumber } : { k: key, gone: true }));
    }
    for (const [month, adapter] of this.adapters) {
      if (this.monthBytes.get(month) !== adapter.size) {
        this.monthBytes.set(month, adapter.size);
        lines.push(JSON.stringify({ month, bytes: adapter.size }));
      }
    }
    const keys = [...this.stagedIndex];
    this.stagedIndex.clear();
    try {
      const live = this.index.size + this.monthBytes.size;
      if (this.indexLines + lines.length > 2 * live + 64) {
        const all = [
          ...[...this.index].map(([k, e]) => JSON.stringify({ k, m: e.month, s: e.state, c: e.customerNumber })),
          ...[...this.monthBytes].map(([month, bytes]) => JSON.stringify({ month, bytes })),
        ];
        await this.indexWriter.replace(all);
        this.indexLines = all.length;
      } else {
        await this.indexWriter.append(lines);
        this.indexLines += lines.length;
      }
    } catch (error) {
      for (const k of keys) this.stagedIndex.add(k);
      for (const month of this.adapters.keys()) this.monthBytes.delete(month);
      throw error;
    }
  }

  private async load(keys: string[]): Promise<LedgerDocument[]> {
    const out: LedgerDocument[] = [];
    for (const key of keys) {
      const doc = await this.get(key);
      if (doc) out.push(doc);
    }
    return out;
  }

  private setIndex(key: string, entry: LedgerIndexEntry): void {
    const old = this.index.get(key);
    if (old && old.month === entry.month && old.state === entry.state && old.customerNumber === entry.customerNumber)
      return;
    this.index.set(key, entry);
    this.stagedIndex.add(key);
  }

  private async loadIndex(): Promise<void> {
    const file = join(this.dir, 'ledger', 'index.jsonl');
    let log: Awaited<ReturnType<typeof readLog<IndexLine>>>;
    try {
      log = await readLog<IndexLine>(file, parseIndexLine);
      if (log?.torn) this.note(tornWords(file, log.torn));
    } catch (error) {
      // The index is derived from the month files: a damaged one is rebuilt from them, never trusted.
      if (!(error instanceof CorruptFileError)) throw error;
      this.note(`${error.message}; the index was rebuilt from the month files, which hold every document`);
      log = null;
    }
    this.indexWriter = new LogWriter(file, log ? log.validBytes : 0);
    for (const line of log?.records ?? []) {
      if ('month' in line) this.monthBytes.set(line.month, line.bytes);
      else if ('gone' in line) this.index.delete(line.k);
      else this.index.set(line.k, { month: line.m, state: line.s, customerNumber: line.c });
    }
    this.indexLines = log?.records.length ?? 0;
    // Months whose file is not the size the index last saw (or that it has never seen) are read again.
    for (const month of this.months.months()) {
      if (this.monthBytes.get(month) !== fileSize(this.months.file(month))) await this.rebuildMonth(month);
    }
    const onDisk = new Set(this.months.months());
    for (const [month, bytes] of this.monthBytes) {
      if (!onDisk.has(month) && bytes > 0) throw new MissingMonthError(this.months.file(month));
    }
  }

  private async rebuildMonth(month: string): Promise<void> {
    for (const [key, e] of this.index) {
      if (e.month === month) {
        this.index.delete(key);
        this.stagedIndex.add(key);
      }
    }
    const db: Low<LedgerMonth> = await this.months.open(month);
    for (const doc of Object.values(db.data.documents))
      this.setIndex(doc.key, { month, state: doc.state, customerNumber: doc.customerNumber });
    this.monthBytes.delete(month);
  }
}

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

function parseIndexLine(value: unknown): IndexLine {
  const v = value as Record<string, unknown>;
  if (typeof v?.month === 'string' && typeof v.bytes === 'number') return { month: v.month, bytes: v.bytes };
  if (typeof v?.k !== 'string') throw new Error('an index line without a key');
  if (v.gone === true) return { k: v.k, gone: true };
  if (typeof v.m !== 'string' || !DOCUMENT_STATES.includes(v.s as DocumentState) || typeof v.c !== 'string')
    throw new Error(`index entry ${v.k} has the wrong shape`);
  return { k: v.k, m: v.m, s: v.s as DocumentState, c: v.c };
}

/** The index knows documents in a month whose file is gone: the ledger would silently lose them. */
export class MissingMonthError extends Error {
  constructor(readonly file: string) {
    super(`${file} is missing, but the ledger's index lists documents in it`);
    this.name = 'MissingMonthError';
  }
}
