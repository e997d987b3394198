import { join } from 'node:path';
import { systemTimeZone } from '../../shared/dates.js';
import { formatReason } from '../../shared/reason-format.js';
import { day, type Reason, reason } from '../../shared/reasons.js';
import { CorruptFileError, LogWriter, removeStaleTempFiles } from './append-log.js';
import { AuditTrail } from './audit.js';
import { DataFolderError } from './errors.js';
import { IntentLog } from './intents.js';
import { Ledger, LedgerDamagedError, MissingMonthError } from './ledger.js';
import { DataFolderLock, type LockOptions } from './lock.js';
import { assertReadableFormat, SyncState } from './state-file.js';

export type { AuditInput, ChainedAuditEntry } from './audit.js';
export { DataFolderError, WriteFailedError } from './errors.js';
export { DataFolderBusyError } from './lock.js';

/** Everything the app keeps in its data folder, opened together, written by one process at a time. */
export interface Store {
  dir: string;
  ledger: Ledger;
  audit: AuditTrail;
  state: SyncState;
  /** Effects announced before they happen and settled once recorded (write-ahead; see intents.ts). */
  intents: IntentLog;
  /**
   * Audit first, then its anchors, then the ledger: a ledger state never exists without the audit entry that
   * explains it. Checkpoints run one after another, whoever asks.
   */
  checkpoint(): Promise<void>;
  /** Checkpoints and lets go of the data folder. */
  close(): Promise<void>;
  /** From now on, audit months are this zone's (a store opened before its company's settings were read). */
  setTimeZone(timeZone: () => string): void;
}

export interface StoreOptions {
  now?: () => Date;
  /** The company's time zone, asked at each entry: audit months are the company's (default: the computer's). */
  timeZone?: () => string;
  /** Take the data folder's lock (default: yes, failing at once if another process holds it). */
  lock?: LockOptions | false;
  /** Runs first at every checkpoint (demo mode writes its sandboxes' state: never behind the ledger). */
  onCheckpoint?: () => void;
  /**
   * Open a damaged audit trail to look at it (verify-audit) or to go on from it (accept-audit-damage): nothing is
   * appended to it until the damage is accepted. Otherwise a damaged trail stops the store.
   */
  inspect?: boolean;
  /**
   * A ledger month to rebuild (repair): its file is set aside as it is and the month starts empty; the repair
   * job then reads it again from Visma and AvaTax.
   */
  repairMonth?: string;
}

