import { create } from 'zustand';
import type { RunProgress, RunSummary } from '../../../shared/domain.js';
import type { AppStatus } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';

interface AppState {
  status?: AppStatus;
  progress?: RunProgress;
  syncing: boolean;
  lastSummary?: RunSummary;
  error?: string;
  refresh(): Promise<void>;
  runNow(): Promise<RunSummary | undefined>;
  cancel(): Promise<void>;
  /** Listens to main's pushes; returns the unsubscribe. */
  listen(onChanged: () => void): () => void;
}

/**
 * The newest sync among those the renderer knows (the one Sync now answered, the one main pushed, the one the
 * status reports): the Last run card never shows an older run than main has, nor a user's action as a run.
 */
export function latestSync(...runs: (RunSummary | undefined)[]): RunSummary | undefined {
  let latest: RunSummary | undefined;
  for (const r of runs) {
    if (!r || (r.kind ?? 'sync') !== 'sync') continue;
    if (!latest || r.finishedAt > latest.finishedAt) latest = r;
  }
  return latest;
}

/**
 * Whether Sync now is busy: a sync runs or waits its turn, or a user's action holds the job slot. A backfill alone
 * does not make it so: it gives way between its batches, so a Sync now asked for meanwhile runs at the next one.
 */
export function syncBusy(status: AppStatus): boolean {
  const { running, waiting } = status.jobs;
  return running === 'sync' || waiting.includes('sync') || (running !== undefined && running !== 'backfill');
}

/** While a sync runs, the state cards' counts are fetched again at most this often. */
export const COUNTS_EVERY_MS = 1000;

export const useApp = create<AppState>((set, get) => ({
  syncing: false,
  async refresh() {
    try {
      const status = await getApi().getStatus({});
      set({ status, syncing: syncBusy(status), progress: status.progress ?? get().progress });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async runNow() {
    set({ syncing: true, error: undefined, progress: { runId: '', done: 0, total: 0, step: 'Starting' } });
    try {
      const summary = await getApi().runSyncNow({});
      set({ lastSummary: summary });
      return summary;
    } catch (error) {
      set({ error: (error as Error).message });
      return undefined;
    } finally {
      set({ syncing: false });
      await get().refresh();
    }
  },
  async cancel() {
    await getApi().cancelSync({});
  },
  listen(onChanged) {
    const api = getApi();
    let countsTimer: ReturnType<typeof setTimeout> | undefined;
    const offs = [
      api.onSyncProgress((progress) => {
        set({ progress, syncing: progress.step !== 'Done' });
        // The Overview's counts move with the run (the first sync can take minutes), not only at its end.
        countsTimer ??= setTimeout(() => {
          countsTimer = undefined;
          void get().refresh();
        }, COUNTS_EVERY_MS);
      }),
      api.onSyncFinished((summary) => {
        set({ lastSummary: summary, syncing: false });
        void get().refresh();
      }),
      api.onDocumentsChanged(() => {
        void get().refresh();
        onChanged();
      }),
    ];
    return () => {
      clearTimeout(countsTimer);
      for (const off of offs) off();
    };
  },
}));

/**
 * Today in the company's time zone, as main says (its status): the screens' "this month" and "last month" are
 * the company's, never the browser's clock in UTC. Asked of main once when the status is not known yet.
 */
export async function companyToday(): Promise<string> {
  const known = useApp.getState().status?.today;
  if (known) return known;
  await useApp.getState().refresh();
  return useApp.getState().status?.today ?? new Date().toISOString().slice(0, 10);
}
