import { vi } from 'vitest';
import type { RunSummary } from '../../shared/domain.js';
import type { Api } from '../../shared/ipc.js';
import type { DocumentPage } from '../../shared/ipc-channels.js';

export const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  runId: 'run-1',
  actor: 'user',
  startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:01:00.000Z',
  outcome: 'completed',
  fetched: 10,
  calculated: 8,
  posted: 5,
  alreadyPosted: 0,
  flagged: 2,
  needsAttention: 0,
  pendingRetry: 0,
  writtenBack: 8,
  skipped: 0,
  voided: 0,
  ...over,
});

/** A renderer-side Api made of spies, typed against the same contract. */
export function fakeApi(overrides: Partial<Record<keyof Api, unknown>> = {}) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const on = (event: string) => (l: (p: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(l);
    listeners.set(event, set);
    return () => set.delete(l);
  };
  const page: DocumentPage = { total: 0, rows: [], countries: [], currencies: [], customers: [] };
  const api = {
    getStatus: vi.fn(async () => ({
      mode: 'demo',
      version: '0.1.0',
      today: '2026-11-28',
      timeZone: 'Europe/Stockholm',
      running: false,
      jobs: { waiting: [] },
      scheduleLabel: { code: 'schedule-manual' },
      counts: {
        pending: 0,
        flagged: 2,
        'needs-attention': 0,
        'pending-retry': 0,
        calculated: 3,
        posted: 5,
        'already-posted': 0,
      },
      corruptFiles: [],
    })),
    runSyncNow: vi.fn(async () => summary()),
    cancelSync: vi.fn(async () => ({ cancelled: true })),
    listDocuments: vi.fn(async () => page),
    getDocument: vi.fn(async () => null),
    reprocessDocuments: vi.fn(async () => []),
    fixAddress: vi.fn(async () => []),
    listAuditMonths: vi.fn(async () => ['2026-11', '2026-10']),
    listAudit: vi.fn(async () => []),
    exportAuditMonth: vi.fn(async () => ({
      auditFile: '/x/audit-2026-11.csv',
      documentsFile: '/x/documents-2026-11.csv',
      auditRows: 3,
      documentRows: 2,
    })),
    getSettings: vi.fn(),
    getVatLists: vi.fn(async () => ({ categories: [], zones: [], vats: [] })),
    acceptDocument: vi.fn(async () => []),
    adjustDocument: vi.fn(async () => []),
    saveSettings: vi.fn(),
    testConnection: vi.fn(),
    onSyncProgress: on('sync:progress'),
    onSyncFinished: on('sync:finished'),
    onDocumentsChanged: on('documents:changed'),
    onBackfillProgress: on('month:backfill-progress'),
    onBackfillEnded: on('month:backfill-ended'),
    ...overrides,
  };
  const emit = (event: string, payload: unknown) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api: api as unknown as Api & { [K in keyof typeof api]: ReturnType<typeof vi.fn> }, emit };
}
