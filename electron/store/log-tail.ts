import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The last whole line of a JSON Lines file, read from its end only (a month of audit can be tens of
 * megabytes; starting the app must not read it all), and the length of the file up to that line's newline.
 */
export function readLastLine(file: string, chunk = 64 * 1024): { lastLine?: string; validBytes: number } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    let end = size;
    let tail = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const part = Buffer.alloc(end - start);
      readSync(fd, part, 0, part.length, start);
      tail = Buffer.concat([part, tail]);
      end = start;
      const lastNewline = tail.lastIndexOf(0x0a);
      if (lastNewline === -1) continue;
      // Whatever follows the last newline was never finished (a crash mid-append): it is not part of the file.
      const validBytes = end + lastNewline + 1;
      const before = tail.lastIndexOf(0x0a, lastNewline - 1);
      if (before === -1 && end > 0) continue;
      const line = tail.subarray(before + 1, lastNewline).toString('utf8');
      return { lastLine: line.trim() === '' ? undefined : line, validBytes };
    }
    return { lastLine: undefined, validBytes: 0 };
  } finally {
    closeSync(fd);
  }
}
