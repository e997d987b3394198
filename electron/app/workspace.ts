import { userInfo } from 'node:os';
import type { Actor } from '../../shared/domain.js';
import { companyTimeZone, type Secrets, type Settings } from '../../shared/settings.js';
import { type ConnectorOptions, createConnectors } from '../connectors/index.js';
import { authorOf as engineAuthorOf } from '../engine/context.js';
import { DEMO_SECRETS, demoSettingsFor, type RunningSandboxes, startSandboxes } from '../sandbox/index.js';
import { type AuditInput, openStore, type Store } from '../store/index.js';
import type { LockOptions } from '../store/lock.js';
import { parseSettings } from './config.js';
import { keepHeapClose } from './heap.js';
import { demoDataDir } from './paths.js';
import { demoSettingsWith } from './settings-repo.js';
import { SyncEngine } from './sync-engine.js';

/** A company to work on: its store, its engine and, in demo mode, the sandboxes it talks to. */
export interface Workspace {
  mode: 'demo' | 'live';
  dataDir: string;
  store: Store;
  engine: SyncEngine;
  settings: () => Settings;
  /** Replaces the settings used from the next run on (the caller persists them). */
  setSettings: (settings: Settings) => void;
  secrets: () => Secrets;
  sandboxes?: RunningSandboxes;
  /** Demo mode: the demo company's own settings, before what the user saved is laid over them. */
  demoBase?: Settings;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  dataDir: string;
  connectorOptions?: (runId?: string) => ConnectorOptions;
  now?: () => Date;
  /** Who takes the data folder and how long to wait for another process (default: not at all). */
  lock?: LockOptions;
  /** The person at this computer (default: the OS user): who entries, acceptances and runs a user did name. */
  person?: () => string;
  /** Open a damaged audit trail to look at it or accept it (see StoreOptions.inspect). */
  inspect?: boolean;
  /** Set this ledger month aside to be rebuilt (see StoreOptions.repairMonth). */
  repairMonth?: string;
}

function connectorOptions(store: Store, runId: string, extra?: ConnectorOptions): ConnectorOptions {
  return { ...extra, onExchange: (e) => store.audit.recordExchange(runId, e) };
}

/** The person at this computer, as the OS knows them: who an audit entry written for "user" names. */
export function osUserName(): string {
  try {
    const name = userInfo().username.trim();
    if (name) return name;
  } catch {
    // No passwd entry (a container): fall back to the environment.
  }
  return process.env.USER ?? process.env.USERNAME ?? 'user';
}

/** Who did it, in the audit trail's words: the OS user's name for a person, the timer, the command line. */
export function authorOf(actor: Actor, person: () => string = osUserName): string {
  return engineAuthorOf(actor, person);
}

/**
 * Every audit entry written through this workspace names who did it (`by`), beside the kind of actor: the
 * entry is chained with it, so the name is as tamper-evident as the rest of the line.
 */
export function signAuditEntries(store: Store, person: () => string = osUserName): void {
  const append = store.audit.append.bind(store.audit);
  store.audit.append = (input: AuditInput) =>
    append({ ...input, by: (input as { by?: string }).by ?? authorOf(input.actor, person) } as AuditInput);
}

export async function openLiveWorkspace(
  options: WorkspaceOptions & { settings: Settings; secrets: () => Secrets },
  opened?: Store,
): Promise<Workspace> {
  keepHeapClose();
  const store =
    opened ??
    (await openStore(options.dataDir, {
      now: options.now,
      lock: options.lock,
      inspect: options.inspect,
      repairMonth: options.repairMonth,
    }));
  const person = options.person ?? osUserName;
  signAuditEntries(store, person);
  let current = options.settings;
  store.setTimeZone(() => companyTimeZone(current));
  const settings = () => current;
  const engine = new SyncEngine({
    settings,
    connectors: (runId) =>
      createConnectors(current, options.secrets(), connectorOptions(store, runId, options.connectorOptions?.(runId))),
    store,
    now: options.now,
    person,
  });
  return {
    mode: 'live',
    dataDir: options.dataDir,
    store,
    engine,
    settings,
    setSettings: (s) => {
      current = s;
    },
    secrets: options.secrets,
    close: () => store.close(),
  };
}

/**
 * The demo company on the built-in sandboxes; their state lives in `<dataDir>/demo/sandbox.json`. `saved`: the
 * settings sections the user saved, laid over the demo's own (all but the connections, see `demoSettingsWith`).
 */
export async function openDemoWorkspace(options: WorkspaceOptions & { saved?: Partial<Settings> }): Promise<Workspace> {
  const dir = demoDataDir(options.dataDir);
  // The folder first: a second process must not start sandboxes over the first one's state.
  let sandboxes: RunningSandboxes | undefined;
  const store = await openStore(dir, {
    now: options.now,
    lock: options.lock,
    inspect: options.inspect,
    repairMonth: options.repairMonth,
    onCheckpoint: () => sandboxes?.flush(),
  });
  try {
    sandboxes = await startSandboxes({ dir, now: options.now ? () => options.now!().getTime() : undefined });
    const demoBase = parseSettings(demoSettingsFor(sandboxes), 'the demo settings');
    const settings = demoSettingsWith(demoBase, options.saved ?? {});
    const live = await openLiveWorkspace(
      { ...options, dataDir: dir, settings, secrets: () => ({ ...DEMO_SECRETS }) },
      store,
    );
    const running = sandboxes;
    return {
      ...live,
      mode: 'demo',
      sandboxes: running,
      demoBase,
      async close() {
        try {
          await live.close();
        } finally {
          await running.close();
        }
      },
    };
  } catch (error) {
    await sandboxes?.close();
    await store.close();
    throw error;
  }
}
