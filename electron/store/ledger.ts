import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import { DOCUMENT_STATES, type DocumentState, type LedgerDocument } from '../../shared/domain.js';
import { reason } from '../../shared/reasons.js';
import { CorruptFileError, LogWriter, type RecoveryNote, readLog, tornWords } from './append-log.js';
import { type LedgerMonth, type LedgerMonthAdapter, migrateLegacyJson, openLedgerMonth } from './ledger-month.js';
import { EMPTY_CHAIN, type MonthAnchor } from './line-chain.js';
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
  /** A month as written: its bytes and, since anchors were kept, its line chain and live documents. */
  | { month: string; bytes: number; lines?: number; hash?: string; rows?: number }
  /** A month about to be replaced whole (compaction): what it will be. */
  | { month: string; pending: MonthAnchor };

/**
 * The ledger: what the app knows of every Visma document, one upsert log per document month
 * (`ledger/2026-11.jsonl`), opened only when needed. A small index (`ledger/index.jsonl`) keeps each
 * document's month, state and customer, and an **anchor** of every month file it wrote: its bytes, the chain of
 * its lines and its live documents (state.json keeps the same anchors as a second witness). A month file is
 * checked against them whenever it is read: one emptied, cut at a line or edited outside the app stops the
 * run with the file named (`LedgerDamagedError`), never read as fewer documents. A file that only grew past its
 * anchor (a crash between the month's write and the index's) is ours: its index entries are rebuilt from it.
 */
export class Ledger {
  private readonly months: MonthlyFiles<LedgerMonth>;
  private readonly adapters = new Map<string, LedgerMonthAdapter>();
  private readonly index = new Map<string, LedgerIndexEntry>();
  /** Each month file as last written (from the index, then from each write). */
  private readonly anchors = new Map<string, Partial<MonthAnchor> & { bytes: number }>();
  /** A month whose compaction was announced but whose anchor was not written after it. */
  private readonly pending = new Map<string, MonthAnchor>();
  private readonly stagedIndex = new Set<string>();
  /** Documents moved to another month: their old month's line is removed only after the new one is written. */
  private readonly moves = new Map<string, string>();
  private indexLines = 0;
  private indexWriter!: LogWriter;

  private constructor(
    private readonly dir: string,
    private readonly note: RecoveryNote,
    /** state.json's anchors as of its last checkpoint: the second witness. */
    private readonly witness: Record<string, MonthAnchor>,
  ) {
    this.months = new MonthlyFiles<LedgerMonth>(join(dir, 'ledger'), async (month, file) => {
      const { db, adapter } = await openLedgerMonth(file, note, {
        watch: () => this.candidates(month).map((a) => a.lines),
        beforeReplace: (anchor) => this.announce(month, anchor),
      });
      this.adapters.set(month, adapter);
      this.check(month, adapter);
      return db;
    });
  }

  /** `note` is told, in words, what was recovered on the way (a torn line dropped, the index rebuilt). */
  static async open(
    dir: string,
    note: RecoveryNote = () => undefined,
    witness: Readonly<Record<string, MonthAnchor>> = {},
    setAside?: { month: string; suffix: string },
  ): Promise<Ledger> {
    const ledger = new Ledger(dir, note, { ...witness });
    for (const legacy of legacyFiles(join(dir, 'ledger'))) migrateLegacyJson(legacy.replace(/\.json$/, '.jsonl'));
    await ledger.loadIndex(setAside);
    return ledger;
  }

