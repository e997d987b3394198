import type { z } from 'zod';
import { type Channel, IPC_INPUTS, type IpcParsed, type IpcResults } from '../../shared/ipc.js';
import type { BackfillView } from '../../shared/month.js';
import { reason } from '../../shared/reasons.js';
import { csvDelimiter, languageOf } from '../../shared/settings.js';
import { RefusedError } from '../engine/errors.js';
import { note } from '../engine/recorder.js';
import type { BackfillProgress, BackfillRecord, BackfillRequest } from '../month/backfill.js';
import type { DryRunResult } from '../month/dry-run.js';
import type { AppController } from './controller.js';
import type { SyncEngine } from './sync-engine.js';
import { osUserName } from './workspace.js';

/**
 * The month-end actions for the desk, as plain functions over the engine: a dry run, and a backfill started,
 * paused, resumed and followed; `createMonthHandlers` serves them and the rest of Month-end on the `month:*`
 * channels, whose inputs the router has already checked against shared/ipc.ts (checked here again for callers
 * that are not the router). A backfill can take hours, so starting one answers as soon as it has listed its
 * range, with its state; its progress and its end come through the `events` given.
 */

/** The month-end channels' schemas, as the IPC contract (shared/ipc.ts) has them. */
export const MONTH_IPC_INPUTS = {
  'month:dry-run': IPC_INPUTS['month:dry-run'],
  'month:backfill-start': IPC_INPUTS['month:backfill-start'],
  'month:backfill-resume': IPC_INPUTS['month:backfill-resume'],
  'month:backfill-pause': IPC_INPUTS['month:backfill-pause'],
  'month:backfill-status': IPC_INPUTS['month:backfill-status'],
};

export type MonthInput<C extends keyof typeof MONTH_IPC_INPUTS> = z.infer<(typeof MONTH_IPC_INPUTS)[C]>;

export type { BackfillView };

export interface BackfillEvents {
  onProgress?: (progress: BackfillProgress) => void;
  /** Finished, paused, or stopped by an error (then `error` says why). */
  onEnded?: (record: BackfillRecord | undefined, error?: string) => void;
}

/** The pause of each engine's running backfill. */
const pauses = new WeakMap<SyncEngine, AbortController>();

function parse<C extends keyof typeof MONTH_IPC_INPUTS>(channel: C, input: unknown): MonthInput<C> {
  const parsed = MONTH_IPC_INPUTS[channel].safeParse(input ?? {});
  if (!parsed.success) throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data as MonthInput<C>;
}

export async function dryRunHandler(engine: SyncEngine, input: unknown): Promise<DryRunResult> {
  const q = parse('month:dry-run', input);
  return engine.dryRun(
    {
      range: q.from && q.to ? { from: q.from, to: q.to } : undefined,
      customer: q.customer,
      unreleased: q.unreleased || undefined,
    },
    'user',
  );
}

export function backfillStatusHandler(engine: SyncEngine): BackfillView | null {
  const status = engine.backfillStatus();
  if (!status) return null;
  return { ...status, running: engine.backfillRunning || pauses.has(engine) };
}

/** Starts a backfill of a range (or takes the same paused range up again) and answers with its state. */
export async function startBackfillHandler(
  engine: SyncEngine,
  input: unknown,
  events: BackfillEvents = {},
): Promise<BackfillView> {
  const q = parse('month:backfill-start', input);
  return launch(engine, { range: { from: q.from, to: q.to } }, q.perMinute, events);
}

/** Goes on with the paused backfill (one stopped with the app included). */
export async function resumeBackfillHandler(
  engine: SyncEngine,
  input: unknown,
  events: BackfillEvents = {},
): Promise<BackfillView> {
  const q = parse('month:backfill-resume', input);
  return launch(engine, { resume: true }, q.perMinute, events);
}

/** Pauses the running backfill after the document in hand; its position is kept. */
export function pauseBackfillHandler(engine: SyncEngine): { pausing: boolean } {
  const pause = pauses.get(engine);
  pause?.abort();
  return { pausing: pause !== undefined };
}

/**
 * Starts the job and answers once it has listed its range (its first progress: done and total known), or when it
 * ended before that; the rest comes through the events.
 */
