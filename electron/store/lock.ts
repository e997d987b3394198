import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';

/**
 * One writer per data folder. The desktop app and the CLI each take `taxsync.lock` (created exclusively) before
 * they open the ledger, and a second process either waits, saying who holds it, or stops. A lock left by a
 * process that was killed is recognised (its pid no longer runs on this computer) and taken over. Within one
 * process the lock is shared: the app's own jobs are kept apart by its job slot.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  command: string;
  /**
   * Which boot of the computer, and which process under that pid: a pid names a process only within one boot,
   * and is reused. `bootId` and `processStart` are the system's own (Linux: the boot's id, the process's start
   * in clock ticks; no wall clock involved); `bootedAt` is the boot time where the system has no id. Absent in
   * locks written before they were kept.
   */
  bootId?: string;
  processStart?: string;
  bootedAt?: string;
}

/** What the command line says to do about a busy folder (the app says its own: `LockOptions.busyHint`). */
export const CLI_BUSY_HINT = 'Wait for it to finish (or close the app), or run the command again with --wait SECONDS.';

export class DataFolderBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly dir: string,
    hint: string = CLI_BUSY_HINT,
  ) {
    super(`The data folder ${dir} is in use by ${describeHolder(holder)}. ${hint}`);
    this.name = 'DataFolderBusyError';
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.command} (process ${h.pid} on ${h.hostname}, since ${h.startedAt})`;
}

const held = new Map<string, { count: number }>();
const LOCK_FILE = 'taxsync.lock';

export interface LockOptions {
  command: string;
  /** What to do about a busy folder, in the words of whoever asks (default: the command line's, with --wait). */
  busyHint?: string;
  /** How long to wait for another process, in ms; 0 fails at once. */
  waitMs?: number;
  onWait?: (holder: LockHolder) => void;
  /** Told when a dead process's lock was taken over (the store audits it). */
  onStaleRecovered?: (holder: LockHolder) => void;
  pollMs?: number;
}

export class DataFolderLock {
  private released = false;

  private constructor(readonly file: string) {}

  static async acquire(dir: string, options: LockOptions): Promise<DataFolderLock> {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, LOCK_FILE);
    const mine = held.get(file);
    if (mine) {
      mine.count++;
      return new DataFolderLock(file);
    }
    const deadline = Date.now() + (options.waitMs ?? 0);
    let told = false;
    for (;;) {
      if (tryCreate(file, options.command)) {
        held.set(file, { count: 1 });
        return new DataFolderLock(file);
      }
      const holder = readHolder(file);
      if (holder && isStale(holder)) {
        removeStale(file, holder);
        options.onStaleRecovered?.(holder);
        continue;
      }
      if (!holder) {
        // Created this instant and not written yet, or left half-written by a kill: give it a moment.
        if (ageMs(file) > 5_000) removeStale(file, undefined);
        await sleep(50);
        continue;
      }
      if (Date.now() >= deadline) throw new DataFolderBusyError(holder, dir, options.busyHint);
      if (!told) {
        told = true;
        options.onWait?.(holder);
      }
      await sleep(options.pollMs ?? 200);
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const mine = held.get(this.file);
    if (!mine) return;
    if (--mine.count > 0) return;
    held.delete(this.file);
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function tryCreate(file: string, command: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const holder: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      command,
      bootId: bootId(),
      processStart: processStart(process.pid),
      bootedAt: new Date(Date.now() - uptime() * 1000).toISOString(),
    };
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.hostname === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Only a holder on this computer can be checked. A process that no longer runs left the lock behind; so did one
 * of an earlier boot (its pid may name another process now, after a reboot), and one whose pid now names a
 * process that started at another time.
 */
export function isStale(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  const boot = bootId();
  if (holder.bootId && boot) {
    if (holder.bootId !== boot) return true;
  } else if (holder.bootedAt) {
    // Without the system's boot id: boot times that differ by more than clock drift are two boots.
    const booted = Date.now() - uptime() * 1000;
    if (Math.abs(Date.parse(holder.bootedAt) - booted) > BOOT_SLACK_MS) return true;
  }
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const started = processStart(holder.pid);
  return holder.processStart !== undefined && started !== undefined && started !== holder.processStart;
}

/** Boot times from uptime and the clock agree to within this within one boot. */
const BOOT_SLACK_MS = 5 * 60_000;

/** The system's id of this boot (Linux), undefined elsewhere. */
function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** When a process started, as the system counts it (Linux: clock ticks since boot, /proc/<pid>/stat field 22). */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command (which may hold spaces and parentheses): starttime is the 20th of them.
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Renamed aside first and checked there: when two processes recover the same stale lock, the slower one must
 * not delete the lock the faster one has just created (it puts that one back).
 */
function removeStale(file: string, stale: LockHolder | undefined): void {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // Someone else recovered it first.
  }
  const moved = readHolder(aside);
  const same = stale ? moved?.pid === stale.pid && moved.startedAt === stale.startedAt : !moved;
  try {
    if (same) unlinkSync(aside);
    else renameSync(aside, file);
  } catch {
    // Gone meanwhile: nothing to put back.
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

process.on('exit', () => {
  for (const file of held.keys()) {
    try {
      unlinkSync(file);
    } catch {
      // Nothing to clean.
    }
  }
});
