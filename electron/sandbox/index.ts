import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AvaTaxSandbox } from './avatax-server.js';
import type { AvaTaxSandboxState } from './avatax-state.js';
import { type DemoSeed, demoSettings, seedDemoCompany } from './demo-company.js';
import { VismaSandbox } from './visma-server.js';
import { VISMA_STATE_VERSION, type VismaSandboxState } from './visma-state.js';

export { AvaTaxSandbox } from './avatax-server.js';
export { DEMO_CREDENTIALS, DEMO_SECRETS, demoSettings, seedDemoCompany } from './demo-company.js';
export { VismaSandbox } from './visma-server.js';
export { computeVismaVat } from './visma-vat.js';

export interface RunningSandboxes {
  visma: VismaSandbox;
  avatax: AvaTaxSandbox;
  urls: { visma: string; avatax: string };
  /** The date the demo company's history starts: demo settings sync from here. */
  startFrom: string;
  flush(): void;
  close(): Promise<void>;
}

interface PersistedDemo extends DemoSeed {
  startFrom: string;
}

/**
 * Starts both sandboxes on loopback. With a folder, their state lives in `<dir>/sandbox.json` (written
 * atomically, debounced, and on close), so a second demo run sees what the first one wrote.
 */
export async function startSandboxes(
  options: { dir?: string; now?: () => number; seed?: DemoSeed; startFrom?: string } = {},
): Promise<RunningSandboxes> {
  const now = options.now ?? Date.now;
  const file = options.dir ? join(options.dir, 'sandbox.json') : undefined;
  let data: PersistedDemo | undefined;
  if (file && existsSync(file)) {
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as PersistedDemo;
    } catch {
      renameSync(file, `${file}.corrupt-${Date.now()}`);
    }
    // A demo saved by an older sandbox has another shape: keep it aside and seed the company afresh.
    if (data && data.visma?.version !== VISMA_STATE_VERSION) {
      renameSync(file, `${file}.v${String(data.visma?.version ?? 'unknown')}-${Date.now()}`);
      data = undefined;
    }
  }
  if (!data) {
    const seed = options.seed ?? seedDemoCompany({ now: now() });
    data = { ...seed, startFrom: options.startFrom ?? new Date(now() - 31 * 86_400_000).toISOString().slice(0, 10) };
  }
  const persisted = data;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!file || !options.dir) return;
    mkdirSync(options.dir, { recursive: true });
    const tmp = join(options.dir, `.sandbox.json.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, JSON.stringify(persisted));
      renameSync(tmp, file);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  };
  const schedule = () => {
    if (!file) return;
    timer ??= setTimeout(flush, 250);
  };
  const visma = new VismaSandbox({ state: persisted.visma as VismaSandboxState, now, onChange: schedule });
  const avatax = new AvaTaxSandbox({ state: persisted.avatax as AvaTaxSandboxState, now, onChange: schedule });
  await visma.listen();
  await avatax.listen();
  flush();
  return {
    visma,
    avatax,
    urls: { visma: visma.apiUrl, avatax: avatax.url },
    startFrom: persisted.startFrom,
    flush,
    async close() {
      flush();
      await Promise.all([visma.close(), avatax.close()]);
    },
  };
}

export function demoSettingsFor(s: RunningSandboxes) {
  return demoSettings(s.urls, s.startFrom);
}
