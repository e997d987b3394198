import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import type { RunSummary } from '../../shared/domain.js';
import { storedReasonShape } from '../../shared/ledger-document.js';
import type { ClosedMonthChange, MonthClosing } from '../../shared/month.js';
import { reason, type StoredReason } from '../../shared/reasons.js';
import type { VismaDocumentKind } from '../connectors/visma/types.js';
import { CorruptFileError, type LogContents, LogWriter, type RecoveryNote, readLog, tornWords } from './append-log.js';
import type { AuditAnchors } from './audit.js';
import { DataFolderError, WriteFailedError } from './errors.js';
import type { MonthAnchor } from './line-chain.js';

/**
 * The small index file (`state.json`): the watermark per document kind, the audit trail's anchors and the
 * clock offset learned from Visma. Checked field by field on load: a wrong type stops with the file and the
 * field named, never a raw crash in the middle of a run. The run history is a log of its own (`runs.jsonl`).
 */
const serverTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/, 'a Visma time such as 2026-11-20T14:03:00.000');
const anchor = z.object({
  count: z.number().int().nonnegative(),
  lastHash: z.string().regex(/^[0-9a-f]{64}$|^genesis$/),
});

const counts = z.record(z.string(), z.number().int().nonnegative());
/** A ledger month as last written: its line chain, live documents and bytes (see electron/store/ledger.ts). */
const monthAnchor = z.object({
  lines: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$|^genesis$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
const closingSchema = z.object({
  month: z.string(),
  closedAt: z.string(),
  by: z.string(),
  counts,
  vatBase: z.number().int(),
  domesticVat: z.number().int().optional(),
  ossVat: z.number().int().optional(),
  note: z.string().optional(),
});
const closedChangeSchema = z.object({
  month: z.string(),
  key: z.string(),
  referenceNumber: z.string(),
  at: z.string(),
  // A code with its parameters (checked as the ledger checks a reason), or English text from before codes.
  detail: storedReasonShape as unknown as z.ZodType<StoredReason>,
});
/** At most this many unacknowledged changes to closed months are kept (the audit trail has every one). */
const MAX_CLOSED_CHANGES = 1000;
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-11-01');

/**
 * A backfill: a range of older documents processed at a steady pace, kept here so one stopped (paused, or the
 * app closed or killed) goes on where it was. `cursor` is the listing position of the last document finished;
 * it is written only after the ledger holds that document, so it never runs ahead of what is recorded.
 */
const backfillSchema = z.object({
  id: z.string(),
  from: isoDay,
  to: isoDay,
  perMinute: z.number().int().positive(),
  status: z.enum(['running', 'paused', 'completed']),
  startedAt: z.string(),
  pausedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  cursor: z.string().optional(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  lastError: z.string().optional(),
});
export type BackfillRecord = z.infer<typeof backfillSchema>;

/**
 * The data folder's format: what this version writes. A folder written by a newer version (a higher number) is
 * refused before anything in it is touched: this version would strip what it does not know and take newer
 * audit actions for damage. 3: debit notes (a `debit-note` watermark and `debit-note:` ledger rows, which an
 * older version would refuse or take for damage).
 */
export const DATA_FORMAT = 3;

const stateSchema = z.object({
  /** Absent in folders written before the format was recorded (format 1). */
  format: z.number().int().positive().optional(),
  watermarks: z
    .object({
      invoice: serverTime.optional(),
      'credit-note': serverTime.optional(),
      'debit-note': serverTime.optional(),
    })
    .strict(),
  audit: z
    .object({
      firstMonth: z.string().optional(),
      legacy: z.array(z.string()).optional(),
      months: z.record(z.string(), anchor),
      api: z.record(z.string(), anchor),
    })
    .default({ months: {}, api: {} }),
  /** The ledger's month anchors as of the last checkpoint: the second witness beside ledger/index.jsonl. */
  ledger: z.object({ months: z.record(z.string(), monthAnchor) }).optional(),
  lastRunAt: z.string().optional(),
  /** Visma's clock minus ours, in ms, as last measured from our own writes. */
  serverOffsetMs: z.number().optional(),
  /** Months the accountant closed, and changes seen since to documents of a closed month. */
  closedMonths: z.record(z.string().regex(/^\d{4}-\d{2}$/, 'a month such as 2026-11'), closingSchema).optional(),
  closedMonthChanges: z.array(closedChangeSchema).optional(),
  /** When the deletion check last accounted for every calculated document (electron/engine/deleted.ts). */
  deletionCheckedAt: z.iso.datetime().optional(),
  backfill: backfillSchema.optional(),
});
export type SyncStateFile = z.infer<typeof stateSchema>;

const MAX_RUNS_KEPT = 500;

export class SyncState {
  private constructor(
    private readonly file: string,
    private readonly db: Low<SyncStateFile>,
    private readonly runLog: LogWriter,
    private history: RunSummary[],
    private runLines: number,
  ) {}

  /** `note` is told, in words, what was recovered (a torn run line dropped, a damaged history moved aside). */
  static async open(dir: string, note: RecoveryNote = () => undefined): Promise<SyncState> {
    const file = join(dir, 'state.json');
    const db = new Low<SyncStateFile>(
      new DataFile<SyncStateFile>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }),
      { watermarks: {}, audit: { months: {}, api: {} } },
    );
    let raw: unknown;
    try {
      await db.read();
      raw = db.data;
    } catch (error) {
      throw new DataFolderError(file, `it is not JSON (${(error as Error).message})`, RESTORE_STATE);
    }
    const legacyRuns = Array.isArray((raw as { runs?: unknown })?.runs) ? (raw as { runs: RunSummary[] }).runs : [];
    if (raw && typeof raw === 'object') delete (raw as { runs?: unknown }).runs;
    const parsed = stateSchema.safeParse(raw ?? { watermarks: {} });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new DataFolderError(file, `field ${issue.path.join('.') || '(top)'}: ${issue.message}`, RESTORE_STATE);
    }
    db.data = parsed.data;
    const runsFile = join(dir, 'runs.jsonl');
    const runs = await readRuns(runsFile, note);
    const writer = new LogWriter(runsFile, runs?.validBytes);
    const history = [...legacyRuns, ...(runs?.records ?? [])].slice(-MAX_RUNS_KEPT);
    if (legacyRuns.length > 0) await writer.append(legacyRuns.map((r) => JSON.stringify(r)));
    return new SyncState(file, db, writer, history, (runs?.records.length ?? 0) + legacyRuns.length);
  }

  watermark(kind: VismaDocumentKind): string | undefined {
    return this.db.data.watermarks[kind];
  }

  get auditAnchors(): AuditAnchors {
    return this.db.data.audit as AuditAnchors;
  }

  get serverOffsetMs(): number | undefined {
    return this.db.data.serverOffsetMs;
  }

  get backfill(): BackfillRecord | undefined {
    const b = this.db.data.backfill;
    return b ? structuredClone(b) : undefined;
  }

  /** Written after the ledger is on disk (a checkpoint): the backfill's position never runs ahead of it. */
  async saveBackfill(record: BackfillRecord): Promise<void> {
    this.db.data.backfill = structuredClone(record);
    await this.save();
  }

  runs(): RunSummary[] {
    return this.history;
  }

  lastRun(): RunSummary | undefined {
    return this.history.at(-1);
  }

  /** Written immediately (after the ledger and audit are durable): the watermark must never run ahead. */
  async advance(watermarks: Partial<Record<VismaDocumentKind, string>>): Promise<void> {
    Object.assign(this.db.data.watermarks, watermarks);
    await this.save();
  }

  /** The ledger's month anchors state.json last recorded. */
  get ledgerAnchors(): Record<string, MonthAnchor> {
    return this.db.data.ledger?.months ?? {};
  }

  /** The audit trail's anchors and, when given, the ledger's: one write at the end of each checkpoint. */
  async saveAnchors(anchors: AuditAnchors, ledger?: Record<string, MonthAnchor>): Promise<void> {
    this.db.data.audit = anchors;
    if (ledger) this.db.data.ledger = { months: ledger };
    await this.save();
  }

  async learnServerOffset(offsetMs: number): Promise<void> {
    this.db.data.serverOffsetMs = offsetMs;
    await this.save();
  }

  /** steno writes `.state.json.tmp` and renames it: a failed write leaves the old file whole and no temp. */
  private async save(): Promise<void> {
    this.db.data.format = DATA_FORMAT;
    try {
      await this.db.write(); // the one write of state.json
    } catch (error) {
      rmSync(join(dirname(this.file), `.${basename(this.file)}.tmp`), { force: true });
      throw new WriteFailedError(this.file, error);
    }
  }

  closedMonth(month: string): MonthClosing | undefined {
    return this.db.data.closedMonths?.[month] as MonthClosing | undefined;
  }

  closedMonths(): MonthClosing[] {
    return Object.values(this.db.data.closedMonths ?? {}) as MonthClosing[];
  }

  async closeMonth(closing: MonthClosing): Promise<void> {
    this.db.data.closedMonths = { ...this.db.data.closedMonths, [closing.month]: closing };
    this.db.data.closedMonthChanges = (this.db.data.closedMonthChanges ?? []).filter((c) => c.month !== closing.month);
    await this.save();
  }

  async reopenMonth(month: string): Promise<void> {
    const { [month]: _gone, ...rest } = this.db.data.closedMonths ?? {};
    this.db.data.closedMonths = rest;
    this.db.data.closedMonthChanges = (this.db.data.closedMonthChanges ?? []).filter((c) => c.month !== month);
    await this.save();
  }

  closedMonthChanges(): ClosedMonthChange[] {
    return this.db.data.closedMonthChanges ?? [];
  }

  /** Kept in memory until the next write (the audit entry made with it is the durable record). */
  noteClosedMonthChange(change: ClosedMonthChange): void {
    const list = [...(this.db.data.closedMonthChanges ?? []), change];
    this.db.data.closedMonthChanges = list.slice(-MAX_CLOSED_CHANGES);
  }

  get deletionCheckedAt(): string | undefined {
    return this.db.data.deletionCheckedAt;
  }

  /** Kept in memory until the next write (a checkpoint writes state.json): a lost note only makes a check due. */
  noteDeletionCheck(at: string): void {
    this.db.data.deletionCheckedAt = at;
  }

  async acknowledgeClosedMonthChanges(month: string): Promise<number> {
    const before = this.db.data.closedMonthChanges ?? [];
    this.db.data.closedMonthChanges = before.filter((c) => c.month !== month);
    await this.save();
    return before.length - this.db.data.closedMonthChanges.length;
  }

  async recordRun(summary: RunSummary): Promise<void> {
    this.history.push(summary);
    if (this.history.length > MAX_RUNS_KEPT) this.history.splice(0, this.history.length - MAX_RUNS_KEPT);
    this.db.data.lastRunAt = summary.finishedAt;
    // The history keeps the last runs; the log is cut back to them once it holds twice as many.
    if (this.runLines + 1 > 2 * MAX_RUNS_KEPT) {
      await this.runLog.replace(this.history.map((r) => JSON.stringify(r)));
      this.runLines = this.history.length;
    } else {
      await this.runLog.append([JSON.stringify(summary)]);
      this.runLines++;
    }
    await this.save();
  }
}

