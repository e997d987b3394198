import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncEngine } from '../../electron/app/sync-engine.js';
import type { ConnectorOptions } from '../../electron/connectors/index.js';
import { openStore, type Store } from '../../electron/store/index.js';
import type { Settings } from '../../shared/settings.js';
import type { TestClock } from './clock.js';
import { type SandboxVariant, startWorld, type TestWorld } from './sandboxes.js';

export interface EngineWorld extends TestWorld {
  dir: string;
  store: Store;
  engine: SyncEngine;
  settingsNow: Settings;
  reopen(): Promise<void>;
}

export function tempDir(prefix = 'taxsync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Sandboxes + a store in a temp folder + the engine, with fast retries. */
export async function startEngineWorld(
  options: {
    invoices?: number;
    creditNotes?: number;
    debitNotes?: number;
    /** Which reading of the uncertain API behaviours the sandboxes take (default: the strict one). */
    variant?: SandboxVariant;
    connector?: ConnectorOptions;
    settings?: (s: Settings) => Settings;
    /** The world's clock (the seed dates its documents before it; default: `testClock()`). */
    clock?: TestClock;
  } = {},
): Promise<EngineWorld> {
  const world = await startWorld(options);
  const dir = tempDir();
  const w = world as EngineWorld;
  w.dir = dir;
  w.settingsNow = options.settings ? options.settings(world.settings) : world.settings;
  const build = async () => {
    w.store = await openStore(dir, { now: world.clock.now });
    w.engine = new SyncEngine({
      now: world.clock.now,
      settings: () => w.settingsNow,
      connectors: () => world.connectors(options.connector),
      store: w.store,
    });
  };
  await build();
  w.reopen = build;
  const close = world.close;
  w.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return w;
}

export function avataxCreates(world: TestWorld): { path: string; code: string }[] {
  return world.sandboxes.avatax.server.log
    .filter((e) => e.method === 'POST' && /\/transactions\/(create|createoradjust)$/.test(e.path) && e.status === 200)
    .map((e) => {
      const body = JSON.parse(e.body);
      return { path: e.path, code: (body.createTransactionModel ?? body).code };
    });
}

export function vismaPuts(world: TestWorld): string[] {
  return world.sandboxes.visma.server.log.filter((e) => e.method === 'PUT').map((e) => e.path);
}
