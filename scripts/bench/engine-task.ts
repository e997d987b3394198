import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLiveWorkspace, type Workspace } from '../../electron/app/workspace.js';
import { preloadHttp } from '../../electron/connectors/http.js';
import { MAX_PER_MINUTE } from '../../electron/month/backfill.js';
import { DEMO_SECRETS } from '../../electron/sandbox/demo-company.js';
import { systemTimeZone } from '../../shared/dates.js';
import type { Settings } from '../../shared/settings.js';
import { testClock } from '../../test/helpers/clock.js';
import { cpuSince, folderBytes, peakRssMb, settingsFor, type Urls, unpacedPacer } from './common.js';
import { serve } from './rpc.js';

/**
 * Our engine, the real thing: the CLI's workspace (store in a data folder, SyncEngine, connectors logging every
 * exchange to the audit trail) against the sandbox host. One task per process, so its peak RSS is its own.
 */

export interface SyncTask {
  dir: string;
  urls: Urls;
  /** The bench clock's instant (ms) now: store, engine and connectors run on a clock started there. */
  at: number;
  /** The most documents in flight (`sync.concurrency`); the setting's default when absent. */
  concurrency?: number;
  /** A sync first, in a data folder and on sandboxes of its own, before the measured one (compare.ts, measure). */
  warmUp?: SyncTask;
}

export interface SyncResult {
  seconds: number;
  /** CPU time of this process during the sync (user + system): steadier than wall time on a busy machine. */
  cpuSeconds: number;
  summary: Record<string, unknown>;
  /** Documents per state in the ledger once the run is done (the run's summary counts as things happened). */
  ledger: Record<string, number>;
  /** Growth of the data folder during the sync. */
  bytesWritten: number;
  peakRssMb: number;
  /** Seconds from the start: data folder open, documents listed, last document done. */
  phases: { opened: number; listed: number; processed: number };
}

export interface BackfillTask extends SyncTask {
  /** The range of document dates, `YYYY-MM-DD`. */
  from: string;
  to: string;
}

export interface BackfillResult {
  seconds: number;
  cpuSeconds: number;
  record: Record<string, unknown>;
  bytesWritten: number;
  peakRssMb: number;
}

/** The settings of `task`, written where the CLI reads them (list and export go through it). */
function prepare(task: SyncTask): Settings {
  mkdirSync(task.dir, { recursive: true });
  const settings = settingsFor(task.urls, task.at, task.concurrency);
  writeFileSync(join(task.dir, 'settings.json'), JSON.stringify(settings, null, 2));
  return settings;
}

/** The workspace of `task` on its settings: the data folder opened, the connectors made. */
function open(task: SyncTask, settings: Settings): Promise<Workspace> {
  const clock = testClock(task.at);
  return openLiveWorkspace({
    dataDir: task.dir,
    settings,
    secrets: () => ({ ...DEMO_SECRETS }),
    now: clock.now,
    connectorOptions: () => ({ now: clock.ms }),
  });
}

async function sync(task: SyncTask): Promise<SyncResult> {
  if (task.warmUp) await sync(task.warmUp);
  // Before the clock, as for the scripts (their settings made and their code imported before they start
  // theirs): the settings, and what the desktop app has done by the time it syncs (AppController.start loads
  // the HTTP library; its schedule and status have asked for the computer's time zone). The clock then measures
  // the sync itself, from opening the data folder to the last checkpoint.
  const settings = prepare(task);
  await preloadHttp();
  systemTimeZone();
  const before = folderBytes(task.dir);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const ws = await open(task, settings);
  const at = () => (performance.now() - started) / 1000;
  const phases = { opened: at(), listed: 0, processed: 0 };
  ws.engine.onProgress((p) => {
    if (p.step === 'Calculating tax') phases.listed = at();
    if (p.total > 0 && p.done === p.total) phases.processed ||= at();
  });
  let summary: Record<string, unknown>;
  let ledger: Record<string, number>;
  try {
    summary = { ...(await ws.engine.run('cli')) };
    ledger = { ...ws.store.ledger.counts() };
  } finally {
    await ws.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const bytesWritten = folderBytes(task.dir) - before;
  return { seconds, cpuSeconds, summary, ledger, bytesWritten, peakRssMb: peakRssMb(), phases };
}

/**
 * A backfill of the range, as the CLI's `backfill` runs it, but unpaced: the bench measures the work and the
 * memory it takes, not the pace it keeps (60 documents a minute by default would take a year's backfill days).
 */
async function backfill(task: BackfillTask): Promise<BackfillResult> {
  const before = folderBytes(task.dir);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const ws = await open(task, prepare(task));
  let record: Record<string, unknown>;
  try {
    record = {
      ...(await ws.engine.backfill({ range: { from: task.from, to: task.to } }, 'cli', {
        perMinute: MAX_PER_MINUTE,
        pacer: unpacedPacer(),
      })),
    };
  } finally {
    await ws.close();
  }
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSince(cpu),
    record,
    bytesWritten: folderBytes(task.dir) - before,
    peakRssMb: peakRssMb(),
  };
}

serve({
  sync,
  backfill,
  async exit() {
    setImmediate(() => process.exit(0));
  },
});
