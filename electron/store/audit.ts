import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Low } from 'lowdb';
import { localMonth } from '../../shared/dates.js';
import { AUDIT_ACTIONS, type AuditEntry } from '../../shared/domain.js';
import { monthValue, type Reason, reason, reasons } from '../../shared/reasons.js';
import type { ExchangeSummary } from '../connectors/http.js';
import { CorruptFileError, LogWriter, readLog, tornWords } from './append-log.js';
import { readLastLine } from './log-tail.js';
import { legacyFiles, MONTH, MonthlyFiles } from './monthly-files.js';

export interface ChainedAuditEntry extends AuditEntry {
  /** 1, 2, 3… within its month: the last line alone tells how many entries the month holds. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** What a caller gives; the trail adds the id, the timestamp and the chain. */
export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

/** The last hash and count of a month as of the last checkpoint: kept in state.json and checked by verify. */
export interface AuditAnchor {
  count: number;
  lastHash: string;
}

export interface AuditAnchors {
  firstMonth?: string;
  /** Months written by version 0.1: each is a chain of its own, from genesis. */
  legacy?: string[];
  months: Record<string, AuditAnchor>;
  api: Record<string, AuditAnchor>;
}

interface MonthWrites {
  /** Only the entries appended and not yet written: older ones stay on disk, read when someone asks. */
  entries: { hash: string }[];
}

interface Pending<T> {
  month: string;
  entry: T;
}

type ApiLine = Record<string, unknown> & { at: string; seq: number; prevHash: string; hash: string };

interface Head {
  month: string;
  hash: string;
  seq: number;
}

const GENESIS = 'genesis';

/**
 * The append-only audit trail, one JSON Lines file per month (`audit/2026-11.jsonl`), written through a lowdb
 * adapter that appends only the entries added since its last write: a checkpoint writes what is new, never the
 * month again. One SHA-256 chain runs through every entry and across months (a month's first entry continues
 * the previous month's last hash); the HTTP exchange log (`audit/api-2026-11.jsonl`) has a chain of its own.
 * Each checkpoint's last hash and count per month go to state.json, so a trail cut short, a month deleted, or
 * a file rewritten with a fresh chain fails `verify`.
 */
export class AuditTrail {
  private readonly writes: MonthlyFiles<MonthWrites>;
  private readonly api: MonthlyFiles<MonthWrites>;
  private head: Head = { month: '', hash: GENESIS, seq: 0 };
  private apiHead: Head = { month: '', hash: GENESIS, seq: 0 };
  private pending: Pending<ChainedAuditEntry>[] = [];
  private apiPending: Pending<ApiLine>[] = [];
  private readonly readCache = new Map<string, { size: number; entries: ChainedAuditEntry[] }>();

  private constructor(
    private readonly dir: string,
    private readonly now: () => Date,
    private anchors: AuditAnchors,
    /** The company's time zone: an entry is filed under the company's month of its instant. */
    private readonly timeZone: () => string,
  ) {
    const folder = join(dir, 'audit');
    this.writes = new MonthlyFiles<MonthWrites>(folder, async (_m, file) => appendOnly(file));
    this.api = new MonthlyFiles<MonthWrites>(folder, async (_m, file) => appendOnly(file), 'api-');
  }

  /**
   * Opens the trail: its head is the last whole line of the newest month. A last line the process did not finish
   * writing (a kill, a power cut) is not part of the trail: it is dropped at the next write, and said so here.
   */
  static async open(
    dir: string,
    now: () => Date,
    anchors: AuditAnchors,
    timeZone: () => string = () => 'UTC',
  ): Promise<AuditTrail> {
    const trail = new AuditTrail(dir, now, anchors, timeZone);
    for (const file of legacyFiles(join(dir, 'audit'))) trail.migrate(file);
    trail.head = trail.tailOf(trail.entryMonths().at(-1), '');
    trail.apiHead = trail.tailOf(trail.apiMonths().at(-1), 'api-');
    trail.damage = await trail.checkTail();
    return trail;
  }

  /**
   * Set when the trail on disk does not end where the last checkpoint left it (a month deleted, its last entries
   * cut off, its hashes rewritten): nothing is appended to it then, or the next checkpoint's anchors would cover
   * the damage up. The store stops and says so (see openStore).
   */
  damage?: { file: string; problem: Reason };

