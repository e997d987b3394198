import type { Workspace } from '../app/workspace.js';

/** What every command is, and what it is given: the types the command tables share (no table imports another). */
export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface Options {
  json?: boolean;
  customer?: string;
  unreleased?: boolean;
  resume?: boolean;
  'per-minute'?: string;
  state?: string;
  month?: string;
  out?: string;
  delimiter?: string;
  reason?: string;
  from?: string;
  to?: string;
}

/**
 * One command: its usage line, the checks of its arguments (done before the data folder is opened: a usage
 * error exits 2 without touching anything), and what it does.
 */
export interface Command {
  usage: string;
  /** Opens a data folder whose audit trail is damaged, to look at it (nothing is appended until accepted). */
  inspect?: boolean;
  /** Opens the data folder with this ledger month set aside, to be rebuilt (repair). */
  repairMonth?: (options: Options) => string;
  check(options: Options, positionals: string[]): (workspace: Workspace, io: Io) => Promise<number>;
}
