import { join } from 'node:path';
import { localDay } from '../../shared/dates.js';
import type { RunSummary } from '../../shared/domain.js';
import type { AppStatus, ConnectionResult, EventName, IpcEvents, Mode } from '../../shared/ipc-channels.js';
import { formatReason } from '../../shared/reason-format.js';
import { type Reason, reason } from '../../shared/reasons.js';
import { companyTimeZone, languageOf, type Secrets } from '../../shared/settings.js';
import { APP_VERSION } from '../../shared/version.js';
import { preloadHttp } from '../connectors/http.js';
import type { RepairReport } from '../jobs/repair.js';
import { DataFolderError } from '../store/errors.js';
import type { LockOptions } from '../store/lock.js';
import { hasCredentials } from './config.js';
import { describeSchedule, Scheduler, type Timers } from './scheduler.js';
import type { SecretsVault } from './secrets-vault.js';
import { demoSettingsWith, type SettingsRepository } from './settings-repo.js';
import { openDemoWorkspace, openLiveWorkspace, type Workspace } from './workspace.js';

/**
 * A command-line run on the same folder is short: the app waits for it rather than refusing to open. Another
 * app on it (the desktop app, browser mode) is not: it is closed first. --wait is the command line's, not the app's.
 */
export const APP_LOCK: LockOptions = {
  command: 'the desktop app',
  waitMs: 120_000,
  busyHint:
    'Close it first (its window, or the terminal running npm start or npm run dev:web), then start this one again.',
};

export interface ControllerDeps {
  dataDir: string;
  settings: SettingsRepository;
  vault: SecretsVault;
  emit: <E extends EventName>(event: E, payload: IpcEvents[E]) => void;
  notify?: (title: string, body: string) => void;
  /** The desktop's save dialog; without one, exports go to `<dataDir>/exports`. */
  chooseExportFolder?: (suggested: string) => Promise<string | undefined>;
  now?: () => Date;
  timers?: Timers;
  /** Start in demo mode whatever is saved (browser mode, e2e tests). */
  forceDemo?: boolean;
  /** Who takes the data folder, as another process is told (default: the desktop app). */
  lockCommand?: string;
  /** Open this workspace instead (the 50,000-document performance fixture). */
  workspace?: () => Promise<Workspace>;
}

/**
 * Owns the running company: demo (built-in sandboxes) until credentials are saved, then live. Runs syncs for
 * Sync now and the scheduler, tells the renderer about progress and results, and notifies the OS.
 */
export class AppController {
  workspace!: Workspace;
  scheduler!: Scheduler;
  lastTests: { visma?: ConnectionResult; avatax?: ConnectionResult } = {};
  private unsubscribe?: () => void;
  /** Decrypted only in main, read by the connectors right before use, replaced when the user saves new ones. */
  private secrets?: Secrets;

  constructor(readonly deps: ControllerDeps) {}

  get now(): () => Date {
    return this.deps.now ?? (() => new Date());
  }

  get mode(): Mode {
    return this.workspace.mode;
  }

  async start(): Promise<void> {
    // The HTTP library loads while the data folder opens: the first sync does not wait for it.
    preloadHttp().catch(() => undefined);
    this.workspace = await this.openWorkspace();
    this.stopped = false;
    this.wire();
  }

  /**
   * Settings or credentials changed: reopen in the right mode and re-arm the schedule. One switch at a time:
   * two saves that overlap run one after the other (never two workspaces, two schedulers), and a Sync now
   * asked meanwhile runs on the company open once the switch is done.
   */
  reload(): Promise<void> {
    return this.switchSerially(() => this.reloadNow());
  }

  private async reloadNow(): Promise<void> {
    const wanted = await this.wantedMode();
    if (wanted === this.workspace.mode) {
      if (wanted === 'live') {
        this.secrets = await this.deps.vault.all();
        this.workspace.setSettings(this.deps.settings.load()!);
      } else if (this.workspace.demoBase) {
        // The demo company takes what was saved (mapping, item tax codes, schedule, language…), not the connections.
        this.workspace.setSettings(demoSettingsWith(this.workspace.demoBase, this.deps.settings.read().sections));
      }
      this.arm();
      return;
    }
    await this.stopWorkspace();
    this.workspace = await this.openWorkspace();
    this.stopped = false;
    this.wire();
  }

  async close(): Promise<void> {
    await this.switchSerially(async () => {
      if (this.workspace && !this.stopped) await this.stopWorkspace();
    });
  }