  /**
   * The tail against the anchors, before anything is appended: every anchored month still has its file, and the
   * newest anchored month still holds the entry the last checkpoint anchored, unchanged (more entries after it
   * are a checkpoint that wrote the trail but not yet its anchors).
   */
  private async checkTail(): Promise<AuditTrail['damage']> {
    const onDisk = new Set(this.entryMonths());
    const anchored = Object.keys(this.anchors.months).sort();
    for (const month of anchored)
      if (!onDisk.has(month))
        return {
          file: this.writes.file(month),
          problem: reason('audit-damage-month-missing', {
            month: monthValue(month),
            recorded: this.anchors.months[month]!.count,
          }),
        };
    const month = anchored.at(-1);
    if (!month) return undefined;
    const anchor = this.anchors.months[month]!;
    const file = this.writes.file(month);
    const tail = month === this.head.month ? this.head : this.tailOf(month, '');
    if (tail.seq === anchor.count && tail.hash === anchor.lastHash) return undefined;
    if (tail.seq < anchor.count)
      return {
        file,
        problem: reason('audit-damage-cut', { month: monthValue(month), seq: tail.seq, recorded: anchor.count }),
      };
    const entries = await this.readMonth(month).catch(() => []);
    if (entries[anchor.count - 1]?.hash === anchor.lastHash && entries.length === tail.seq) return undefined;
    return {
      file,
      problem: reason('audit-damage-rewritten', { month: monthValue(month), entry: anchor.count }),
    };
  }

  /**
   * Someone looked at a damaged trail and decided to go on without a backup: the trail continues from what is
   * on disk, and says so in its own next entry (who, why, what was wrong). Anchors move to what is there now.
   */
  acceptDamage(why: string, by: AuditInput['actor']): void {
    const damage = this.damage;
    if (!damage) return;
    for (const month of Object.keys(this.anchors.months))
      if (!this.entryMonths().includes(month)) delete this.anchors.months[month];
    const month = this.entryMonths().at(-1);
    if (month) {
      const tail = this.tailOf(month, '');
      this.anchors.months[month] = { count: tail.seq, lastHash: tail.hash };
    }
    // What was noted while the trail was only looked at comes after the acceptance, chained from the disk's tail.
    const waiting = this.pending.splice(0).map(({ entry }) => {
      const { id: _id, at: _at, seq: _seq, prevHash: _p, hash: _h, ...input } = entry;
      return input as AuditInput;
    });
    this.head = this.tailOf(month, '');
    this.damage = undefined;
    this.append({
      runId: 'store',
      actor: by,
      action: 'data-file-damaged',
      detail: reason('audit-damage-accepted', { problem: reasons([damage.problem]), reason: why }),
      data: { file: damage.file },
    });
    for (const input of waiting) this.append(input);
  }

  /** Torn last lines found at open, in words (the store records them as `recovered` once the trail is open). */
  readonly torn: Reason[] = [];

  /** Chains the entry at once (synchronously, so concurrent callers form one chain); written at the checkpoint. */
  append(input: AuditInput): ChainedAuditEntry {
    const at = this.now().toISOString();
    // Never back to an earlier month (a zone changed westwards): the chain runs month after month.
    const month = laterMonth(localMonth(at, this.timeZone()), this.head.month);
    const seq = month === this.head.month ? this.head.seq + 1 : 1;
    const entry = { id: randomUUID(), at, ...input, seq };
    const prevHash = this.head.hash;
    const chained: ChainedAuditEntry = { ...entry, prevHash, hash: hashOf(prevHash, entry) };
    this.head = { month, hash: chained.hash, seq };
    this.pending.push({ month, entry: chained });
    if (!this.anchors.firstMonth) this.anchors.firstMonth = month;
    return chained;
  }

  /** HTTP exchange summaries (already redacted by the connectors), chained, written at the checkpoint. */
  recordExchange(runId: string, summary: ExchangeSummary): void {
    const at = this.now().toISOString();
    const month = laterMonth(localMonth(at, this.timeZone()), this.apiHead.month);
    const seq = month === this.apiHead.month ? this.apiHead.seq + 1 : 1;
    const line = { at, runId, ...summary, seq };
    const prevHash = this.apiHead.hash;
    const hash = hashOf(prevHash, line);
    this.apiHead = { month, hash, seq };
    this.apiPending.push({ month, entry: { ...line, prevHash, hash } });
  }

  /** Appends what is pending; returns the anchors to record (the caller writes them to state.json). */
  async flush(): Promise<AuditAnchors> {
    // A damaged trail is only looked at (verify-audit): nothing is added to it, nor its anchors moved.
    if (this.damage) return this.anchors;
    const entries = this.pending.splice(0);
    const lines = this.apiPending.splice(0);
    await move(entries, this.writes);
    await move(lines, this.api);
    await this.writes.flush();
    await this.api.flush();
    for (const { month, entry } of entries) this.anchors.months[month] = { count: entry.seq, lastHash: entry.hash };
    for (const { month, entry } of lines) this.anchors.api[month] = { count: entry.seq, lastHash: entry.hash };
    return this.anchors;
  }

