import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open, readFile, rename, rm, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Reason, reason } from '../../shared/reasons.js';
import { WriteFailedError } from './errors.js';

/**
 * A JSON Lines file that only ever grows at its end: one record per line. Appending writes the new lines and
 * nothing else, so the bytes a checkpoint writes do not grow with the size of the file. A line torn by a crash
 * (the last one, without its newline) is dropped and cut off before the next append; a damaged line anywhere
 * else is corruption and stops the reader with the file and line named, never a silently shorter file.
 */

export class CorruptFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    /** Records readable before the damage. */
    readonly readable: number,
  ) {
    super(`${file} is damaged at line ${line}: ${reason}`);
    this.name = 'CorruptFileError';
  }
}

export interface LogContents<R> {
  records: R[];
  /** Bytes of whole lines: a torn tail beyond this is cut off before the next append. */
  validBytes: number;
  lines: number;
  /** Bytes of a last line the process did not finish writing (0 when the file ends with a whole line). */
  torn: number;
}

/**
 * Reads every line; `parse` throws (with a reason) on a record of the wrong shape. `onLine` sees each whole
 * line's text first (the ledger chains them to know its month files are the ones it wrote).
 */
export async function readLog<R>(
  file: string,
  parse: (value: unknown) => R,
  onLine?: (text: string) => void,
): Promise<LogContents<R> | null> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const records: R[] = [];
  let start = 0;
  let line = 0;
  while (start < buffer.length) {
    const end = buffer.indexOf(0x0a, start);
    line++;
    if (end === -1) {
      // The last line has no newline: a write the process did not finish. Drop it.
      return { records, validBytes: start, lines: line - 1, torn: buffer.length - start };
    }
    const text = buffer.subarray(start, end).toString('utf8');
    start = end + 1;
    if (text.trim() === '') continue;
    onLine?.(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CorruptFileError(file, line, `not JSON (${(error as Error).message})`, records.length);
    }
    try {
      records.push(parse(value));
    } catch (error) {
      throw new CorruptFileError(file, line, (error as Error).message, records.length);
    }
  }
  return { records, validBytes: buffer.length, lines: line, torn: 0 };
}

/** What the audit trail says of a tail dropped at open: the file, and that nothing before it was touched. */
/** A torn last line, as the trail says it (the reader's words; the file named as it is). */
export function tornWords(file: string, bytes: number, code = 'recovered-torn'): Reason {
  return reason(code, { file, bytes });
}

/** What the store recovered on its way in (a torn line, a stale lock), told to whoever records it. */
export type RecoveryNote = (detail: Reason) => void;

/**
 * Appends lines to one log, one write at a time; can rewrite the whole file atomically (compaction). Appends
 * asked for while a write is under way are written together next (group commit): one open, one write, one fsync
 * for all of them, each caller's promise kept until its lines are on disk. Documents in flight each announce
 * their effects durably; without this every announcement would wait for the fsyncs of all those before it.
 */
export class LogWriter {
  private queue: Promise<unknown> = Promise.resolve();
  /** Lines waiting for the next write, and the promise every one of their callers was given. */
  private batch?: { lines: string[]; done: Promise<void> };
  /** The folder made, and the file known to end with a whole line: checked again only after a failed write. */
  private ready = false;
  /** Writes to disk and lines written: what the tests read to see appends go together. */
  readonly stats = { writes: 0, lines: 0 };

  constructor(
    readonly file: string,
    private validBytes: number | undefined,
    /** fsync after each append: what a checkpoint promises survives a power cut, not only a kill. */
    private readonly durable = true,
  ) {}

  /** Bytes of whole lines in the file. */
  get size(): number {
    return this.validBytes ?? 0;
  }

  /** The synchronous, atomic form of `replace`, for a one-off migration at open. */
  static writeSync(file: string, lines: readonly string[]): void {
    const tmp = tempName(file);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, lines.length > 0 ? `${lines.join('\n')}\n` : '');
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw new WriteFailedError(file, error);
    }
  }

  /**
   * Appends whole lines, after every line asked for before. A write that fails part-way (a full disk) leaves a
   * tail that is not a whole line: it is cut off before the next append, and the error names the file (every
   * append written together with it fails with it: none of their lines counts as written).
   */
  append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return this.serial(async () => undefined);
    const waiting = this.batch;
    if (waiting) {
      for (const line of lines) waiting.lines.push(line);
      return waiting.done;
    }
    const batch = { lines: [...lines] } as { lines: string[]; done: Promise<void> };
    this.batch = batch;
    batch.done = this.serial(async () => {
      // Once its write begins nothing joins it: later lines wait for the next one.
      if (this.batch === batch) this.batch = undefined;
      await this.write(batch.lines);
    });
    return batch.done;
  }

  private async write(lines: readonly string[]): Promise<void> {
    try {
      if (!this.ready) {
        mkdirSync(dirname(this.file), { recursive: true });
        // A file that did not exist yet has no whole line: a first append that failed part-way is cut back too.
        if (this.validBytes === undefined && !existsSync(this.file)) this.validBytes = 0;
        // A torn last line (read at open, or left by a write that failed) is cut off before anything follows it.
        if (this.validBytes !== undefined && existsSync(this.file)) await truncate(this.file, this.validBytes);
      }
      const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const handle = await open(this.file, 'a');
      try {
        await handle.write(text);
        if (this.durable) await handle.datasync();
      } finally {
        await handle.close();
      }
      this.validBytes = (this.validBytes ?? 0) + text.length;
      this.ready = true;
      this.stats.writes++;
      this.stats.lines += lines.length;
    } catch (error) {
      this.ready = false;
      throw new WriteFailedError(this.file, error);
    }
  }

  /** Replaces the file with exactly these lines: a temp file of its own name, then a rename; never a temp left. */
  replace(lines: readonly string[]): Promise<void> {
    // Lines appended before the rewrite are written before it; those asked for after it, after it.
    this.batch = undefined;
    return this.serial(async () => {
      const tmp = tempName(this.file);
      const text = Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
      try {
        // A full disk fails the write (or the sync): the half-written temp file goes with it.
        mkdirSync(dirname(this.file), { recursive: true });
        const handle = await open(tmp, 'w');
        try {
          await handle.write(text);
          if (this.durable) await handle.datasync();
        } finally {
          await handle.close();
        }
        await rename(tmp, this.file);
      } catch (error) {
        await rm(tmp, { force: true });
        throw new WriteFailedError(this.file, error);
      }
      this.validBytes = text.length;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Temp files a killed process left in one folder (ours and lowdb's writer's, `.<name>.tmp`): removed at open,
 * while the data folder's lock is held, so none is ever another process's file in flight. Not recursive: a
 * folder below (the demo company's) has a lock of its own.
 */
export function removeStaleTempFiles(dir: string): string[] {
  const removed: string[] = [];
  if (!existsSync(dir)) return removed;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !/^\..+\.tmp$/.test(entry.name)) continue;
    const path = join(dir, entry.name);
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/** A temp file beside the target with a name of its own: two processes never share one. */
function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}