  /** A company switch (or closing) under way: what uses the workspace waits for it. */
  private switching: Promise<void> = Promise.resolve();
  private stopped = false;

  private switchSerially(work: () => Promise<void>): Promise<void> {
    const next = this.switching.then(work);
    this.switching = next.catch(() => undefined);
    return next;
  }

  /**
   * A running job is cancelled and finishes its checkpoint before the company's files are closed; the engine
   * takes no new job after that (it is closed), so nothing runs against a closing store.
   */
  private async stopWorkspace(): Promise<void> {
    this.scheduler?.stop();
    this.armed = false;
    await this.workspace.engine.close();
    this.unsubscribe?.();
    await this.workspace.close();
    this.stopped = true;
  }

  async runSync(actor: 'user' | 'scheduler'): Promise<RunSummary> {
    // A Sync now during a company switch runs on the company open afterwards, never on the closing one.
    await this.switching;
    try {
      const summary = await this.workspace.engine.run(actor);
      this.afterRun(summary);
      return summary;
    } catch (error) {
      this.deps.notify?.(this.say(reason('notify-failed')), (error as Error).message);
      this.deps.emit('documents:changed', { at: this.now().toISOString() });
      const last = this.workspace.store.state.lastRun();
      if (last) this.deps.emit('sync:finished', last);
      throw error;
    }
  }

  /** Today in the company's time zone (YYYY-MM-DD): its month is the one the Overview and month-end count in. */
  today(): string {
    return localDay(this.now(), companyTimeZone(this.workspace.settings()));
  }

  status(): AppStatus {
    const counts = this.workspace.store.ledger.counts();
    const schedule = this.workspace.settings().sync.schedule;
    return {
      mode: this.workspace.mode,
      today: this.today(),
      timeZone: companyTimeZone(this.workspace.settings()),
      version: APP_VERSION,
      running: this.workspace.engine.isRunning,
      jobs: this.workspace.engine.jobs,
      progress: this.workspace.engine.progress,
      lastRun: lastSync(this.workspace.store.state.runs()),
      nextRunAt: this.scheduler.nextRunAt?.toISOString(),
      scheduleLabel: describeSchedule(schedule),
      counts,
      corruptFiles: [],
      problem: this.problem,
      recentRuns: this.workspace.store.state.runs().slice(-10).reverse(),
      outage: outageOf(this.workspace.store.state.runs(), this.scheduler.nextRunAt),
      closedMonthChanges: this.workspace.store.state.closedMonthChanges(),
      ...(this.damage ? { damage: this.damage } : {}),
    };
  }

  exportFolder(): Promise<string | undefined> {
    const fallback = join(this.workspace.dataDir, 'exports');
    return this.deps.chooseExportFolder ? this.deps.chooseExportFolder(fallback) : Promise.resolve(fallback);
  }

  private afterRun(summary: RunSummary): void {
    this.deps.emit('sync:finished', summary);
    this.deps.emit('documents:changed', { at: this.now().toISOString() });
    if (summary.outcome === 'failed')
      this.deps.notify?.(this.say(reason('notify-failed')), summary.error ?? this.say(reason('notify-see-overview')));
    else if (summary.flagged > 0 || summary.needsAttention > 0) {
      const { flagged, needsAttention } = summary;
      this.deps.notify?.(
        this.say(reason('notify-needs-you')),
        this.say(reason('notify-needs-you-body', { flagged, needsAttention })),
      );
    }
  }

  /** The OS notification's words: in the language Settings name (or the computer's). */
  private say(r: Reason): string {
    return formatReason(r, languageOf(this.workspace.settings()));
  }

  private wire(): void {
    this.unsubscribe = this.workspace.engine.onProgress((p) => this.deps.emit('sync:progress', p));
    this.armed = false;
    this.scheduler = new Scheduler({
      schedule: () => this.workspace.settings().sync.schedule,
      // A reprocess or an accept is not a sync: the schedule counts from the last sync.
      lastRunAt: () => {
        const at = lastSync(this.workspace.store.state.runs())?.finishedAt;
        return at ? new Date(at) : undefined;
      },
      run: () => this.runSync('scheduler'),
      now: this.now,
      timers: this.deps.timers,
    });
    this.arm();
  }

  /**
   * The live company runs on its schedule. The demo company waits for the user's first Sync now instead of
   * catching up at once, unless a schedule was saved in Settings: then the demo follows it too.
   */
  private arm(): void {
    const scheduled = this.workspace.mode === 'live' || this.deps.settings.read().saved.sync;
    if (!scheduled) {
      this.scheduler.stop();
      this.armed = false;
    } else if (!this.armed) {
      this.scheduler.start();
      this.armed = true;
    } else this.scheduler.reschedule();
  }

