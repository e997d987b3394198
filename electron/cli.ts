import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettingsFile, secretsFromEnv } from './app/config.js';
import { defaultDataDir } from './app/paths.js';
import type { Workspace } from './app/workspace.js';
import * as arg from './cli/args.js';
import { reasonOf, UsageError } from './cli/args.js';
import { COMMANDS, type Io } from './cli/commands.js';
import { ConfigurationError } from './engine/errors.js';
import { DataFolderError } from './store/errors.js';
import { DataFolderBusyError, describeHolder, type LockHolder } from './store/lock.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Options
  --data-dir DIR    where the ledger and audit trail live (default: the desktop app's folder)
  --config FILE     settings as JSON (default: <data-dir>/settings.json)
  --demo            run against the built-in sandboxes with the seeded demo company
  --wait SECONDS    when the desktop app or another command has the data folder, wait this long for it
                    (default: stop at once, exit 2, naming who has it)
Secrets come from the environment: VISMA_CLIENT_SECRET, AVALARA_LICENSE_KEY.
TAXSYNC_HTTP_TIMEOUT_SECONDS sets how long one request may take (default 60).
Exit codes: 0 done, 2 usage, configuration or authentication error, 1 anything else.`;

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let work: (workspace: Workspace, io: Io) => Promise<number>;
  let values: Values;
  let command: string;
  try {
    const parsed = parse(argv);
    values = parsed.values;
    const [first, ...rest] = parsed.positionals;
    if (values.help || !first) {
      io.out.write(`${USAGE}\n`);
      return first || values.help ? 0 : 2;
    }
    command = first;
    const known = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
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
    const known = COMMANDS[command]!;
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

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      delimiter: { type: 'string' },
      wait: { type: 'string' },
      reason: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      customer: { type: 'string' },
      unreleased: { type: 'boolean' },
      resume: { type: 'boolean' },
      'per-minute': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

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
  const { openDemoWorkspace, openLiveWorkspace } = await import('./app/workspace.js');
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

const isEntry =
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(import.meta.filename).replace(/\.[cm]?[jt]s$/, '');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Everything was closed; should anything still hold the process open, it must not hang a script.
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error) => {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