export async function openStore(dir: string, options: StoreOptions | (() => Date) = {}): Promise<Store> {
  const opts: StoreOptions = typeof options === 'function' ? { now: options } : options;
  const now = opts.now ?? (() => new Date());
  const recovered: Reason[] = [];
  const lockOptions = opts.lock === false ? undefined : opts.lock;
  const lock =
    opts.lock === false
      ? undefined
      : await DataFolderLock.acquire(dir, {
          command: 'Visma–Avalara Tax Sync',
          ...lockOptions,
          onStaleRecovered: (h) => {
            recovered.push(
              reason('recovered-lock', { command: h.command, pid: String(h.pid), since: day(h.startedAt) }),
            );
            lockOptions?.onStaleRecovered?.(h);
          },
        });
  try {
    assertReadableFormat(dir);
    for (const folder of [dir, join(dir, 'ledger'), join(dir, 'audit')])
      for (const file of removeStaleTempFiles(folder)) recovered.push(reason('recovered-temp-file', { file }));
    const state = await SyncState.open(dir, (detail) => recovered.push(detail));
    let timeZone = opts.timeZone ?? systemTimeZone;
    const audit = await AuditTrail.open(dir, now, state.auditAnchors, () => timeZone());
    if (audit.damage && !opts.inspect) {
      // The data folder's own error and incident file are in English (logs, the command line); the trail keeps the code.
      const problem = formatReason(audit.damage.problem, 'en');
      recordIncident(dir, now(), { file: audit.damage.file, problem });
      throw new DataFolderError(audit.damage.file, problem, RESTORE_AUDIT);
    }
    recovered.push(...audit.torn);
    const note = (detail: Reason) => audit.append({ runId: 'store', actor: 'cli', action: 'recovered', detail });
    for (const detail of recovered) note(detail);
    const intents = await IntentLog.open(dir, now, note);
    let ledger: Ledger;
    try {
      ledger = await Ledger.open(
        dir,
        note,
        state.ledgerAnchors,
        opts.repairMonth
          ? { month: opts.repairMonth, suffix: `damaged-${now().toISOString().replace(/[:.]/g, '-')}` }
          : undefined,
      );
    } catch (error) {
      const stop = asDataFolderError(error);
      audit.append({ runId: 'store', actor: 'cli', action: 'data-file-damaged', detail: (stop as Error).message });
      await audit
        .flush()
        .then((a) => state.saveAnchors(a))
        .catch(() => undefined);
      throw stop;
    }
    let queue: Promise<unknown> = Promise.resolve();
    const checkpoint = () => {
      const next = queue.then(async () => {
        opts.onCheckpoint?.();
        // The audit trail first (a ledger state never exists without the entry that explains it), then the
        // ledger, then one write of both anchors: a crash in between leaves files ahead of their anchors, which
        // the next open takes for what they are (ours, written just before), never for damage.
        let auditAnchors = await audit.flush();
        try {
          await ledger.flush();
          // Documents go on being recorded while the files are written: a row put meanwhile may be in the ledger
          // just written while the entry explaining it came after the trail's write. Those entries go to disk now,
          // not at the next checkpoint (a kill in between would leave the row without its entry).
          auditAnchors = await audit.flush();
        } finally {
          await state.saveAnchors(auditAnchors, ledger.anchorsOfMonths());
        }
        // Last: an intent closes only once what records its outcome is on disk.
        await intents.flush();
      });
      queue = next.catch(() => undefined);
      return next.catch((error) => {
        throw asDataFolderError(error);
      });
    };
    return {
      dir,
      ledger,
      audit,
      state,
      intents,
      checkpoint,
      setTimeZone(zone) {
        timeZone = zone;
      },
      async close() {
        try {
          await checkpoint();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw asDataFolderError(error);
  }
}

/** Damage found while reading becomes a stop with the file named and the way back explained. */
export function asDataFolderError(error: unknown): unknown {
  if (error instanceof CorruptFileError)
    return new DataFolderError(
      error.file,
      `damaged at line ${error.line} (${error.reason}); ${error.readable} records before it are readable`,
      error.file.endsWith('intents.jsonl') ? RESTORE_INTENTS : repairAdvice(error.file),
    );
  if (error instanceof MissingMonthError)
    return new DataFolderError(
      error.file,
      'the file is missing, but the ledger recorded documents in it',
      repairAdvice(error.file),
    );
  if (error instanceof LedgerDamagedError)
    return new DataFolderError(error.file, error.message.slice(error.file.length + 2), repairAdvice(error.file));
  return error;
}

/** What to do about a damaged ledger month: restore it, or have the app rebuild it from the two services. */
function repairAdvice(file: string): string {
  const month = /(\d{4}-\d{2}|undated)\.jsonl?$/.exec(file)?.[1];
  const repair = month && month !== 'undated' ? `repair --month ${month}` : 'repair --month YYYY-MM';
  return `Nothing was changed and the file was left as it is. Restore it from your backup, or run \`${repair}\` (Month-end → Repair in the app): it rebuilds that month's documents from Visma and AvaTax, keeps the audit trail, and says what it restored`;
}

const RESTORE_INTENTS =
  'Nothing was changed and the file was left as it is. Restore it from your backup. It lists the effects on Visma and AvaTax that were announced and not yet recorded: without it, reprocess the documents of the last run so each is read again from both services';

const RESTORE_AUDIT =
  'Nothing more is written to the trail until this is resolved. Restore the file from your backup; `verify-audit --month YYYY-MM` says what is wrong. Without a backup, `accept-audit-damage --reason "…"` records the damage in the trail and continues from what is on disk';

/**
 * The damage goes on record in a file of its own (`audit/damaged-<time>.jsonl`), never appended to the trail it
 * is about: the month files stay exactly as they were found.
 */
function recordIncident(dir: string, at: Date, damage: { file: string; problem: string }): void {
  const file = join(dir, 'audit', `damaged-${at.toISOString().replace(/[:.]/g, '-')}.jsonl`);
  try {
    LogWriter.writeSync(file, [
      JSON.stringify({ at: at.toISOString(), action: 'data-file-damaged', file: damage.file, detail: damage.problem }),
    ]);
  } catch {
    // A disk that will not take this small file will say so again at the next write; the stop is what matters.
  }
}
