import { cliEntry } from './cli-bundle.js';
import { type KillPlan, type RoundResult, runRound, summaryOf, unclear } from './cli-round.js';
import { Coverage } from './coverage.js';
import { EFFECTS, EffectRounds } from './effects.js';
import type { SoakOptions } from './options.js';
import { planRound, type RoundPlan } from './plan.js';
import { Random } from './random.js';
import { SoakWorld } from './world.js';

export interface SoakReport {
  rounds: number;
  kills: number;
  /** Month-end and repair rounds run, and how many of them were killed. */
  effects: number;
  effectKills: number;
  violations: string[];
}

/**
 * The soak: rounds of (people change Visma, faults are armed, one real CLI sync runs, perhaps killed, perhaps
 * beside a second CLI), then clean runs until nothing waits for a retry, then every invariant is checked.
 */
export async function soak(options: SoakOptions, say: (line: string) => void): Promise<SoakReport> {
  const rng = new Random(options.seed);
  const world = await SoakWorld.start(options);
  world.entry = await cliEntry(options.tsx);
  const started = performance.now();
  const report: SoakReport = { rounds: 0, kills: 0, effects: 0, effectKills: 0, violations: [] };
  const coverage = new Coverage();
  const violation = (where: string, problems: string[]) => {
    for (const p of problems) {
      report.violations.push(`${where}: ${p}`);
      say(`  ! ${p}`);
    }
  };
  try {
    say(`data folder ${world.dataDir}; ${world.sandboxes.visma.state.documents.length} documents in Visma`);
    let lastRequests = 60;
    while (report.rounds < options.rounds || report.kills < options.kills) {
      if (performance.now() - started > options.budgetMs) {
        violation('budget', [
          `time spent after ${report.rounds} rounds with ${report.kills} of ${options.kills} kills`,
        ]);
        break;
      }
      const round = ++report.rounds;
      const plan = planRound(world, rng, options, round, report.kills, lastRequests);
      world.writeConfig(plan.settings);
      const roundStarted = performance.now();
      const result = await runRound(world, plan.kill, plan.second);
      coverage.seen([...world.sandboxes.visma.server.log, ...world.sandboxes.avatax.server.log]);
      coverage.jobs(world.sandboxes.visma.background.jobs.splice(0));
      world.endRound();
      if (result.killed) report.kills++;
      else lastRequests = Math.max(6, result.requests);
      say(describeRound(round, performance.now() - roundStarted, plan, result));
      violation(`round ${round}`, result.problems);
      coverage.round(result, plan.faults, plan.changes);
    }
    await effectRounds(world, rng, options, report, coverage, say, violation);
    violation('settle', await settle(world, say));
    violation('end', await world.violations(true));
    say('what happened:');
    for (const line of coverage.lines()) say(line);
    violation('coverage', coverage.gaps());
    return report;
  } finally {
    await world.close(report.violations.length > 0);
    if (report.violations.length > 0) say(`data folder kept for a look: ${world.dataDir}`);
  }
}

/**
 * Month-end and repair (adjust, accept, void, close, `repair --month`) in turn, each killed at one of its steps
 * (after a first whole run that counts them), then a sync, then the check: no intent open, no violation.
 */
async function effectRounds(
  world: SoakWorld,
  rng: Random,
  options: SoakOptions,
  report: SoakReport,
  coverage: Coverage,
  say: (line: string) => void,
  violation: (where: string, problems: string[]) => void,
): Promise<void> {
  if (options.effects === 0) return;
  world.writeConfig({ commit: 'immediately', concurrency: 2 });
  const rounds = new EffectRounds(world, rng);
  const started = performance.now();
  for (let i = 0; i < options.effects; i++) {
    if (performance.now() - started > options.effectsBudgetMs) {
      violation('budget', [`time spent after ${i} Month-end and repair rounds of ${options.effects}`]);
      return;
    }
    const effect = EFFECTS[i % EFFECTS.length]!;
    const t = performance.now();
    const result = await rounds.round(effect);
    report.effects++;
    if (result.killed) {
      report.effectKills++;
      coverage.add(`${effect} killed`);
    } else coverage.add(`${effect} whole`);
    say(`effect ${i + 1} (${((performance.now() - t) / 1000).toFixed(1)} s) ${result.line}`);
    violation(`effect ${i + 1} (${effect})`, result.problems);
  }
}

/** No faults, no kills: sync until a run completes with nothing left waiting for a retry (at most four runs). */
async function settle(world: SoakWorld, say: (line: string) => void): Promise<string[]> {
  world.writeConfig({ commit: 'on-release', concurrency: 4 });
  for (let i = 1; i <= 4; i++) {
    const result = await runRound(world, undefined, undefined);
    world.endRound();
    say(`settle ${i} → ${outcome(result.main, false, result.requests)}`);
    if (result.main.code !== 0) {
      if (i === 4) return [`the clean runs never completed: ${result.main.stderr.trim().slice(0, 300)}`];
      continue;
    }
    if (summaryOf(result.main.stdout)?.pendingRetry === 0) return result.problems;
  }
  return ['documents still wait for a retry after four clean runs'];
}

function describeRound(round: number, ms: number, plan: RoundPlan, result: RoundResult): string {
  const { settings, changes, faults, interference, kill } = plan;
  return (
    `round ${round} (${(ms / 1000).toFixed(1)} s) [commit ${settings.commit}, ${settings.concurrency} in flight] ` +
    [
      changes.length ? `Visma: ${changes.join(', ')}` : '',
      faults.length ? `faults: ${faults.join('; ')}` : '',
      interference.length ? `meanwhile: ${interference.join('; ')}` : '',
      `→ ${outcome(result.main, result.killed, result.requests, kill)}`,
      result.second ? `second CLI (${result.second.what}) → ${outcome(result.second, false, 0)}` : '',
    ]
      .filter(Boolean)
      .join(' | ')
  );
}

function outcome(
  r: { code: number | null; signal: string | null; stdout: string; stderr: string },
  killed: boolean,
  requests: number,
  kill?: KillPlan,
): string {
  if (killed) return `killed ${kill && 'afterMs' in kill ? `after ${kill.afterMs} ms` : `at request ${requests}`}`;
  if (r.code === 0) {
    const s = summaryOf(r.stdout);
    return s
      ? `done: ${s.fetched} read, ${s.posted} posted, ${s.calculated} calculated, ${s.needsAttention} need attention, ${s.pendingRetry} to retry, ${s.voided} voided`
      : 'done';
  }
  const why = r.stderr.trim().split('\n').at(-1)?.slice(0, 160) ?? '';
  return `exit ${r.code ?? r.signal}${unclear('', r.stderr).length ? ' (unclear)' : ''}: ${why}`;
}
