import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEMO_SECRETS, demoSettings, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import type { RequestLogEntry } from '../../electron/sandbox/http-kit.js';
import { type RunningSandboxes, startSandboxes } from '../../electron/sandbox/index.js';
import { type ChainedAuditEntry, openStore, type Store } from '../../electron/store/index.js';
import type { Settings } from '../../shared/settings.js';
import { type CliResult, runCli } from './cli.js';
import { clockEnv, TEST_NOW, testClock } from './clock.js';
import { tempDir } from './engine.js';
import { invariantViolations } from './invariants.js';
import { text } from './reasons.js';

/**
 * A data folder, the two sandboxes and the real CLI in child processes: for killing a command (SIGKILL) at one
 * effect and checking what the next start makes of it (test/jobs/intents-kill.test.ts).
 */
export interface KillWorld {
  dir: string;
  sandboxes: RunningSandboxes;
  statuses: string[];
  /** Runs the CLI on this folder and config; `at` sets its clock (default `TEST_NOW`). */
  cli(
    args: string[],
    options?: { env?: Record<string, string>; at?: string; onSpawn?: (c: ChildProcess) => void },
  ): Promise<CliResult>;
  /** Runs the command and SIGKILLs it the moment `service` has handled the request `when` names (before its answer). */
  killedAt(
    args: string[],
    service: 'visma' | 'avatax',
    when: (e: RequestLogEntry) => boolean,
    options?: { at?: string },
  ): Promise<CliResult>;
  /**
   * Runs the command and SIGKILLs it when the request `when` names arrives at `service`, which drops it unanswered
   * and undone: the effect was announced, never made.
   */
  killedBefore(args: string[], service: 'visma' | 'avatax', method: string, path: RegExp): Promise<CliResult>;
  open(): Promise<Store>;
  close(): Promise<void>;
}

export async function startKillWorld(
  options: { invoices?: number; creditNotes?: number; sync?: Partial<Settings['sync']> } = {},
): Promise<KillWorld> {
  const clock = testClock();
  const sandboxes = await startSandboxes({
    seed: seedDemoCompany({ now: clock.ms(), invoices: options.invoices ?? 16, creditNotes: options.creditNotes ?? 2 }),
    now: clock.ms,
  });
  const dir = tempDir('taxsync-intents-');
  const config = join(dir, 'config.json');
  const settings = demoSettings(sandboxes.urls, sandboxes.startFrom);
  writeFileSync(config, JSON.stringify({ ...settings, sync: { ...settings.sync, ...options.sync } }));
  const secrets = {
    VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
    AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
  };
  const cli: KillWorld['cli'] = (args, o = {}) =>
    runCli(
      [...args, '--config', config, '--data-dir', dir],
      { ...secrets, ...clockEnv(o.at ?? TEST_NOW), ...o.env },
      o.onSpawn,
    );
  const w: KillWorld = {
    dir,
    sandboxes,
    statuses: settings.sync!.statuses!,
    cli,
    async killedAt(args, service, when, o = {}) {
      let child: ChildProcess | undefined;
      let killed = false;
      sandboxes[service].server.onHandled = (e) => {
        if (!killed && when(e)) killed = child?.kill('SIGKILL') ?? false;
      };
      const res = await cli(args, { at: o.at, onSpawn: (c) => (child = c) });
      sandboxes[service].server.onHandled = undefined;
      expect(res.signal, `${args.join(' ')}: ${res.stderr}`).toBe('SIGKILL');
      return res;
    },
    async killedBefore(args, service, method, path) {
      let child: ChildProcess | undefined;
      const server = sandboxes[service].server;
      // Every such request is dropped until the child is gone: with several in flight, a second may arrive first.
      server.injectFault({ method, path, fault: { kind: 'drop' }, times: 1_000 });
      server.onRequest = (m, p) => {
        if (m === method && path.test(p)) child?.kill('SIGKILL');
      };
      const res = await cli(args, { onSpawn: (c) => (child = c) });
      server.onRequest = undefined;
      server.clearFaults();
      expect(res.signal, `${args.join(' ')}: ${res.stderr}`).toBe('SIGKILL');
      return res;
    },
    open: () => openStore(dir, { now: testClock().now }),
    close: () => sandboxes.close(),
  };
  return w;
}

/** Every audit entry of the folder, oldest month first. */
export async function trailOf(store: Store): Promise<ChainedAuditEntry[]> {
  return (await Promise.all(store.audit.months().map((m) => store.audit.entries(m)))).flat();
}

/**
 * What must hold after the restart of a killed command: no intent left open, every invariant (the ledger says
 * what the services hold, nothing lost, the trail chained), and the trail says the effect was interrupted, who
 * asked for it and why.
 */
export async function expectResolved(
  w: KillWorld,
  store: Store,
  expected: { referenceNumber?: string; by: RegExp; why?: RegExp },
): Promise<ChainedAuditEntry> {
  expect(store.intents.pending()).toEqual([]);
  expect(await invariantViolations({ sandboxes: w.sandboxes, store, statuses: w.statuses })).toEqual([]);
  const said = (await trailOf(store)).filter(
    (e) =>
      /interrupted/.test(text(e.detail)) &&
      expected.by.test(text(e.detail)) &&
      (!expected.why || expected.why.test(text(e.detail))) &&
      (!expected.referenceNumber || e.referenceNumber === expected.referenceNumber),
  );
  expect(said.length, 'the trail says the effect was interrupted, who asked for it and why').toBeGreaterThan(0);
  return said[0]!;
}

/** The versions AvaTax keeps of a code (the live one and those it superseded). */
export function versionsOf(w: KillWorld, code: string): number {
  return w.sandboxes.avatax.state.transactions.filter((t) => t.code === code).length;
}

/** Requests `service` carried out (2xx) of this method whose path matches. */
export function carriedOut(w: KillWorld, service: 'visma' | 'avatax', method: string, path: RegExp): number {
  return w.sandboxes[service].server.log.filter(
    (e) => e.method === method && path.test(e.path) && e.status >= 200 && e.status < 300,
  ).length;
}
