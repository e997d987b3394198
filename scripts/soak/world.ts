import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SECRETS, demoSettings, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import type { RequestLogEntry } from '../../electron/sandbox/http-kit.js';
import { type RunningSandboxes, startSandboxes } from '../../electron/sandbox/index.js';
import { openStore } from '../../electron/store/index.js';
import { type TestClock, testClock } from '../../test/helpers/clock.js';
import { tempDir } from '../../test/helpers/engine.js';
import { invariantViolations } from '../../test/helpers/invariants.js';
import type { SoakOptions } from './options.js';

export type Service = 'visma' | 'avatax';

/** How long one request may take in the CLI under soak: a delay fault longer than this is a timeout. */
export const TIMEOUT_SECONDS = 1;

/** What a round's settings may vary: how documents are committed and how many are in flight. */
export interface RoundSettings {
  commit: 'on-release' | 'immediately';
  concurrency: number;
}

/**
 * The sandboxes in this process, one data folder, and a config file the CLI children read. Hooks are
 * dispatched to whatever the current round armed, and cleared between rounds.
 */
export class SoakWorld {
  readonly dataDir = tempDir('taxsync-soak-');
  readonly configFile = join(this.dataDir, 'soak-config.json');
  readonly env = {
    VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
    AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
    TAXSYNC_HTTP_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
  };
  /** How the CLI is started (see cli-bundle.ts). */
  entry: string[] = [];
  private handled: ((e: RequestLogEntry, service: Service) => void)[] = [];
  private requests: ((method: string, path: string, service: Service) => void)[] = [];

  private constructor(
    readonly sandboxes: RunningSandboxes,
    /** The soak's clock, the CLI's too (see runCli): a soak gives the same answer on any day. */
    readonly clock: TestClock,
  ) {
    for (const service of ['visma', 'avatax'] as const) {
      const server = sandboxes[service].server;
      server.onHandled = (e) => {
        for (const h of this.handled) h(e, service);
      };
      server.onRequest = (method, path) => {
        for (const h of this.requests) h(method, path, service);
      };
    }
    // The soak brings its own 429s; the sandbox's hourly window would otherwise end a long soak in one.
    sandboxes.visma.rateLimit = Number.MAX_SAFE_INTEGER;
  }

  static async start(options: SoakOptions): Promise<SoakWorld> {
    const clock = testClock();
    const seed = seedDemoCompany({
      now: clock.ms(),
      invoices: options.invoices,
      creditNotes: options.creditNotes,
      seed: options.seed,
    });
    return new SoakWorld(await startSandboxes({ seed, now: clock.ms }), clock);
  }

  get statuses(): string[] {
    return ['Hold', 'Balanced', 'Open', 'Closed'];
  }

  writeConfig(round: RoundSettings): void {
    const settings = demoSettings(this.sandboxes.urls, this.sandboxes.startFrom);
    writeFileSync(this.configFile, JSON.stringify({ ...settings, sync: { ...settings.sync, ...round } }));
  }

  onHandled(hook: (e: RequestLogEntry, service: Service) => void): void {
    this.handled.push(hook);
  }

  onRequest(hook: (method: string, path: string, service: Service) => void): void {
    this.requests.push(hook);
  }

  /** Faults and hooks of the round end; the request logs are emptied (a long soak would keep every body). */
  endRound(): void {
    this.handled = [];
    this.requests = [];
    for (const service of ['visma', 'avatax'] as const) {
      this.sandboxes[service].server.clearFaults();
      this.sandboxes[service].server.log.length = 0;
    }
  }

  /** Opens the data folder (no CLI may be running) and checks every invariant. */
  async violations(settled: boolean): Promise<string[]> {
    const store = await openStore(this.dataDir, { now: this.clock.now, lock: { command: 'the soak check' } });
    try {
      return await invariantViolations({ sandboxes: this.sandboxes, store, statuses: this.statuses }, { settled });
    } finally {
      await store.close();
    }
  }

  async close(keep: boolean): Promise<void> {
    await this.sandboxes.close();
    if (!keep) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
