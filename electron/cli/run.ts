import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettingsFile, secretsFromEnv } from '../app/config.js';
import { defaultDataDir } from '../app/paths.js';
import type { Workspace } from '../app/workspace.js';
import { ConfigurationError } from '../engine/errors.js';
import { DataFolderError } from '../store/errors.js';
import { DataFolderBusyError, describeHolder, type LockHolder } from '../store/lock.js';
import * as arg from './args.js';
import { reasonOf, UsageError } from './args.js';
import type { Io } from './command.js';
import { COMMANDS } from './commands.js';
import { USAGE, type Values } from './usage.js';

/**
 * A command, once the command line has been read and is not a request for help: its arguments checked before
 * anything is opened, then the data folder opened (the workspace) and the command run, every failure said in
 * words with its exit code. Loaded only for a command, so `--help` starts without any of this.
 */
export async function run(values: Values, command: string, rest: string[], io: Io): Promise<number> {
  let work: (workspace: Workspace, io: Io) => Promise<number>;
  const known = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (!known) throw new UsageError(`Unknown command "${command.slice(0, 40)}"`);
    // Every argument is checked before the data folder is opened.
    work = known.check(values, rest);
    arg.seconds(values.wait, '--wait', 86_400);
    arg.httpTimeoutMs();
  } catch (error) {
    io.err.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  let workspace: Workspace | undefined;
  try {
    workspace = await open(values, command, io, {
      inspect: known.inspect ?? false,
      repairMonth: known.repairMonth?.(values),
    });
    return await work(workspace, io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.err.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DataFolderBusyError || error instanceof DataFolderError || error instanceof UsageError) {
      io.err.write(`${error.message}\n`);
      return 2;
    }
    io.err.write(`Error: ${describeError(error)}\n`);
    return 1;
  } finally {
    await workspace?.close().catch((error) => io.err.write(`Error while closing: ${describeError(error)}\n`));
  }
}

async function open(
  values: Values,
  command: string,
  io: Io,
  how: { inspect: boolean; repairMonth?: string },
): Promise<Workspace> {
  const dataDir = arg.dataFolder(values['data-dir'] ?? defaultDataDir());
  const lock = {
    command: `the command line (${command})`,
    waitMs: arg.seconds(values.wait, '--wait', 86_400) * 1000,
    onWait: (h: LockHolder) => io.err.write(`Waiting for ${describeHolder(h)} to let go of the data folder…\n`),
  };
  const timeoutMs = arg.httpTimeoutMs();
  const connectorOptions = timeoutMs ? () => ({ timeoutMs }) : undefined;
  // The store, the engine and the connectors are loaded once a command is known to need them: `--help` and a
  // usage error start without them.
  const { openDemoWorkspace, openLiveWorkspace } = await import('../app/workspace.js');
  if (values.demo) return openDemoWorkspace({ dataDir, lock, connectorOptions, ...how });
  const configFile = values.config ?? join(dataDir, 'settings.json');
  if (!values.config && !existsSync(configFile)) {
    throw new ConfigurationError(
      `No settings: pass --config FILE (see README), save settings in the desktop app, or use --demo`,
    );
  }
  const settings = loadSettingsFile(configFile);
  const secrets = secretsFromEnv();
  return openLiveWorkspace({ dataDir, settings, secrets: () => secrets, lock, connectorOptions, ...how });
}

/** A file-system error says what and where, in words (ENOSPC alone says neither). */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code && e.syscall) return `${reasonOf(e)}${e.path ? ` (${e.path})` : ''}`;
  return (error as Error)?.message ?? String(error);
}
