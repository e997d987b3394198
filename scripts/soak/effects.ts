import type { ChildProcess } from 'node:child_process';
import { openStore } from '../../electron/store/index.js';
import { addMonths } from '../../shared/dates.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { type CliResult, killOnWrite, runCli } from '../../test/helpers/cli.js';
import { TEST_MONTH } from '../../test/helpers/clock.js';
import { firstLines, unclear } from './cli-round.js';
import type { Random } from './random.js';
import type { SoakWorld } from './world.js';

/**
 * The soak's Month-end and repair rounds (issue 14): a person's effect from the command line (adjust, accept,
 * void, close, `repair --month`), killed with SIGKILL at one of its steps, then a sync starts again. A step is a
 * request the sandboxes handle (the n-th, drawn up to the count of the last whole run of that effect, so over the
 * rounds every step is hit; now and then a run is left whole to count them) or, for a close, one of its own
 * writes (its intent, its audit entry, state.json), where no request falls.
 * After each: no intent left open and every invariant holds.
 */
export const EFFECTS = ['adjust', 'accept', 'void', 'close', 'repair'] as const;
export type Effect = (typeof EFFECTS)[number];

/** A month that has ended on the soak's clock, with none of the demo company's documents: it closes clean. */
const EMPTY_MONTH = addMonths(TEST_MONTH, -6);

const VOID_REASON = 'Entered twice, deleted in Visma';

type Kill = { atRequest: number } | { onWrite: Record<string, string>; what: string } | undefined;

const CLOSE_WRITES: { what: string; env: Record<string, string> }[] = [
  { what: 'after its intent', env: killOnWrite(/intents\.jsonl$/, /"kind":"close"/) },
  { what: 'after its audit entry', env: killOnWrite(/audit/, /"month-closed"/) },
  { what: 'before its first write of state.json', env: killOnWrite(/state\.json/, /closedMonths/, 'before') },
];

/** Requests a whole run of each makes on the soak's company, until one is counted. */
const STEPS_GUESS: Record<Effect, number> = { adjust: 8, accept: 6, void: 4, close: 12, repair: 60 };

export interface EffectResult {
  line: string;
  killed: boolean;
  problems: string[];
}

export class EffectRounds {
  /** Requests of the last whole (not killed) run of each effect: the steps a kill is drawn from. */
  private readonly steps = new Map<Effect, number>();
  private closed = false;
  /** The AvaTax code the void round is voiding. */
  private voiding: string | undefined;

  constructor(
    private readonly world: SoakWorld,
    private readonly rng: Random,
  ) {}

  async round(effect: Effect): Promise<EffectResult> {
    const command = await this.prepare(effect);
    if (!command) return { line: `${effect}: nothing to ${effect} now`, killed: false, problems: [] };
    const kill = this.planKill(effect);
    const run = await this.run(command.args, kill);
    const killed = run.signal === 'SIGKILL';
    const problems: string[] = [];
    if (!killed) {
      this.steps.set(effect, run.requests);
      if (run.signal) problems.push(`${effect} ended by ${run.signal}`);
      else if (run.code !== 0 && run.code !== 1)
        problems.push(`${effect} exited ${run.code}: ${firstLines(run.stderr)}`);
      else if (run.code === 1) problems.push(...unclear(`${effect}`, `${run.stdout}${run.stderr}`));
    }
    if (effect === 'close' && (killed || run.code === 0)) this.closed = true;
    const restart = await this.restart(effect);
    problems.push(...restart.problems);
    problems.push(...(await this.check()));
    const where = !kill ? 'whole' : 'atRequest' in kill ? `killed at request ${kill.atRequest}` : `killed ${kill.what}`;
    return {
      line: `${effect} ${command.what} (${killed ? where : `${where}, exit ${run.code}`}) → ${restart.line}`,
      killed,
      problems,
    };
  }

