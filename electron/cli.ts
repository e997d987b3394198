import { resolve } from 'node:path';
import type { Io } from './cli/command.js';
import { parseCommandLine, USAGE, type Values } from './cli/usage.js';

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandLine(argv));
  } catch (error) {
    io.err.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.out.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  // Everything a command needs is loaded once there is one: `--help` and a usage error start without it.
  const { run } = await import('./cli/run.js');
  return run(values, command, rest, io);
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
