import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SECRETS, demoSettings, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import type { RequestLogEntry } from '../../electron/sandbox/http-kit.js';
import { type RunningSandboxes, startSandboxes } from '../../electron/sandbox/index.js';
import { openStore } from '../../electron/store/index.js';
import { runCli } from '../helpers/cli.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { invariantViolations } from '../helpers/invariants.js';
import { text } from '../helpers/reasons.js';

/**
 * Kills a real CLI child process (SIGKILL, no chance to flush) at chosen moments of a run, starts it again,
 * and checks the invariants: no document sent to AvaTax under two codes or twice as two documents, none lost,
 * none skipped by the watermark, the audit trail whole and chained.
 */
type KillPoint = {
  name: string;
  commit: 'on-release' | 'immediately';
  when: (e: RequestLogEntry, seen: Counter) => boolean;
};
type Counter = { creates: number; puts: number; commits: number; all: number };

const POINTS: KillPoint[] = [
  {
    name: 'right after AvaTax recorded the 5th create, before its answer',
    commit: 'on-release',
    when: (e, c) => /\/transactions\/create$/.test(e.path) && e.status === 200 && ++c.creates === 5,
  },
  {
    // Writes go in the background: the job runs when its state is read, and that read's answer is lost here.
    name: 'right after Visma carried out the 3rd write-back in the background, before its answer',
    commit: 'on-release',
    when: (e, c) => e.method === 'GET' && /^\/v1\/background\/[^/]+$/.test(e.path) && ++c.puts === 3,
  },
  {
    name: 'right after Visma accepted the 2nd write-back (202), before it was carried out',
    commit: 'on-release',
    when: (e, c) => e.method === 'PUT' && e.status === 202 && ++c.puts === 2,
  },
  {
    name: 'right after AvaTax committed the 2nd released document (recorded as Visma booked it), before its answer',
    commit: 'on-release',
    when: (e, c) =>
      /\/transactions\/create$/.test(e.path) &&
      e.status === 200 &&
      JSON.parse(e.body).commit === true &&
      ++c.commits === 2,
  },
  {
    name: 'after the 7th create with commit-immediately (AvaTax committed, Visma not written)',
    commit: 'immediately',
    when: (e, c) => /\/transactions\/create$/.test(e.path) && e.status === 200 && ++c.creates === 7,
  },
  {
    name: 'at the 90th request of the run, wherever that falls',
    commit: 'on-release',
    when: (_e, c) => ++c.all === 90,
  },
];

describe('crash safety: kill the process at any moment of a run', () => {
  let sandboxes: RunningSandboxes | undefined;
  afterEach(async () => {
    await sandboxes?.close();
    sandboxes = undefined;
  });

  for (const point of POINTS) {
    it(`keeps every invariant when killed ${point.name}`, async () => {
      const clock = testClock();
      sandboxes = await startSandboxes({
        seed: seedDemoCompany({ now: clock.ms(), invoices: 40, creditNotes: 6 }),
        now: clock.ms,
      });
      const dir = tempDir('taxsync-crash-');
      const config = join(dir, 'config.json');
      const settings = demoSettings(sandboxes.urls, sandboxes.startFrom);
      writeFileSync(
        config,
        JSON.stringify({ ...settings, sync: { ...settings.sync, commit: point.commit, concurrency: 2 } }),
      );
      const env = {
        VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
        AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
      };
      const args = ['sync', '--json', '--config', config, '--data-dir', dir];

      let child: ChildProcess | undefined;
      const counter: Counter = { creates: 0, puts: 0, commits: 0, all: 0 };
      let killed = false;
      const hook = (e: RequestLogEntry) => {
        if (!killed && point.when(e, counter)) {
          killed = true;
          child?.kill('SIGKILL');
        }
      };
      sandboxes.visma.server.onHandled = hook;
      sandboxes.avatax.server.onHandled = hook;
      const crashed = await runCli(args, env, (c) => {
        child = c;
      });
      expect(killed).toBe(true);
      expect(crashed.signal).toBe('SIGKILL');
      sandboxes.visma.server.onHandled = undefined;
      sandboxes.avatax.server.onHandled = undefined;

      const again = await runCli(args, env);
      expect(again.code, again.stderr).toBe(0);
      const third = await runCli(args, env);
      expect(third.code).toBe(0);
      expect(JSON.parse(third.stdout).calculated).toBe(0);

      const store = await openStore(dir, { now: testClock().now });
      // None lost, none skipped by the watermark, one live AvaTax document per code, the audit trail whole, and
      // what AvaTax holds is what Visma booked and the ledger says.
      expect(
        await invariantViolations({ sandboxes, store, statuses: settings.sync!.statuses! }, { settled: true }),
      ).toEqual([]);
      // Never sent under a code of another shape, never adjusted by a retry.
      const txs = sandboxes.avatax.state.transactions;
      for (const t of txs) expect(t.code).toMatch(/^VN-(INV|CRN|DBN)-\d+$/);
      expect(txs.filter((t) => t.status === 'Adjusted')).toEqual([]);
      expect(store.state.runs().filter((r) => r.outcome === 'completed').length).toBeGreaterThanOrEqual(2);
      // Every effect the killed run announced was resolved at the next start and recorded.
      expect(store.intents.pending()).toEqual([]);
    }, 120_000);
  }
});