  months(): string[] {
    return [...new Set([...this.entryMonths(), ...this.pending.map((p) => p.month)])].sort();
  }

  /** Every entry of a month, as on disk plus what is not written yet. */
  async entries(month: string): Promise<ChainedAuditEntry[]> {
    assertMonth(month);
    const onDisk = await this.readMonth(month);
    const unwritten = this.writes.isOpen(month) ? (await this.writes.open(month)).data.entries : [];
    const waiting = this.pending.filter((p) => p.month === month).map((p) => p.entry);
    return [...onDisk, ...(unwritten as ChainedAuditEntry[]), ...waiting];
  }

  async forDocument(key: string, months: string[]): Promise<ChainedAuditEntry[]> {
    const out: ChainedAuditEntry[] = [];
    for (const m of months) out.push(...(await this.entries(m)).filter((e) => e.documentKey === key));
    return out;
  }

  /** Re-walks a month's chain against its neighbours and the anchors; every problem in words. */
  async verify(month: string): Promise<{ count: number; problems: string[] }> {
    assertMonth(month);
    const problems: string[] = [];
    const known = new Set([...this.entryMonths(), ...Object.keys(this.anchors.months)]);
    const onDisk = new Set(this.entryMonths());
    if (!onDisk.has(month) && !known.has(month)) return { count: 0, problems };
    if (!onDisk.has(month)) {
      problems.push(
        `The audit file of ${month} is missing: the trail recorded ${this.anchors.months[month]?.count ?? 'some'} entries for it`,
      );
      return { count: 0, problems };
    }
    let entries: ChainedAuditEntry[];
    try {
      entries = await this.readMonth(month);
    } catch (error) {
      if (error instanceof CorruptFileError) return { count: error.readable, problems: [error.message] };
      throw error;
    }
    const earlier = [...known].filter((m) => m < month).sort();
    const legacy = this.anchors.legacy?.includes(month) ?? false;
    const previous = legacy ? undefined : earlier.at(-1);
    let expected = GENESIS;
    if (previous) {
      if (!onDisk.has(previous)) problems.push(`The audit file of ${previous} is missing`);
      else expected = (await this.readMonth(previous).catch(() => [])).at(-1)?.hash ?? GENESIS;
    }
    problems.push(...walk(entries, expected, month, previous));
    const anchor = this.anchors.months[month];
    if (anchor) {
      if (entries.length < anchor.count)
        problems.push(
          `${anchor.count - entries.length} entries are missing at the end of ${month} (the trail held ${anchor.count})`,
        );
      else if (entries[anchor.count - 1]?.hash !== anchor.lastHash)
        problems.push(`Entries of ${month} were changed: the hash recorded at the last checkpoint no longer matches`);
    }
    problems.push(...(await this.verifyApi(month)));
    return { count: entries.length, problems };
  }

  private async verifyApi(month: string): Promise<string[]> {
    const file = join(this.dir, 'audit', `api-${month}.jsonl`);
    let lines: ({ prevHash: string; hash: string } & Record<string, unknown>)[];
    try {
      lines = (await readLog(file, (v) => v as { prevHash: string; hash: string }))?.records ?? [];
    } catch (error) {
      return [(error as Error).message];
    }
    const problems: string[] = [];
    const anchor = this.anchors.api[month];
    for (let i = 0; i < lines.length; i++) {
      const { prevHash, hash, ...line } = lines[i]!;
      if ((i > 0 && prevHash !== lines[i - 1]!.hash) || hash !== hashOf(prevHash, line)) {
        problems.push(`The HTTP exchange log of ${month} breaks at line ${i + 1}`);
        break;
      }
    }
    if (anchor && (lines.length < anchor.count || lines[anchor.count - 1]?.hash !== anchor.lastHash))
      problems.push(`The HTTP exchange log of ${month} was cut short or changed since the last checkpoint`);
    return problems;
  }

  private async readMonth(month: string): Promise<ChainedAuditEntry[]> {
    const file = this.writes.file(month);
    const size = fileSizeOf(file);
    const cached = this.readCache.get(month);
    if (cached && cached.size === size) return cached.entries;
    const entries = (await readLog(file, parseEntry))?.records ?? [];
    this.readCache.set(month, { size, entries });
    return entries;
  }

  private entryMonths(): string[] {
    return this.writes.monthsOnDisk();
  }

