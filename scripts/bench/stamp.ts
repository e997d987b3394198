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

export function commit(): { id: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return {
      id: git('rev-parse', '--short', 'HEAD'),
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

/** The one-minute load average, sampled every few seconds while the bench runs. */
export function sampleLoad(everyMs = 5000) {
  const samples = [loadavg()[0]!];
  const timer = setInterval(() => samples.push(loadavg()[0]!), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadavg()[0]!);
      const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
      return {
        before: round(samples[0]!),
        after: round(samples.at(-1)!),
        min: round(Math.min(...samples)),
        max: round(Math.max(...samples)),
        mean: round(mean),
      };
    },
  };
}
