import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLiveWorkspace } from '../../electron/app/workspace.js';
import { DEMO_SECRETS } from '../../electron/sandbox/demo-company.js';
import { cpuSince, folderBytes, peakRssMb, settingsFor, type Urls } from './common.js';
import { serve } from './rpc.js';

/**
 * Our engine, the real thing: the CLI's workspace (store in a data folder, SyncEngine, connectors logging every
 * exchange to the audit trail) against the sandbox host. One task per process, so its peak RSS is its own.
 */

export interface SyncTask {
  dir: string;
  urls: Urls;
  concurrency?: number;
}

export interface SyncResult {
  seconds: number;
  /** CPU time of this process during the sync (user + system): steadier than wall time on a busy machine. */
  cpuSeconds: number;
  summary: Record<string, unknown>;
  /** Growth of the data folder during the sync. */
  bytesWritten: number;
  peakRssMb: number;
  /** Seconds from the start: data folder open, documents listed, last document done. */
  phases: { opened: number; listed: number; processed: number };
}

async function sync(task: SyncTask): Promise<SyncResult> {
  mkdirSync(task.dir, { recursive: true });
  const settings = settingsFor(task.urls, task.concurrency);
  // The settings file the CLI reads (list and export are timed through the built CLI).
  writeFileSync(join(task.dir, 'settings.json'), JSON.stringify(settings, null, 2));
  const open = () => openLiveWorkspace({ dataDir: task.dir, settings, secrets: () => ({ ...DEMO_SECRETS }) });
  const before = folderBytes(task.dir);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const ws = await open();
  const at = () => (performance.now() - started) / 1000;
  const phases = { opened: at(), listed: 0, processed: 0 };
  ws.engine.onProgress((p) => {
    if (p.step === 'Calculating tax') phases.listed = at();
    if (p.total > 0 && p.done === p.total) phases.processed ||= at();
  });
  let summary: Record<string, unknown>;
  try {
    summary = { ...(await ws.engine.run('cli')) };
  } finally {
    await ws.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const bytesWritten = folderBytes(task.dir) - before;
  return { seconds, cpuSeconds, summary, bytesWritten, peakRssMb: peakRssMb(), phases };
}

/**
 * Forgets where the last sync stopped, as README tells a user they may (delete the watermarks from state.json):
 * the next run reads every document of the month again and must recognise each one as unchanged.
 */
function forgetWatermarks(dir: string): void {
  const file = join(dir, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  state.watermarks = {};
  writeFileSync(file, JSON.stringify(state));
}

serve({
  sync,
  forgetWatermarks,
  async exit() {
    setImmediate(() => process.exit(0));
  },
});