  private apiMonths(): string[] {
    return this.api.monthsOnDisk();
  }

  /** A version 0.1 month (one JSON object) becomes a log once; the old file stays beside it. */
  private migrate(legacyFile: string): void {
    const file = legacyFile.replace(/\.json$/, '.jsonl');
    if (existsSync(file)) return;
    let data: { entries?: unknown[] };
    try {
      data = JSON.parse(readFileSync(legacyFile, 'utf8'));
    } catch (error) {
      throw new CorruptFileError(legacyFile, 1, `not JSON (${(error as Error).message})`, 0);
    }
    const entries = (data.entries ?? []).map((e) => parseEntry(e));
    LogWriter.writeSync(
      file,
      entries.map((e) => JSON.stringify(e)),
    );
    renameSync(legacyFile, `${legacyFile}.migrated`);
    const month = basename(file, '.jsonl');
    this.anchors.legacy = [...new Set([...(this.anchors.legacy ?? []), month])];
    const last = entries.at(-1);
    if (last) this.anchors.months[month] = { count: entries.length, lastHash: last.hash };
  }

  private tailOf(month: string | undefined, prefix: string): Head {
    if (!month) return { month: '', hash: GENESIS, seq: 0 };
    this.readCache.delete(month);
    const file = join(this.dir, 'audit', `${prefix}${month}.jsonl`);
    const tail = readLastLine(file);
    const size = fileSizeOf(file);
    if (tail && size > tail.validBytes) this.torn.push(tornWords(file, size - tail.validBytes));
    let last: { hash?: unknown; seq?: unknown } | undefined;
    try {
      last = tail?.lastLine ? JSON.parse(tail.lastLine) : undefined;
    } catch {
      last = undefined;
    }
    return {
      month,
      hash: typeof last?.hash === 'string' ? last.hash : GENESIS,
      seq: typeof last?.seq === 'number' ? last.seq : 0,
    };
  }
}

/**
 * The lowdb adapter of an append-only month: it never reads the month back (the head comes from the file's
 * last line), and a write appends the entries waiting in memory and then lets go of them.
 */
function appendOnly(file: string): Low<MonthWrites> {
  const tail = readLastLine(file);
  const writer = new LogWriter(file, tail?.validBytes);
  return new Low<MonthWrites>(
    {
      read: async () => ({ entries: [] }),
      write: async (data) => {
        const fresh = data.entries.slice();
        await writer.append(fresh.map((e) => JSON.stringify(e)));
        data.entries.splice(0, fresh.length);
      },
    },
    { entries: [] },
  );
}

/** Hands pending entries to their month's writer. */
async function move<T extends { hash: string }>(
  pending: Pending<T>[],
  files: MonthlyFiles<MonthWrites>,
): Promise<void> {
  for (const { month, entry } of pending) {
    const db = await files.open(month);
    db.data.entries.push(entry);
    files.markDirty(month);
  }
}

function walk(entries: ChainedAuditEntry[], expected: string, month: string, previous?: string): string[] {
  let prev = expected;
  for (let i = 0; i < entries.length; i++) {
    const { prevHash, hash, ...entry } = entries[i]!;
    if (i === 0 && prevHash !== prev) {
      return [
        prevHash === GENESIS && previous
          ? `${month} starts a new chain instead of continuing ${previous}: its file was replaced`
          : `${month} does not continue the chain of ${previous ?? 'the trail'}: entries before it are missing`,
      ];
    }
    if (prevHash !== prev || hash !== hashOf(prev, entry))
      return [
        `The chain of ${month} breaks at entry ${i + 1} of ${entries.length}: the file was changed outside the app`,
      ];
    prev = hash;
  }
  return [];
}

function parseEntry(value: unknown): ChainedAuditEntry {
  const e = value as ChainedAuditEntry;
  if (
    typeof e?.id !== 'string' ||
    typeof e.at !== 'string' ||
    typeof e.hash !== 'string' ||
    typeof e.prevHash !== 'string'
  )
    throw new Error('an audit entry without its id, time or hashes');
  if (!AUDIT_ACTIONS.includes(e.action)) throw new Error(`unknown audit action ${JSON.stringify(e.action)}`);
  return e;
}

/** A month names a file inside the audit folder, and nothing else. */
function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new RangeError(`Not a month: ${JSON.stringify(month.slice(0, 40))}`);
}

function hashOf(prevHash: string, entry: object): string {
  return createHash('sha256').update(prevHash).update(JSON.stringify(entry)).digest('hex');
}

function laterMonth(a: string, b: string): string {
  return a > b ? a : b;
}

function fileSizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