function launch(
  engine: SyncEngine,
  request: BackfillRequest,
  perMinute: number | undefined,
  events: BackfillEvents,
): Promise<BackfillView> {
  if (pauses.has(engine)) return Promise.reject(new RefusedError(reason('backfill-running')));
  const pause = new AbortController();
  pauses.set(engine, pause);
  return new Promise((resolve, reject) => {
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      const status = backfillStatusHandler(engine);
      if (status) resolve(status);
      else reject(new Error('The backfill did not start'));
    };
    engine
      .backfill(request, 'user', {
        perMinute,
        pause: pause.signal,
        onProgress: (p) => {
          answer();
          events.onProgress?.(p);
        },
      })
      .then(
        (record) => {
          pauses.delete(engine);
          answer();
          events.onEnded?.(record);
        },
        (error: unknown) => {
          pauses.delete(engine);
          if (!answered) {
            answered = true;
            reject(error);
          }
          events.onEnded?.(engine.backfillStatus(), (error as Error)?.message ?? String(error));
        },
      );
  });
}

/** The Month-end screen's channels: each a thin call into the engine, as the CLI's month commands make it. */
export type MonthChannel = Extract<Channel, `month:${string}`>;
export type MonthHandlers = { [C in MonthChannel]: (input: IpcParsed<C>) => Promise<IpcResults[C]> };

export function createMonthHandlers(app: AppController, person: () => string = osUserName): MonthHandlers {
  const ws = () => app.workspace;
  const changed = () => app.deps.emit('documents:changed', { at: app.now().toISOString() });
  /** Where the files go, and in which language and separator: the screens' at export time (item 2 of issue 17). */
  const filesTo = async (delimiter: ',' | ';' | undefined, locale: string | undefined) => {
    const dir = await app.exportFolder();
    const language = locale ?? languageOf(ws().settings());
    return dir ? { dir, delimiter: delimiter ?? csvDelimiter(ws().settings(), language), locale: language } : undefined;
  };
  const events: BackfillEvents = {
    onProgress: (p) => app.deps.emit('month:backfill-progress', p),
    onEnded: (_record, error) => {
      app.deps.emit('month:backfill-ended', { backfill: backfillStatusHandler(ws().engine), error });
      changed();
    },
  };

  return {
    'month:reconcile': async ({ month }) => ws().engine.reconcileMonth(month, 'user'),

    'month:export-reconciliation': async ({ month, delimiter, locale }) => {
      const to = await filesTo(delimiter, locale);
      if (!to) return { cancelled: true, files: [] };
      const { files } = await ws().engine.exportReconciliation(month, 'user', to);
      return { files };
    },

    'month:vat-report': async ({ month, delimiter, locale }) => {
      const to = await filesTo(delimiter, locale);
      if (!to) return { cancelled: true, files: [] };
      const { report, files } = await ws().engine.vatReport(month, 'user', to);
      return {
        files,
        baseCurrency: report.baseCurrency,
        vatReturn: report.vatReturn,
        clean: report.clean,
        notes: report.notes,
      };
    },

    'month:close': async ({ month, note }) => {
      const result = await ws().engine.closeMonth(month, 'user', person(), note || undefined);
      changed();
      return { closed: result.closed, reconciliation: result.reconciliation };
    },

    'month:reopen': async ({ month, reason }) => {
      await ws().engine.reopenMonth(month, 'user', person(), reason);
      changed();
      return { month, reopened: true };
    },

    'month:void': async ({ code, reason }) => {
      const result = await ws().engine.voidInAvaTax(code, reason, 'user');
      changed();
      return result;
    },

    'month:demo-release': async ({ reference, kind }) => {
      // Only the demo company has a Visma the app may act in as a person would; a real Visma is released there.
      const sandboxes = ws().sandboxes;
      if (!sandboxes) throw new RefusedError(reason('demo-release-own-company'));
      try {
        sandboxes.visma.releaseDocument(kind, reference);
      } catch (error) {
        // The demo Visma's own words, quoted inside ours.
        return {
          released: false,
          error: reason('demo-release-refused', { reference, message: (error as Error).message }),
        };
      }
      note(ws().store, {
        runId: 'demo',
        actor: 'user',
        action: 'released',
        documentKey: `${kind}:${reference}`,
        referenceNumber: reference,
        detail: reason('demo-released', { reference, by: person() }),
      });
      const [result] = await ws().engine.reprocess([reference], 'user');
      changed();
      return { released: true, state: result?.state, ...(result?.error ? { error: result.error } : {}) };
    },

    'month:acknowledge-changes': async ({ month }) => {
      const acknowledged = await ws().store.state.acknowledgeClosedMonthChanges(month);
      changed();
      return { acknowledged };
    },

    'month:dry-run': async (input) => dryRunHandler(ws().engine, input),
    'month:backfill-start': async (input) => startBackfillHandler(ws().engine, input, events),
    'month:backfill-resume': async (input) => resumeBackfillHandler(ws().engine, input, events),
    'month:backfill-pause': async () => pauseBackfillHandler(ws().engine),
    'month:backfill-status': async () => backfillStatusHandler(ws().engine),
  };
}
