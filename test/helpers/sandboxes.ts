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

/**
 * Where the real services' behaviour is uncertain the sandboxes offer both readings, the stricter by default
 * (docs/api-assumptions.md): 'strict' is the defaults; 'lenient' takes the other reading of each — If-Match checked
 * on every write, a release done when answered, a document-level override beside line-level ones kept.
 */
export const SANDBOX_VARIANTS = {
  strict: (_s: RunningSandboxes) => undefined,
  lenient: (s: RunningSandboxes) => {
    s.visma.enforceIfMatch = 'always';
    s.visma.releaseAction = 'immediate';
    s.avatax.overrideMix = 'allow';
  },
} as const;
export type SandboxVariant = keyof typeof SANDBOX_VARIANTS;

/** Both sandboxes with a small seeded demo company, and fast retries so tests do not wait. */
export async function startWorld(
  options: {
    invoices?: number;
    creditNotes?: number;
    debitNotes?: number;
    clock?: TestClock;
    variant?: SandboxVariant;
  } = {},
): Promise<TestWorld> {
  const clock = options.clock ?? testClock();
  const seed = seedDemoCompany({
    now: clock.ms(),
    invoices: options.invoices ?? 30,
    creditNotes: options.creditNotes ?? 5,
    debitNotes: options.debitNotes ?? 0,
  });
  const sandboxes = await startSandboxes({ seed, now: clock.ms });
  SANDBOX_VARIANTS[options.variant ?? 'strict'](sandboxes);
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