  /** Whether the scheduler was started (start() again would arm a second timer; reschedule() replaces it). */
  private armed = false;

  /** Why the saved company is not the one open, when it is not: said on the Overview and in the status. */
  problem?: Reason;

  private async wantedMode(): Promise<Mode> {
    this.problem = undefined;
    if (this.deps.forceDemo) return 'demo';
    const { settings, sections, problem } = this.deps.settings.read();
    if (problem) {
      this.problem = reason('company-settings-unreadable', { problem });
      return 'demo';
    }
    if (!hasCredentials(settings)) {
      // Credentials saved, but not yet the ship-from address a company needs: say what is missing.
      if (!settings && sections.visma?.clientId && sections.visma.tenantId && sections.avalara?.accountId)
        this.problem = reason('company-no-ship-from');
      return 'demo';
    }
    try {
      if (await this.deps.vault.all()) return 'live';
      this.problem = reason('company-no-secrets');
    } catch (error) {
      this.problem = reason('company-keyring-refused', { error: (error as Error).message });
    }
    return 'demo';
  }

  /** The data folder's lock, named for who holds it (browser mode says so; the desktop app by default). */
  private lock(): LockOptions {
    return this.deps.lockCommand ? { ...APP_LOCK, command: this.deps.lockCommand } : APP_LOCK;
  }

  /**
   * The company's workspace. A live company whose data folder is damaged (a ledger month not as written, the
   * audit trail cut) is not opened: the demo company is shown, the status says what is wrong, and a damaged
   * ledger month can be repaired from the app (see `repair`).
   */
  private async openWorkspace(repairMonth?: string): Promise<Workspace> {
    if (this.deps.workspace) return this.deps.workspace();
    const mode = await this.wantedMode();
    this.damage = undefined;
    if (mode === 'demo') return this.openDemo(repairMonth);
    const settings = this.deps.settings.load()!;
    this.secrets = await this.deps.vault.all();
    try {
      return await openLiveWorkspace({
        lock: this.lock(),
        dataDir: this.deps.dataDir,
        settings,
        secrets: () => this.secrets!,
        now: this.deps.now,
        repairMonth,
      });
    } catch (error) {
      if (!(error instanceof DataFolderError)) throw error;
      this.damage = { file: error.file, problem: error.problem, month: ledgerMonthOf(error.file) };
      this.problem = reason('company-data-damaged', { error: error.message });
      return this.openDemo();
    }
  }

  private openDemo(repairMonth?: string): Promise<Workspace> {
    return openDemoWorkspace({
      dataDir: this.deps.dataDir,
      now: this.deps.now,
      lock: this.lock(),
      saved: this.deps.settings.read().sections,
      repairMonth,
    });
  }

  /** What is damaged in the company's data folder, when its workspace could not be opened. */
  damage?: { file: string; problem: string; month?: string };

  /**
   * Rebuilds a damaged ledger month of the company from Visma and AvaTax (the file is set aside as it is), then
   * goes on with the company open: what `repair --month` does from the command line.
   */
  repair(month: string): Promise<RepairReport> {
    let report!: RepairReport;
    return this.switchSerially(async () => {
      if (!this.stopped) await this.stopWorkspace();
      this.workspace = await this.openWorkspace(month);
      this.stopped = false;
      this.wire();
      report = await this.workspace.engine.repair(month, 'user');
      this.deps.emit('documents:changed', { at: this.now().toISOString() });
    }).then(() => report);
  }
}

/** The ledger month a damaged file is, when it is one (`…/ledger/2026-11.jsonl`). */
function ledgerMonthOf(file: string): string | undefined {
  return /[\\/]ledger[\\/](\d{4}-\d{2})\.jsonl$/.exec(file)?.[1];
}

/** The last sync run: the history holds the user's actions (reprocess, accept…) beside the syncs. */
export function lastSync(runs: readonly RunSummary[]): RunSummary | undefined {
  for (let i = runs.length - 1; i >= 0; i--) if ((runs[i]!.kind ?? 'sync') === 'sync') return runs[i];
  return undefined;
}

/** The last sync ended because a service did not answer (a later completed sync clears it). */
function outageOf(runs: readonly RunSummary[], next: Date | undefined): AppStatus['outage'] {
  const last = lastSync(runs);
  if (!last?.unreachable) return undefined;
  return { ...last.unreachable, at: last.finishedAt, nextAttemptAt: next?.toISOString() };
}
