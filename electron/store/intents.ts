import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Actor } from '../../shared/domain.js';
import { LogWriter, type RecoveryNote, readLog, tornWords } from './append-log.js';

/**
 * Write-ahead intents: before every effect on Visma or AvaTax (a write-back, a record, a commit, a void, an
 * adjust, a release) and before closing or repairing a month, what is about to happen is written down durably (fsync) with
 * who asked and why; once the effect's outcome is recorded, the intent is settled. A process killed between
 * the effect and its record leaves the intent open: at the next start each open intent is resolved by reading
 * the service and its outcome recorded (jobs/intents.ts), so no effect is ever left without who did it and why.
 *
 * `intents.jsonl`: one line per intent when announced, one line when settled; rewritten empty once every
 * intent in it is settled and it has grown.
 */
export const INTENT_KINDS = [
  'calculate',
  'write-back',
  'record',
  'commit',
  'void',
  'adjust',
  'release',
  'close',
  'repair',
] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

export interface Intent {
  id: string;
  at: string;
  kind: IntentKind;
  runId: string;
  actor: Actor;
  /** Who, in the audit trail's words (the person's name, 'schedule', 'command line'). */
  by: string;
  /** The ledger key and reference of the document, when the effect is on one. */
  key?: string;
  referenceNumber?: string;
  /** The AvaTax code, the month (close), what is sent, in a few words. */
  code?: string;
  month?: string;
  what: string;
  /** The person's reason (accept, adjust, void, close). */
  why?: string;
  /** How the processing that announced it was triggered (a resumed accept or adjust keeps its trigger). */
  trigger?: string;
  /** What a resolution needs to finish the effect's record (a month's closing). */
  data?: Record<string, unknown>;
}

type IntentLine = Intent | { id: string; settled: string; outcome: string };

const COMPACT_AFTER = 2_000;

export class IntentLog {
  private readonly open = new Map<string, Intent>();
  private lines = 0;

  private constructor(
    private readonly writer: LogWriter,
    private readonly now: () => Date,
  ) {}

  /** A damaged line stops the store (CorruptFileError, the file named): an intent is never silently dropped. */
  static async open(dir: string, now: () => Date, note: RecoveryNote = () => undefined): Promise<IntentLog> {
    const file = join(dir, 'intents.jsonl');
    const log = await readLog<IntentLine>(file, parseLine);
    if (log?.torn) note(tornWords(file, log.torn));
    const intents = new IntentLog(new LogWriter(file, log?.validBytes ?? 0), now);
    for (const line of log?.records ?? []) {
      if ('settled' in line) intents.open.delete(line.id);
      else intents.open.set(line.id, line);
    }
    intents.lines = log?.records.length ?? 0;
    return intents;
  }

  /** Intents announced and never settled: the process stopped between an effect and its record. */
  pending(): Intent[] {
    return [...this.open.values()];
  }

  /** Writes the intent down (on disk before this returns) and says its id; the effect may happen now. */
  async announce(intent: Omit<Intent, 'id' | 'at'> & { at: string }): Promise<string> {
    const full: Intent = { id: randomUUID(), ...intent };
    await this.writer.append([JSON.stringify(full)]);
    this.open.set(full.id, full);
    this.lines++;
    return full.id;
  }

  /**
   * The effect's outcome is recorded (or the effect did not happen): the intent closes at the next checkpoint,
   * once what records it is on disk (`flush`, the checkpoint's last step). Until then it stays open, so a kill
   * before the checkpoint resolves it again at the next start: harmless, it reads the service and finds the
   * effect recorded or redoes the record.
   */
  settle(id: string, outcome: string): void {
    if (this.open.has(id)) this.settled.set(id, outcome);
  }

  private readonly settled = new Map<string, string>();

  /** Closes the intents settled since the last checkpoint (called after the ledger and audit are durable). */
  async flush(): Promise<void> {
    if (this.settled.size === 0) return;
    const done = [...this.settled];
    this.settled.clear();
    for (const [id] of done) this.open.delete(id);
    if (this.open.size === 0 && this.lines > COMPACT_AFTER) {
      await this.writer.replace([]);
      this.lines = 0;
      return;
    }
    const at = this.now().toISOString();
    try {
      await this.writer.append(done.map(([id, outcome]) => JSON.stringify({ id, settled: at, outcome })));
    } catch (error) {
      // Still open on disk: settled again at the next checkpoint.
      for (const [id, outcome] of done) this.settled.set(id, outcome);
      throw error;
    }
    this.lines += done.length;
  }
}

function parseLine(value: unknown): IntentLine {
  const v = value as Record<string, unknown>;
  if (typeof v?.id !== 'string') throw new Error('an intent without an id');
  if (typeof v.settled === 'string') return { id: v.id, settled: v.settled, outcome: String(v.outcome ?? '') };
  if (typeof v.kind !== 'string' || !(INTENT_KINDS as readonly string[]).includes(v.kind))
    throw new Error(`intent ${v.id} has an unknown kind ${JSON.stringify(v.kind)}`);
  if (typeof v.at !== 'string' || typeof v.what !== 'string') throw new Error(`intent ${v.id} has the wrong shape`);
  return v as unknown as Intent;
}
