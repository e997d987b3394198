import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { ROOT } from './children.js';
import { round } from './stats.js';

/**
 * What the report says of the run itself: when it ran (the one place the bench reads the calendar: everything it
 * measures runs on the bench clock), on which commit, and how loaded the shared machine was meanwhile.
 */
export function runDate(): string {
  return new Date().toISOString();
}

/**
 * The commit the run measures (`git rev-parse HEAD`), and whether the tree had changes to tracked files (then the
 * run measured something no commit holds). Taken before anything is built: the bundles and the built CLI are made
 * from the tree as it is then.
 */
export function commit(): { id: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return {
      id: git('rev-parse', 'HEAD'),
      dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    };
  } catch {
    return { id: 'unknown', dirty: false };
  }
}

export function machine() {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** Load averages over 1, 5 and 15 minutes, as `os.loadavg()` gives them. */
export type LoadTriple = [number, number, number];

const triple = (): LoadTriple => loadavg().map((x) => round(x)) as LoadTriple;

/**
 * The machine's load while the bench runs: `os.loadavg()` at the start and at the end, and the one-minute figure
 * sampled every few seconds between (its lowest, highest and mean).
 */
export function sampleLoad(everyMs = 5000) {
  const start = triple();
  const samples = [loadavg()[0]!];
  const timer = setInterval(() => samples.push(loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]!);
      const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
      return {
        start,
        end: triple(),
        before: round(samples[0]!),
        after: round(samples.at(-1)!),
        min: round(Math.min(...samples)),
        max: round(Math.max(...samples)),
        mean: round(mean),
      };
    },
  };
}
