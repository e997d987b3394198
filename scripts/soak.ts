/**
 * `npm run soak [-- --short] [-- --seed N]`: the sandboxes in this process, the real CLI in child processes,
 * faults, concurrent edits, second CLIs and SIGKILLs for hundreds of runs (or a short CI form), then every
 * invariant checked. The last line is `violations: N`; the exit code is 0 only when N is 0.
 */
import { parseOptions, USAGE } from './soak/options.js';
import { soak } from './soak/run.js';

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const started = performance.now();
  console.log(
    `soak ${options.short ? '--short' : '(long)'}: seed ${options.seed} (reproduce with --seed ${options.seed}), ` +
      `${options.rounds} rounds, at least ${options.kills} kills, ${options.effects} Month-end and repair rounds`,
  );
  const report = await soak(options, (line) => console.log(line));
  console.log(
    `${report.rounds} rounds, ${report.kills} killed with SIGKILL, ${report.effects} Month-end and repair rounds (${report.effectKills} killed), took ${Math.round((performance.now() - started) / 1000)} s`,
  );
  for (const v of report.violations) console.log(`violation: ${v}`);
  console.log(`violations: ${report.violations.length}`);
  return report.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`The soak itself failed: ${(error as Error).stack ?? error}`);
    console.log('violations: 1');
    process.exit(1);
  },
);
