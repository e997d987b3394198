import type { ChildProcess } from 'node:child_process';
import { type CliResult, runCli } from '../../test/helpers/cli.js';
import type { Random } from './random.js';
import type { SoakWorld } from './world.js';

/** A kill planned for the run: at the n-th request the sandboxes handle, or after some milliseconds. */
export type KillPlan = { atRequest: number } | { afterMs: number } | undefined;

/** A second CLI started beside the first, on the same data folder. */
export type SecondPlan = { args: string[]; what: string } | undefined;

export interface RoundResult {
  main: CliResult;
  killed: boolean;
  requests: number;
  second?: CliResult & { what: string };
  problems: string[];
}

export function planKill(rng: Random, lastRequests: number): KillPlan {
  if (!rng.chance(0.65)) return undefined;
  if (rng.chance(0.7)) return { atRequest: rng.int(1, Math.max(6, lastRequests)) };
  return { afterMs: rng.int(150, 3_000) };
}

const SECONDS = [
  { args: ['sync', '--json'], what: 'sync' },
  { args: ['sync', '--json', '--wait', '120'], what: 'sync --wait 120' },
  { args: ['list', '--json'], what: 'list' },
];

/** A second CLI now and then; `must` (an index) starts that one for sure. */
export function planSecond(rng: Random, must?: number): SecondPlan {
  if (must !== undefined) return SECONDS[must % SECONDS.length];
  if (!rng.chance(0.25)) return undefined;
  return rng.pick(SECONDS);
}

/**
 * One `sync --json` in a child process, killed (SIGKILL) as planned, with perhaps a second CLI started once the
 * first is talking to the services. Judges both exits: a run completes (0), fails with a sentence (1), or is
 * killed by us; the second waits, runs, or stops with exit 2 naming who has the folder. Anything else is a problem.
 */
export async function runRound(world: SoakWorld, kill: KillPlan, second: SecondPlan): Promise<RoundResult> {
  const base = ['--config', world.configFile, '--data-dir', world.dataDir];
  let child: ChildProcess | undefined;
  let requests = 0;
  let killed = false;
  let secondRun: Promise<CliResult> | undefined;
  const killNow = () => {
    if (!killed && child && child.exitCode === null && child.signalCode === null) killed = child.kill('SIGKILL');
  };
  world.onHandled(() => {
    requests++;
    if (kill && 'atRequest' in kill && requests === kill.atRequest) killNow();
    if (second && requests === 1 && !secondRun)
      secondRun = runCli([...second.args, ...base], world.env, undefined, world.entry);
  });
  let timer: NodeJS.Timeout | undefined;
  const main = await runCli(
    ['sync', '--json', ...base],
    world.env,
    (c) => {
      child = c;
      if (kill && 'afterMs' in kill) timer = setTimeout(killNow, kill.afterMs);
    },
    world.entry,
  );
  clearTimeout(timer);
  const problems = judgeMain(main, killed);
  let secondResult: RoundResult['second'];
  if (secondRun && second) {
    secondResult = { ...(await secondRun), what: second.what };
    problems.push(...judgeSecond(secondResult));
  }
  return { main, killed: killed && main.signal === 'SIGKILL', requests, second: secondResult, problems };
}

function judgeMain(r: CliResult, killed: boolean): string[] {
  if (killed && r.signal === 'SIGKILL') return [];
  if (r.signal) return [`the CLI ended by ${r.signal}, which the soak did not send`];
  if (r.code === 0) return summaryProblems(r.stdout);
  if (r.code === 1) return unclear('a failed run', r.stderr);
  return [`sync exited ${r.code}: ${firstLines(r.stderr)}`];
}

function judgeSecond(r: CliResult & { what: string }): string[] {
  if (r.signal) return [`the second CLI (${r.what}) ended by ${r.signal}`];
  if (r.code === 2) {
    if (r.what.includes('--wait')) return [`the second CLI (${r.what}) gave up waiting: ${firstLines(r.stderr)}`];
    return /is in use by/.test(r.stderr) ? [] : [`the second CLI (${r.what}) exited 2 with: ${firstLines(r.stderr)}`];
  }
  if (r.code === 0) return r.what.startsWith('sync') ? summaryProblems(r.stdout) : [];
  if (r.code === 1 && r.what.startsWith('sync')) return unclear(`the second CLI (${r.what})`, r.stderr);
  return [`the second CLI (${r.what}) exited ${r.code}: ${firstLines(r.stderr)}`];
}

/** `sync --json` prints exactly one JSON object of whole numbers. */
function summaryProblems(stdout: string): string[] {
  const lines = stdout.trim().split('\n');
  try {
    const summary = JSON.parse(lines.at(-1) ?? '') as Record<string, unknown>;
    if (lines.length !== 1 || !Object.values(summary).every(Number.isInteger))
      return [`sync --json printed something else than one summary: ${stdout.slice(0, 200)}`];
    return [];
  } catch {
    return [`sync --json printed no summary: ${stdout.slice(0, 200)}`];
  }
}

/** A failure must say what happened in words: no stack trace, no bare error name. */
export function unclear(what: string, stderr: string): string[] {
  if (!/\S/.test(stderr)) return [`${what} said nothing`];
  if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr) || /\b(TypeError|ReferenceError|SyntaxError)\b/.test(stderr))
    return [`${what} printed a raw error: ${firstLines(stderr)}`];
  return [];
}

export function firstLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' / ').slice(0, 400);
}

export function summaryOf(stdout: string): Record<string, number> | undefined {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return undefined;
  }
}
