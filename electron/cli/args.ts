import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isRealDate } from '../../shared/dates.js';
import { DOCUMENT_STATES, type DocumentState } from '../../shared/domain.js';
import { isMonth, REASON_MAX, reasonProblem } from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';
import { MAX_PER_MINUTE, perMinuteProblem } from '../month/backfill.js';
import { type DateRange, rangeProblem } from '../month/range.js';

/**
 * Every command-line argument is checked before anything is opened: a bad one is a usage error (exit 2) with a
 * message that says what is expected, never a raw error, a path outside its folder, or a hang.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function month(value: string | undefined, option = '--month'): string {
  if (!value) throw new UsageError(`${option} YYYY-MM is required (a month such as 2026-11)`);
  if (!isMonth(value))
    throw new UsageError(`${option} must be a month such as 2026-11, not ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** A real calendar date (2026-02-30 is not one). */
export function date(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isRealDate(value))
    throw new UsageError(`${option} must be a date such as 2026-11-01, not ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** A Visma document number: letters, digits and a few separators, as the app's own checks allow. */
export function reference(value: string): string {
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\-_/.#]{0,39}$/u.test(value))
    throw new UsageError(`"${value.slice(0, 40)}" is not a document number (such as 260001)`);
  return value;
}

/** A range of document dates: both ends real dates, in order, at most two years. */
export function range(from: string | undefined, to: string | undefined): DateRange | undefined {
  const problem = rangeProblem(from, to);
  if (problem) throw new UsageError(problem);
  return from !== undefined && to !== undefined ? { from, to } : undefined;
}

/** A Visma customer number (such as 10001): letters, digits and a few separators. */
export function customer(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\-_/.]{0,29}$/u.test(value))
    throw new UsageError(`--customer takes a customer number such as 10001, not ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** Documents a minute for a backfill: a whole number from 1 to MAX_PER_MINUTE. */
export function perMinute(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  const problem = perMinuteProblem(n);
  if (Number.isNaN(n) || problem)
    throw new UsageError(
      `--per-minute takes a whole number of documents a minute from 1 to ${MAX_PER_MINUTE}, not ${JSON.stringify(value.slice(0, 20))}`,
    );
  return n;
}

export function state(value: string | undefined): DocumentState | undefined {
  if (value === undefined) return undefined;
  if (!DOCUMENT_STATES.includes(value as DocumentState))
    throw new UsageError(`Unknown state "${value.slice(0, 40)}". States: ${DOCUMENT_STATES.join(', ')}`);
  return value as DocumentState;
}

export function delimiter(value: string | undefined): ',' | ';' | undefined {
  if (value === undefined) return undefined;
  if (value !== ',' && value !== ';') throw new UsageError(`--delimiter must be ',' or ';'`);
  return value;
}

export function seconds(value: string | undefined, option: string, max: number): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > max)
    throw new UsageError(`${option} takes a number of seconds between 0 and ${max}, not "${value.slice(0, 20)}"`);
  return n;
}

/**
 * `TAXSYNC_HTTP_TIMEOUT_SECONDS`: how long one request may take before it counts as lost (default 60 s), for a
 * slow proxy, and for the soak, which has the sandboxes answer late to see timeouts.
 */
export function httpTimeoutMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.TAXSYNC_HTTP_TIMEOUT_SECONDS;
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 0.1 || n > 600)
    throw new UsageError(
      `TAXSYNC_HTTP_TIMEOUT_SECONDS takes a number of seconds between 0.1 and 600, not "${value.slice(0, 20)}"`,
    );
  return Math.round(n * 1000);
}

/** What each command that asks why is called with, so the example in its message is one that works. */
const REASON_EXAMPLES: Record<string, string> = {
  reopen: 'reopen --month 2026-11 --reason "A credit note was booked late"',
  close: 'close --month 2026-11 --reason "Checked with the VAT report"',
  void: 'void VN-INV-260001 --reason "Cancelled web-shop order"',
};

export function reason(value: string | undefined, command: string): string {
  const text = value?.trim() ?? '';
  const problem = reasonProblem(text);
  if (problem)
    throw new UsageError(
      `${command} needs --reason TEXT (why, in a few words, at most ${REASON_MAX} characters; ${formatReason(problem, 'en')}): npm run cli -- ${REASON_EXAMPLES[command] ?? `${command} 260001 --reason "Agreed with the customer"`}`,
    );
  return text;
}

/**
 * A folder to write into: created if missing, and writable. Kernel and device trees (/proc, /sys, /dev) are
 * refused: writing there hangs or means something else than a file.
 */
export function outputFolder(value: string | undefined): string {
  if (!value) throw new UsageError('--out DIR is required: the folder the files are written to');
  return writableFolder(value, '--out');
}

/**
 * The data folder: a folder files can be written to, created when missing. A system folder (/proc, /sys, /dev)
 * is refused before anything touches it (creating a folder under /proc never returns).
 */
export function dataFolder(value: string): string {
  return writableFolder(value, '--data-dir');
}

function writableFolder(value: string, option: string): string {
  const dir = resolve(value);
  const real = existingAncestor(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(real))
    throw new UsageError(`${option} ${dir}: not a folder files can be written to`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`${option} ${dir}: the folder cannot be created (${reasonOf(error)})`);
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`${option} ${dir} is a file, not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${option} ${dir}: the folder is not writable (${reasonOf(error)})`);
  }
  return dir;
}

function existingAncestor(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'the disk is full',
    ENOENT: 'no such folder',
    ENOTDIR: 'a part of the path is a file',
    EEXIST: 'it already exists',
  };
  return code && words[code] ? `${words[code]}, ${code}` : (error as Error).message;
}