/**
 * A user's effect killed between AvaTax's answer and its record: a void or an adjust from the command line.
 * The next command resolves the intent: the record is made with who asked and why, the document stays in the
 * reconciliation, and nothing is done twice.
 */
describe('a month-end effect killed between AvaTax and its record', () => {
  let sandboxes: RunningSandboxes | undefined;
  afterEach(async () => {
    await sandboxes?.close();
    sandboxes = undefined;
  });

  async function setUp() {
    const clock = testClock();
    sandboxes = await startSandboxes({
      seed: seedDemoCompany({ now: clock.ms(), invoices: 20, creditNotes: 2 }),
      now: clock.ms,
    });
    const dir = tempDir('taxsync-crash-');
    const config = join(dir, 'config.json');
    const settings = demoSettings(sandboxes.urls, sandboxes.startFrom);
    writeFileSync(config, JSON.stringify({ ...settings, sync: { ...settings.sync, commit: 'immediately' } }));
    const env = {
      VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
      AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
    };
    const cli = (args: string[], onSpawn?: (c: ChildProcess) => void) =>
      runCli([...args, '--config', config, '--data-dir', dir], env, onSpawn);
    expect((await cli(['sync', '--json'])).code).toBe(0);
    return { dir, cli, sandboxes: sandboxes!, statuses: settings.sync!.statuses! };
  }

  /** Runs the command and kills it (SIGKILL) the moment AvaTax has answered the request `when` names. */
  async function killedAt(w: Awaited<ReturnType<typeof setUp>>, args: string[], when: (e: RequestLogEntry) => boolean) {
    let child: ChildProcess | undefined;
    w.sandboxes.avatax.server.onHandled = (e) => {
      if (when(e)) child?.kill('SIGKILL');
    };
    const res = await w.cli(args, (c) => {
      child = c;
    });
    w.sandboxes.avatax.server.onHandled = undefined;
    expect(res.signal).toBe('SIGKILL');
  }

  it('a void: after the restart the document is recorded voided, with who and why, and still reconciled', async () => {
    const w = await setUp();
    const victim = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    // Deleted in Visma by a person; AvaTax still holds it committed: Month-end offers the void.
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(victim), 1);
    const code = `VN-INV-${victim.referenceNumber}`;
    await killedAt(w, ['void', code, '--reason', 'Deleted in Visma by Anna, entered twice'], (e) =>
      /\/void$/.test(e.path),
    );
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Cancelled');
    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    const store = await openStore(w.dir, { now: testClock().now });
    expect(store.intents.pending()).toEqual([]);
    const row = await store.ledger.get(`invoice:${victim.referenceNumber}`);
    expect(row?.state).toBe('voided');
    const trail = (await Promise.all(store.audit.months().map((m) => store.audit.entries(m)))).flat();
    expect(
      trail.some(
        (e) =>
          /interrupted/.test(text(e.detail)) &&
          /entered twice/.test(text(e.detail)) &&
          e.referenceNumber === victim.referenceNumber,
      ),
    ).toBe(true);
    expect(await invariantViolations({ sandboxes: w.sandboxes, store, statuses: w.statuses })).toEqual([]);
    await store.close();
  }, 120_000);

  it('an adjust: after the restart it is recorded once; a second adjust is never made', async () => {
    const w = await setUp();
    // Committed at once while unreleased (commit immediately), then changed in Visma: the sync holds it in needs
    // attention until someone adjusts AvaTax to it.
    const committed = (ref: string) =>
      w.sandboxes.avatax.state.transactions.some((t) => t.code === `VN-INV-${ref}` && t.status === 'Committed');
    const invoice = w.sandboxes.visma.state.documents.find(
      (d) => d.kind === 'invoice' && d.status === 'Balanced' && committed(d.referenceNumber),
    )!;
    const code = `VN-INV-${invoice.referenceNumber}`;
    w.sandboxes.visma.editDocument('invoice', invoice.referenceNumber, (d) => {
      d.lines[0]!.amount += 100;
      d.lines[0]!.amountInCurrency += 100;
    });
    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    const versions = () => w.sandboxes.avatax.state.transactions.filter((t) => t.code === code).length;
    const before = versions();
    await killedAt(
      w,
      ['adjust', invoice.referenceNumber, '--reason', 'Quantity corrected with the customer'],
      (e) => /\/adjust$/.test(e.path) && e.status === 200,
    );
    expect(versions()).toBe(before + 1);
    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    expect(versions()).toBe(before + 1);
    const store = await openStore(w.dir, { now: testClock().now });
    expect(store.intents.pending()).toEqual([]);
    expect((await store.ledger.get(`invoice:${invoice.referenceNumber}`))?.state).toBe('posted');
    const trail = (await Promise.all(store.audit.months().map((m) => store.audit.entries(m)))).flat();
    expect(trail.some((e) => /interrupted/.test(text(e.detail)) && /Quantity corrected/.test(text(e.detail)))).toBe(
      true,
    );
    await store.close();
  }, 120_000);
});