  /**
   * The documents the ledger knew in a month it set aside to be rebuilt (repair): key and state, as its index
   * said. The repair reports against it what it restored and what it could not.
   */
  readonly setAside: { month: string; file?: string; known: Record<string, LedgerIndexEntry> } | undefined;

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
      // Gone from its old month for every reader at once; on disk only once its new month is written (flush).
      const old = await this.months.open(previous.month);
      delete old.data.documents[doc.key];
      if (!this.moves.has(doc.key)) this.moves.set(doc.key, previous.month);
    }
    if (this.moves.get(doc.key) === month) this.moves.delete(doc.key);
    const db = await this.months.open(month);
    db.data.documents[doc.key] = doc;
    this.adapters.get(month)?.stage(doc.key);
    this.months.markDirty(month);
  }

  /**
   * Lets go of every month held in memory but `keep` (each is read again when next asked for): a job that goes
   * through the months in order (a backfill) then holds one month at a time, not every month it has passed. For
   * between two documents, after a checkpoint: a month with unwritten changes is kept.
   */
  letGo(keep: string): void {
    for (const month of [...this.adapters.keys()])
      if (month !== keep && this.months.forget(month)) this.adapters.delete(month);
  }

  /** The months held in memory now, oldest first. */
  get monthsInMemory(): string[] {
    return [...this.adapters.keys()].sort();
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

  /**
   * Month files first, then the index (with the anchor of each month it now describes). A document that moved
   * month is written into its new month before it is removed from its old one: a write that fails between
   * leaves it in both (the index then says which), never in neither.
   */
  async flush(): Promise<void> {
    const sources = new Set(this.moves.values());
    await this.months.flush((month) => !sources.has(month));
    for (const [key, old] of this.moves) {
      this.adapters.get(old)?.stage(key);
      this.months.markDirty(old);
    }
    await this.months.flush();
    this.moves.clear();
    const lines: string[] = [];
    for (const key of this.stagedIndex) {
      const e = this.index.get(key);
      lines.push(JSON.stringify(e ? { k: key, m: e.month, s: e.state, c: e.customerNumber } : { k: key, gone: true }));
    }
    const written: string[] = [];
    for (const [month, adapter] of this.adapters) {
      const anchor = adapter.anchor;
      const known = this.anchors.get(month);
      if (!known || known.bytes !== anchor.bytes || known.hash !== anchor.hash || known.rows !== anchor.rows) {
        this.anchors.set(month, anchor);
        lines.push(JSON.stringify({ month, ...anchor }));
        written.push(month);
      }
    }
    const keys = [...this.stagedIndex];
    this.stagedIndex.clear();
    try {
      const live = this.index.size + this.anchors.size;
      if (this.indexLines + lines.length > 2 * live + 64) {
        const all = [
          ...[...this.index].map(([k, e]) => JSON.stringify({ k, m: e.month, s: e.state, c: e.customerNumber })),
          ...[...this.anchors].map(([month, anchor]) => JSON.stringify({ month, ...anchor })),
        ];
        await this.indexWriter.replace(all);
        this.indexLines = all.length;
      } else {
        await this.indexWriter.append(lines);
        this.indexLines += lines.length;
      }
      for (const month of written) this.pending.delete(month);
    } catch (error) {
      for (const k of keys) this.stagedIndex.add(k);
      for (const month of written) this.anchors.delete(month);
      throw error;
    }
  }

  /** Every month's anchor as of the last flush, for state.json (the second witness). */
  anchorsOfMonths(): Record<string, MonthAnchor> {
    const out: Record<string, MonthAnchor> = {};
    for (const [month, a] of this.anchors)
      if (a.hash !== undefined && a.lines !== undefined && a.rows !== undefined) out[month] = a as MonthAnchor;
    return out;
  }

  /** The anchors a month file may match: the index's, an announced compaction's, state.json's. */
  private candidates(month: string): MonthAnchor[] {
    const known = this.anchors.get(month);
    return [known, this.pending.get(month), this.witness[month]].filter(
      (a): a is MonthAnchor => a !== undefined && a.hash !== undefined && a.lines !== undefined,
    );
  }

  /**
   * The month file as read is one the ledger wrote: it matches an anchor, or continues one (lines appended after
   * the anchor was written: a crash between the two writes). Anything else stops, with the file named.
   */
  private check(month: string, adapter: LedgerMonthAdapter): void {
    const candidates = this.candidates(month);
    if (candidates.length === 0) return;
    const found = adapter.anchor;
    const ours = candidates.some(
      (a) =>
        (a.lines === found.lines && a.hash === found.hash) ||
        (a.lines < found.lines && adapter.seen.get(a.lines) === a.hash) ||
        (a.lines === 0 && found.lines > 0),
    );
    if (!ours) throw new LedgerDamagedError(adapter.file, month, found, candidates[0]!);
  }

  private async announce(month: string, anchor: MonthAnchor): Promise<void> {
    this.pending.set(month, anchor);
    await this.indexWriter.append([JSON.stringify({ month, pending: anchor })]);
    this.indexLines++;
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

  private async loadIndex(setAside?: { month: string; suffix: string }): Promise<void> {
    const file = join(this.dir, 'ledger', 'index.jsonl');
    let log: Awaited<ReturnType<typeof readLog<IndexLine>>>;
    try {
      log = await readLog<IndexLine>(file, parseIndexLine);
      if (log?.torn) this.note(tornWords(file, log.torn));
    } catch (error) {
      // The index is derived from the month files: a damaged one is rebuilt from them, never trusted.
      if (!(error instanceof CorruptFileError)) throw error;
      this.note(reason('recovered-index-rebuilt', { error: error.message }));
      log = null;
    }
    this.indexWriter = new LogWriter(file, log ? log.validBytes : 0);
    for (const line of log?.records ?? []) {
      if ('pending' in line) this.pending.set(line.month, line.pending);
      else if ('month' in line) {
        const { month, ...anchor } = line;
        this.anchors.set(month, anchor);
        this.pending.delete(month);
      } else if ('gone' in line) this.index.delete(line.k);
      else this.index.set(line.k, { month: line.m, state: line.s, customerNumber: line.c });
    }
    this.indexLines = log?.records.length ?? 0;
    if (setAside) await this.putAside(setAside.month, setAside.suffix);
    // A month the index or state.json recorded documents in must still have its file.
    const onDisk = new Set(this.months.months());
    const recorded = new Set([...this.anchors.keys(), ...Object.keys(this.witness)]);
    for (const month of recorded) {
      const rows = this.anchors.get(month)?.rows ?? this.witness[month]?.rows;
      const bytes = this.anchors.get(month)?.bytes ?? this.witness[month]?.bytes ?? 0;
      if (!onDisk.has(month) && ((rows ?? 0) > 0 || bytes > 0)) throw new MissingMonthError(this.months.file(month));
    }
    // Months whose file is not the size the index last saw (or that it has never seen) are read (and checked).
    for (const month of onDisk) {
      if (this.anchors.get(month)?.bytes !== fileSize(this.months.file(month))) await this.rebuildMonth(month);
    }
  }

  /**
   * A month to be rebuilt from Visma and AvaTax (repair): its file is moved aside as it is (kept, never
   * deleted), and the ledger forgets the month, remembering which documents it held.
   */
  private async putAside(month: string, suffix: string): Promise<void> {
    if (!MONTH.test(month)) throw new RangeError(`Not a month: ${JSON.stringify(month)}`);
    const known: Record<string, LedgerIndexEntry> = {};
    for (const [key, e] of this.index) {
      if (e.month !== month) continue;
      known[key] = e;
      this.index.delete(key);
      this.stagedIndex.add(key);
    }
    const file = this.months.file(month);
    let movedTo: string | undefined;
    if (existsSync(file)) {
      movedTo = `${file}.${suffix}`;
      renameSync(file, movedTo);
    }
    this.anchors.delete(month);
    this.pending.delete(month);
    delete this.witness[month];
    // The index forgets the month's anchor at once: the month starts empty, to be rebuilt.
    const empty = { lines: 0, hash: EMPTY_CHAIN.hash, rows: 0, bytes: 0 };
    this.anchors.set(month, empty);
    await this.indexWriter.append([JSON.stringify({ month, ...empty })]);
    this.indexLines++;
    (this as { setAside: Ledger['setAside'] }).setAside = { month, file: movedTo, known };
    this.note(
      movedTo
        ? reason('recovered-month-set-aside', { file, movedTo, count: Object.keys(known).length })
        : reason('recovered-month-missing', { file, count: Object.keys(known).length }),
    );
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
    // Its anchor is written with the entries at the next flush.
    this.anchors.delete(month);
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
  if (typeof v?.month === 'string' && v.pending && typeof v.pending === 'object')
    return { month: v.month, pending: anchorOf(v.pending as Record<string, unknown>) };
  if (typeof v?.month === 'string' && typeof v.bytes === 'number')
    return typeof v.hash === 'string' ? { month: v.month, ...anchorOf(v) } : { month: v.month, bytes: v.bytes };
  if (typeof v?.k !== 'string') throw new Error('an index line without a key');
  if (v.gone === true) return { k: v.k, gone: true };
  if (typeof v.m !== 'string' || !DOCUMENT_STATES.includes(v.s as DocumentState) || typeof v.c !== 'string')
    throw new Error(`index entry ${v.k} has the wrong shape`);
  return { k: v.k, m: v.m, s: v.s as DocumentState, c: v.c };
}

function anchorOf(v: Record<string, unknown>): MonthAnchor {
  const n = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined);
  const lines = n(v.lines);
  const rows = n(v.rows);
  const bytes = n(v.bytes);
  if (lines === undefined || rows === undefined || bytes === undefined || typeof v.hash !== 'string')
    throw new Error('a month anchor of the wrong shape');
  return { lines, hash: v.hash, rows, bytes };
}

/** The index knows documents in a month whose file is gone: the ledger would silently lose them. */
export class MissingMonthError extends Error {
  constructor(readonly file: string) {
    super(`${file} is missing, but the ledger's index lists documents in it`);
    this.name = 'MissingMonthError';
  }
}

/** A month file is not the one the ledger wrote: emptied, cut at a line, or edited outside the app. */
export class LedgerDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly month: string,
    readonly found: MonthAnchor,
    readonly expected: MonthAnchor,
  ) {
    super(`${file}: ${describeDamage(found, expected)}`);
    this.name = 'LedgerDamagedError';
  }
}

function describeDamage(found: MonthAnchor, expected: MonthAnchor): string {
  if (found.lines === 0)
    return `the file is empty, but the ledger recorded ${expected.rows} documents in it at its last write`;
  if (found.lines < expected.lines)
    return `the file ends after ${found.lines} lines (${found.rows} documents), but the ledger wrote ${expected.lines} lines (${expected.rows} documents): lines were cut off or changed outside the app`;
  return `the file is not the one the ledger wrote (${found.rows} documents in it, ${expected.rows} recorded): it was changed outside the app`;
}
