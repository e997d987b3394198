/** What the soak is asked to do: `--short` for CI (under five minutes), the long form for hundreds of runs. */
export interface SoakOptions {
  short: boolean;
  seed: number;
  /** Rounds at least (each round: changes in Visma, faults, one CLI run, maybe a kill or a second CLI). */
  rounds: number;
  /** SIGKILLs at least: the soak goes on past `rounds` until it has killed this many runs. */
  kills: number;
  invoices: number;
  creditNotes: number;
  /** Month-end and repair rounds (adjust, accept, void, close, repair), most killed at one of their steps. */
  effects: number;
  /** Stops adding rounds after this long, kills or not (a violation is then reported). */
  budgetMs: number;
  /** The same for the Month-end and repair rounds, on top of `budgetMs` (90 s short, more when more are asked). */
  effectsBudgetMs: number;
  /** Also walk the paths of known product bugs (see KNOWN BUG in visma-changes.ts). */
  knownBugs: boolean;
  /** Start the CLI through tsx from the sources, as `npm run cli` does, rather than from one bundle of them. */
  tsx: boolean;
}

export const USAGE = `Usage: npm run soak -- [--short] [--seed N] [--rounds N]
  --short     the CI form: a small company, about 30 rounds, at least 20 kills, under five minutes
  --seed N    draw the same plan again (the seed is printed at the start of every soak)
  --rounds N  at least this many rounds (default: 30 short, 300 long)
  --kills N   at least this many runs killed with SIGKILL (default: 20 short, 60 long)
  --effects N Month-end and repair rounds, each killed at one of its steps, then a sync (default: 5 short, one of each, 60 long)
  --tsx       start the CLI as npm run cli does (tsx, slower) instead of from a bundle of the same sources
  --with-known-bugs  also walk the paths of product bugs already reported (see KNOWN BUG in scripts/soak/)`;

export function parseOptions(argv: string[], randomSeed = Math.floor(Math.random() * 1_000_000_007)): SoakOptions {
  const short = argv.includes('--short');
  const value = (name: string): number | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const text = argv[i + 1] ?? '';
    if (!/^\d{1,10}$/.test(text)) throw new Error(`${name} takes a whole number, not "${text.slice(0, 20)}"`);
    return Number(text);
  };
  const known = new Set(['--short', '--seed', '--rounds', '--kills', '--effects', '--with-known-bugs', '--tsx']);
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`Unknown option ${a}\n${USAGE}`);
    if (!a.startsWith('--') && !['--seed', '--rounds', '--kills', '--effects'].includes(argv[i - 1] ?? ''))
      throw new Error(`Unexpected "${a}"\n${USAGE}`);
  });
  const effects = value('--effects') ?? (short ? 5 : 60);
  return {
    short,
    seed: value('--seed') ?? randomSeed,
    rounds: value('--rounds') ?? (short ? 30 : 300),
    kills: value('--kills') ?? (short ? 20 : 60),
    effects,
    invoices: short ? 40 : 220,
    creditNotes: short ? 5 : 24,
    budgetMs: short ? 230_000 : 4 * 3_600_000,
    // About 10 s a round on a quiet machine (a sync before an adjust, the command, a sync after, the check).
    effectsBudgetMs: Math.max(90_000, effects * 18_000),
    knownBugs: argv.includes('--with-known-bugs'),
    tsx: argv.includes('--tsx'),
  };
}
