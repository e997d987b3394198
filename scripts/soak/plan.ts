import { type KillPlan, planKill, planSecond, type SecondPlan } from './cli-round.js';
import { armFaults, armInterference, FAULT_KINDS } from './faults.js';
import type { SoakOptions } from './options.js';
import type { Random } from './random.js';
import { changeVisma } from './visma-changes.js';
import type { RoundSettings, SoakWorld } from './world.js';

export interface RoundPlan {
  settings: RoundSettings;
  changes: string[];
  faults: string[];
  interference: string[];
  kill: KillPlan;
  second: SecondPlan;
}

/**
 * Draws one round: settings, what people change in Visma, the faults and interference armed on the sandboxes,
 * whether the run is killed, and whether a second CLI starts beside it. The first rounds walk a schedule, so
 * every kind of fault, both interferences and each kind of second CLI happen at least once however the dice
 * fall (they are not killed); the first two commit immediately, so later rounds find committed documents to
 * edit. Rounds still owing kills (fewer rounds left than kills wanted) always kill.
 */
export function planRound(
  world: SoakWorld,
  rng: Random,
  options: SoakOptions,
  round: number,
  kills: number,
  lastRequests: number,
): RoundPlan {
  const scheduled = round >= 2 && round < 2 + FAULT_KINDS.length;
  const settings: RoundSettings = {
    commit: round <= 2 || rng.chance(0.3) ? 'immediately' : 'on-release',
    concurrency: rng.int(1, 4),
  };
  const changes = round === 1 ? [] : changeVisma(world, rng, options.knownBugs, round === 2);
  const faults = armFaults(world, rng, scheduled ? FAULT_KINDS[round - 2] : undefined);
  const interference = armInterference(world, rng, round === 2);
  const owed = options.kills - kills > options.rounds - round;
  const kill: KillPlan = scheduled
    ? undefined
    : (planKill(rng, lastRequests) ?? (owed ? { atRequest: rng.int(1, lastRequests) } : undefined));
  const second = planSecond(rng, scheduled && round <= 4 ? round - 2 : undefined);
  return { settings, changes, faults, interference, kill, second };
}