  private planKill(effect: Effect): Kill {
    if (effect === 'close' && this.rng.chance(0.5)) {
      const w = this.rng.pick(CLOSE_WRITES);
      return { onWrite: w.env, what: w.what };
    }
    // Now and then whole, which counts its steps for the kills after it.
    if (this.rng.chance(0.15)) return undefined;
    const steps = this.steps.get(effect) ?? STEPS_GUESS[effect];
    return { atRequest: this.rng.int(1, Math.max(1, steps)) };
  }

  /** Sets the scene in the sandboxes and says which command to run, or undefined when there is nothing to do. */
  private async prepare(effect: Effect): Promise<{ args: string[]; what: string } | undefined> {
    const { visma, avatax } = this.world.sandboxes;
    const live = (code: string, status: string) =>
      avatax.state.transactions.some((t) => t.code === code && t.status === status);
    const codeOf = (kind: string, ref: string) =>
      `VN-${kind === 'credit-note' ? 'CRN' : kind === 'debit-note' ? 'DBN' : 'INV'}-${ref}`;
    switch (effect) {
      case 'adjust': {
        // Committed while unreleased, then changed in Visma: it waits until someone adjusts AvaTax to it.
        const waiting = () =>
          visma.state.documents.filter(
            (d) =>
              d.kind === 'invoice' &&
              (d.status === 'Balanced' || d.status === 'Hold') &&
              live(codeOf(d.kind, d.referenceNumber), 'Committed'),
          );
        // None committed while unreleased now: a person enters one (balanced), and a sync commits it (these
        // rounds commit immediately).
        if (waiting().length === 0) {
          const source = visma.state.documents.find((d) => d.kind === 'invoice');
          const ref = String(this.rng.int(940_000, 949_999));
          if (!source || visma.find('invoice', ref)) return undefined;
          const entered = visma.createDocument('invoice', source.referenceNumber, ref);
          entered.status = 'Balanced';
          entered.hold = false;
          visma.touch(entered);
          if ((await this.cli(['sync', '--json'])).code !== 0) return undefined;
        }
        const docs = waiting();
        const doc = docs.length > 0 ? this.rng.pick(docs) : undefined;
        if (!doc) return undefined;
        visma.editDocument(doc.kind, doc.referenceNumber, (d) => {
          d.lines[0]!.amount += 100;
          d.lines[0]!.amountInCurrency += 100;
        });
        const synced = await this.cli(['sync', '--json']);
        if (synced.code !== 0) return undefined;
        return {
          args: ['adjust', doc.referenceNumber, '--reason', 'Quantity corrected with the customer'],
          what: doc.referenceNumber,
        };
      }
      case 'accept': {
        const rows = await this.rows((r) => r.state === 'needs-attention');
        const row = rows.length > 0 ? this.rng.pick(rows) : undefined;
        if (!row) return undefined;
        return {
          args: ['accept', row.referenceNumber, '--reason', 'Agreed with the customer on the phone'],
          what: row.referenceNumber,
        };
      }
      case 'void': {
        // Deleted in Visma by a person before the sync saw it; AvaTax still holds it: Month-end offers the void.
        // Not the document Visma changed last: the check that no watermark runs past Visma's newest change
        // reads the documents Visma still has.
        const newest = visma.state.documents
          .map((d) => d.lastModifiedDateTime)
          .sort()
          .at(-1);
        const docs = visma.state.documents.filter(
          (d) =>
            (d.status === 'Balanced' || d.status === 'Hold') &&
            d.lastModifiedDateTime !== newest &&
            avatax.state.transactions.some(
              (t) =>
                t.code === codeOf(d.kind, d.referenceNumber) && t.status !== 'Cancelled' && t.status !== 'Adjusted',
            ),
        );
        const doc = docs.length > 0 ? this.rng.pick(docs) : undefined;
        if (!doc) return undefined;
        visma.deleteDocument(doc.kind, doc.referenceNumber);
        const code = codeOf(doc.kind, doc.referenceNumber);
        this.voiding = code;
        return { args: ['void', code, '--reason', VOID_REASON], what: code };
      }
      case 'close': {
        if (this.closed) {
          const reopened = await this.cli(['reopen', '--month', EMPTY_MONTH, '--reason', 'Late credit note']);
          if (reopened.code === 0) this.closed = false;
        }
        return { args: ['close', '--month', EMPTY_MONTH, '--reason', 'VAT return filed'], what: EMPTY_MONTH };
      }
      case 'repair':
        return { args: ['repair', '--month', TEST_MONTH], what: TEST_MONTH };
    }
  }