/**
 * The run history. A damaged line would otherwise hide every run on every start (the Overview would show none
 * and the scheduler would catch up on each): the file is moved aside, said so, and the history starts again;
 * the audit trail keeps every run's start and end regardless.
 */
async function readRuns(file: string, note: RecoveryNote): Promise<LogContents<RunSummary> | null> {
  try {
    const runs = await readLog<RunSummary>(file, parseRun);
    if (runs?.torn) note(tornWords(file, runs.torn));
    return runs;
  } catch (error) {
    if (!(error instanceof CorruptFileError) || !existsSync(file)) throw error;
    const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    note(reason('recovered-run-history', { error: error.message, aside }));
    return null;
  }
}

function parseRun(value: unknown): RunSummary {
  const run = value as RunSummary;
  if (typeof run?.runId !== 'string' || typeof run.finishedAt !== 'string')
    throw new Error('a run without its id or end');
  return run;
}

const RESTORE_STATE =
  'Restore state.json from a backup, or delete it: the next sync then reads Visma again from the start date in Settings, and the ledger keeps every document from being sent twice.';

/**
 * Refuses a data folder a newer version wrote, before this version changes anything in it (a stale temp file,
 * a torn line, a lock aside): its state.json names a format this version does not know.
 */
export function assertReadableFormat(dir: string): void {
  const file = join(dir, 'state.json');
  let format: unknown;
  try {
    format = (JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown })?.format;
  } catch {
    return; // Missing or unreadable: SyncState.open says what is wrong with it.
  }
  if (typeof format === 'number' && format > DATA_FORMAT)
    throw new DataFolderError(
      file,
      `this data folder was written by a newer version of Visma–Avalara Tax Sync (data format ${format}; this version reads up to ${DATA_FORMAT})`,
      'Nothing in it was changed. Update the app (or the command line) to the version that wrote it, or point this one at another data folder',
    );
}
