import { type ConnectorOptions, createConnectors } from '../../electron/connectors/index.js';
import { DEMO_SECRETS, demoSettings, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import { type RunningSandboxes, startSandboxes } from '../../electron/sandbox/index.js';
import { type Settings, settingsSchema } from '../../shared/settings.js';
import { type TestClock, testClock } from './clock.js';

export interface TestWorld {
  /** The world's clock: the sandboxes', the store's and the engine's. */
  clock: TestClock;
  sandboxes: RunningSandboxes;
  settings: Settings;
  secrets: typeof DEMO_SECRETS;
  connectors: (options?: ConnectorOptions) => ReturnType<typeof createConnectors>;
  close(): Promise<void>;
}

/** Both sandboxes with a small seeded demo company, and fast retries so tests do not wait. */
export async function startWorld(
  options: { invoices?: number; creditNotes?: number; debitNotes?: number; clock?: TestClock } = {},
): Promise<TestWorld> {
  const clock = options.clock ?? testClock();
  const seed = seedDemoCompany({
    now: clock.ms(),
    invoices: options.invoices ?? 30,
    creditNotes: options.creditNotes ?? 5,
    debitNotes: options.debitNotes ?? 0,
  });
  const sandboxes = await startSandboxes({ seed, now: clock.ms });
  const settings = settingsSchema.parse(demoSettings(sandboxes.urls, sandboxes.startFrom));
  return {
    clock,
    sandboxes,
    settings,
    secrets: DEMO_SECRETS,
    connectors: (o = {}) =>
      createConnectors(settings, DEMO_SECRETS, {
        retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
        timeoutMs: 5_000,
        pollDelaysMs: [0, 1, 2, 4, 8, 16, 32, 64],
        ...o,
      }),
    close: () => sandboxes.close(),
  };
}