  /** A sync after the kill resolves what was left announced; a repair cut short is run again, whole. */
  private async restart(effect: Effect): Promise<{ line: string; problems: string[] }> {
    let sync = await this.cli(['sync', '--json']);
    let line = `sync exit ${sync.code}`;
    if (effect === 'repair' && sync.code === 2) {
      const again = await this.cli(['repair', '--month', TEST_MONTH]);
      line += `, repair again exit ${again.code}`;
      if (again.code !== 0)
        return { line, problems: [`repair run again exited ${again.code}: ${firstLines(again.stderr)}`] };
      sync = await this.cli(['sync', '--json']);
      line += `, sync exit ${sync.code}`;
    }
    // A void killed before it was asked of AvaTax is still offered by Month-end: the person voids it again.
    const code = this.voiding;
    this.voiding = undefined;
    if (
      effect === 'void' &&
      code &&
      this.world.sandboxes.avatax.state.transactions.some((t) => t.code === code && t.status === 'Committed')
    ) {
      const again = await this.cli(['void', code, '--reason', VOID_REASON]);
      line += `, void again exit ${again.code}`;
      if (again.code !== 0)
        return {
          line,
          problems: [`the void asked again exited ${again.code}: ${firstLines(again.stdout + again.stderr)}`],
        };
    }
    if (sync.code === 0) return { line, problems: [] };
    if (sync.code === 1) return { line, problems: unclear('the sync after the kill', sync.stderr) };
    return {
      line,
      problems: [`the sync after the kill exited ${sync.code ?? sync.signal}: ${firstLines(sync.stderr)}`],
    };
  }

  /** No intent left open, and every invariant (not yet settled: the rounds' faults may leave retries). */
  private async check(): Promise<string[]> {
    const store = await openStore(this.world.dataDir, {
      now: this.world.clock.now,
      lock: { command: 'the soak check' },
    });
    const open = store.intents.pending();
    await store.close();
    return [
      ...open.map((i) => `an intent left open after the restart: ${i.kind} ${i.what} (${i.id})`),
      ...(await this.world.violations(false)),
    ];
  }

  private async rows(where: (r: LedgerDocument) => boolean): Promise<LedgerDocument[]> {
    const store = await openStore(this.world.dataDir, { now: this.world.clock.now, lock: { command: 'the soak' } });
    try {
      return (await store.ledger.all()).filter(where);
    } finally {
      await store.close();
    }
  }

  private cli(args: string[], env: Record<string, string> = {}, onSpawn?: (c: ChildProcess) => void) {
    const base = ['--config', this.world.configFile, '--data-dir', this.world.dataDir];
    return runCli([...args, ...base], { ...this.world.env, ...env }, onSpawn, this.world.entry);
  }

  private async run(args: string[], kill: Kill): Promise<CliResult & { requests: number }> {
    let child: ChildProcess | undefined;
    let requests = 0;
    this.world.onHandled(() => {
      requests++;
      if (kill && 'atRequest' in kill && requests === kill.atRequest && child?.exitCode === null) child.kill('SIGKILL');
    });
    const result = await this.cli(args, kill && 'onWrite' in kill ? kill.onWrite : {}, (c) => {
      child = c;
    });
    this.world.endRound();
    return { ...result, requests };
  }
}
