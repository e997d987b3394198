import type { AuditEntry, DocumentState, JobKind, LedgerDocument, RunProgress, RunSummary, ShipTo } from './domain.js';
import type {
  BackfillProgress,
  BackfillView,
  ClosedMonthChange,
  DryRunResult,
  Reconciliation,
  VatReturn,
} from './month.js';
import type { Reason, StoredReason } from './reasons.js';
import type { Settings } from './settings.js';
import type { SettingsIssue } from './settings-issues.js';

/**
 * The IPC contract's names and result types, without zod, so the sandboxed preload can import it. The input
 * schemas live beside it in `ipc.ts`; main validates every input against them.
 */

export type Mode = 'demo' | 'live';

export interface SecretState {
  set: boolean;
  updatedAt?: string;
}

export interface SecretsBackend {
  available: boolean;
  backend: string;
  /** Why secrets cannot be stored here, in words a user can act on. */
  reason?: string;
}

export interface ConnectionResult {
  ok: boolean;
  kind: 'ok' | 'auth' | 'network' | 'other';
  /** In English, as the connectors said it (a service's own error); `reason` says it in the reader's language. */
  message: string;
  reason?: Reason;
  /** The form's fields that are wrong (nothing was sent): the screen names them in its words. */
  issues?: SettingsIssue[];
  /** Which values were tested (`connectionKey`): a window whose form shows others does not show this result. */
  for?: string;
  testedAt: string;
}

/** The tested connection's values as one key: what a test result belongs to (secrets are never part of it). */
export function connectionKey(
  target: 'visma' | 'avatax',
  settings: Partial<Pick<Settings, 'visma' | 'avalara'>>,
): string {
  const values: Record<string, unknown> = (target === 'visma' ? settings.visma : settings.avalara) ?? {};
  const fields =
    target === 'visma'
      ? ['tokenUrl', 'apiUrl', 'tenantId', 'clientId']
      : ['environment', 'apiUrl', 'accountId', 'companyCode'];
  return JSON.stringify(fields.map((f) => String(values[f] ?? '').trim()));
}

/**
 * The job slot now: one job at a time. A backfill gives way at its batch boundaries, so while a Sync now or a
 * Reconcile asked for meanwhile runs, the backfill is among the waiting ones and goes on after them.
 */
export interface JobsNow {
  running?: JobKind;
  waiting: JobKind[];
}

export interface AppStatus {
  mode: Mode;
  /** Today in the company's time zone, YYYY-MM-DD: the screens' "this month" and "last month" come from it. */
  today: string;
  /** The company's time zone (Settings, else the computer's). */
  timeZone: string;
  version: string;
  /** Whether a job holds the job slot (a sync, a user's action, a backfill…). */
  running: boolean;
  /** Which job holds the slot and which wait for it, in the order they will run (issue 14, item 12). */
  jobs: JobsNow;
  progress?: RunProgress;
  lastRun?: RunSummary;
  nextRunAt?: string;
  /** The schedule as a code with parameters ("Every 15 minutes" in the reader's language). */
  scheduleLabel: Reason;
  counts: Record<DocumentState, number>;
  corruptFiles: string[];
  /**
   * Why the company saved in Settings could not be opened (unreadable settings, a locked keyring): the demo
   * company is shown meanwhile, and the user must be told, never left to take demo figures for their own.
   */
  problem?: Reason;
  /** This month's documents that arrived already released in Visma (their VAT could not be set first). */
  arrivedReleased?: { month: string; count: number; total: number };
  /** The last runs and user actions, newest first. */
  recentRuns: RunSummary[];
  /** The last sync stopped because a service did not answer: which, why, and when it is tried again. */
  outage?: { service: string; message: string; at: string; nextAttemptAt?: string };
  /** Changes to documents of closed months nobody has looked at yet: the Overview names them loudly. */
  closedMonthChanges?: ClosedMonthChange[];
  /**
   * The company's data folder is damaged, so the company is not open: which file, what is wrong, and the
   * ledger month to repair when it is one (Repair rebuilds it from Visma and AvaTax).
   */
  damage?: { file: string; problem: string; month?: string };
}

/** What a repair rebuilt: per state, the acceptances brought back, what could not be found anywhere. */
export interface RepairOutcome {
  month: string;
  rebuilt: Record<DocumentState, number>;
  known: number;
  acceptancesRestored: number;
  gone: string[];
  added: number;
  setAside?: string;
}

/** A slim row for the virtualised table (the detail panel asks for the rest). */
export interface DocumentRow {
  key: string;
  documentType: LedgerDocument['documentType'];
  referenceNumber: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  currency: string;
  amount: number;
  /** The VAT on the document: what Visma booked (which AvaTax records); null while there is no tax yet. */
  totalTax: number | null;
  /** What Visma booked, and what AvaTax calculated itself; null until known. */
  bookedTax: number | null;
  calculatedTax: number | null;
  state: DocumentState;
  country: string;
  avataxCode: string;
  /** The first reason, when there is one. */
  reason?: StoredReason;
  /** Visma's rate to the company's base currency, when Visma gave one (the grid's base-currency total). */
  exchangeRate?: number;
  /**
   * The VAT in the base currency by the one rule (shared/money.ts `toBase`): each VAT id converted on its own at
   * the document's rate, then summed; absent without a rate or a tax.
   */
  taxBase?: number;
  /** Flagged documents only: the address and VAT number checked, AvaTax's suggestion (US/CA) and every reason. */
  flag?: {
    shipTo?: ShipTo;
    suggestedAddress?: ShipTo;
    reasons: StoredReason[];
    locationId?: string;
    vatNumber?: string;
  };
}

export interface DocumentPage {
  total: number;
  rows: DocumentRow[];
  countries: string[];
  currencies: string[];
  customers: { number: string; name: string }[];
  /** The company's base currency (Settings › Company), for the totals row. */
  baseCurrency?: string;
}

/**
 * An audit entry as the screens get it: with who did it (`by`: the OS user's name for a person, "schedule" for
 * the timer, "command line" for the CLI) on entries written since the app records it.
 */
export type AuditView = AuditEntry & { by?: string };

export interface DocumentDetail {
  document: LedgerDocument;
  audit: AuditView[];
  /** The AvaTax admin console's page of the transaction, when the account and company ids are known. */
  avataxConsoleUrl?: string;
}

export interface ReprocessOutcome {
  referenceNumber: string;
  state?: DocumentState;
  /** Why it was not done, as a code the screen says in its language. */
  error?: Reason;
}

/** A customer correction: written only when it passed the sync's rules; then the flagged documents again. */
export interface FixOutcome {
  saved: boolean;
  problems: StoredReason[];
  suggestion?: ShipTo;
  documents: ReprocessOutcome[];
}

/** Visma's VAT master data for the mapping table's pickers (rates in percent, as Visma shows them). */
export interface VatLists {
  categories: { id: string; description: string; active: boolean; vatIds: string[] }[];
  zones: { id: string; description: string; vatIds: string[] }[];
  vats: { id: string; description: string; rate?: number }[];
}

export interface ExportOutcome {
  cancelled?: boolean;
  auditFile?: string;
  documentsFile?: string;
  auditRows?: number;
  documentRows?: number;
  /** The data rows of the documents file (one per document and VAT id): what a spreadsheet counts. */
  documentLines?: number;
}

/**
 * The Settings screen's sections, each validated and saved on its own (the settings keys each one holds): Test
 * Visma needs neither the ship-from nor the AvaTax account, and the language can be saved without a ship-from.
 */
export const SETTINGS_SECTIONS = {
  visma: ['visma'],
  avalara: ['avalara'],
  company: ['company'],
  mapping: ['vatMapping', 'itemTaxCodes', 'defaultTaxCode'],
  sync: ['sync'],
  display: ['export', 'ui'],
} as const satisfies Record<string, readonly (keyof Settings)[]>;
export type SettingsSection = keyof typeof SETTINGS_SECTIONS;
export const SETTINGS_SECTION_NAMES = Object.keys(SETTINGS_SECTIONS) as SettingsSection[];

/** Only these point at the company's own services: in demo mode they stay on the built-in sandboxes. */
export const CONNECTION_SECTIONS: readonly SettingsSection[] = ['visma', 'avalara'];

export interface SettingsView {
  /** What the form starts from: what is saved; in demo mode the demo company's values where nothing is. */
  settings: Settings;
  /** Which sections are saved (in demo mode, the others show the demo company's values). */
  saved: Record<SettingsSection, boolean>;
  secrets: { vismaClientSecret: SecretState; avalaraLicenseKey: SecretState };
  secretsBackend: SecretsBackend;
  lastTests: { visma?: ConnectionResult; avatax?: ConnectionResult };
  mode: Mode;
  /** Live mode: the Visma company (tenant) and the AvaTax account and company the app works on. */
  connected?: {
    vismaTenantId: string;
    avataxAccountId: string;
    avataxCompanyCode: string;
    avataxEnvironment: Settings['avalara']['environment'];
  };
}

/** Month-end files written: where (the folder the user chose), and each file with its rows. */
export interface MonthFilesOutcome {
  cancelled?: boolean;
  files: { file: string; rows: number }[];
}

/** The VAT report's files, with its totals in base currency (minor units) to say what went out. */
export interface VatReportOutcome extends MonthFilesOutcome {
  baseCurrency?: string;
  /** What each return is filed from, apart: domestic VAT, OSS per country, intra-EU B2B, exports (minor units). */
  vatReturn?: VatReturn;
  clean?: boolean;
  notes?: Reason[];
}

/** The demo's "Release in Visma": released in the demo company's Visma, then reprocessed (its new state). */
export interface DemoReleaseOutcome {
  released: boolean;
  state?: DocumentState;
  /** Why it was not released, or not processed after, as a code the screen says in its language. */
  error?: Reason;
}

/** Close: done, or refused with the reconciliation that says what blocks it. */
export interface CloseOutcome {
  closed: boolean;
  reconciliation: Reconciliation;
}

/** An AvaTax document voided (its new status), or refused with why. */
export interface VoidOutcome {
  code: string;
  status?: string;
  /** Why it was not voided, as a code the screen says in its language. */
  error?: Reason;
}

/**
 * A save refused: `issues` are the fields the schema refused (the screen says them in its words); `errors` the
 * rest, and the same issues in English for the command line and logs.
 */
export type SaveSettingsResult =
  | { ok: true; view: SettingsView }
  | { ok: false; errors: string[]; issues?: SettingsIssue[]; refusal?: Reason };

export type { ShipTo };

/** Channel → result type. */
export interface IpcResults {
  'app:status': AppStatus;
  'data:repair': RepairOutcome;
  'sync:run-now': RunSummary;
  'sync:cancel': { cancelled: boolean };
  'documents:list': DocumentPage;
  'documents:get': DocumentDetail | null;
  'documents:reprocess': ReprocessOutcome[];
  'address:fix': FixOutcome;
  'documents:accept': ReprocessOutcome[];
  'visma:vat-lists': VatLists;
  'documents:adjust': ReprocessOutcome[];
  'audit:months': string[];
  'audit:list': AuditView[];
  'audit:export-month': ExportOutcome;
  'settings:get': SettingsView;
  'settings:save': SaveSettingsResult;
  'connection:test': ConnectionResult;
  'month:reconcile': Reconciliation;
  'month:export-reconciliation': MonthFilesOutcome;
  'month:vat-report': VatReportOutcome;
  'month:close': CloseOutcome;
  'month:reopen': { month: string; reopened: boolean };
  'month:void': VoidOutcome;
  'month:acknowledge-changes': { acknowledged: number };
  'month:demo-release': DemoReleaseOutcome;
  'month:dry-run': DryRunResult;
  'month:backfill-start': BackfillView;
  'month:backfill-resume': BackfillView;
  'month:backfill-pause': { pausing: boolean };
  'month:backfill-status': BackfillView | null;
  'documents:export-view': ExportOutcome;
}

export type Channel = keyof IpcResults;

/** Events from main to the renderer. */
export interface IpcEvents {
  'sync:progress': RunProgress;
  'sync:finished': RunSummary;
  'documents:changed': { at: string };
  'month:backfill-progress': BackfillProgress;
  /** Finished, paused, or stopped by an error (then `error` says why). */
  'month:backfill-ended': { backfill: BackfillView | null; error?: string };
}

export type EventName = keyof IpcEvents;

/** An error the UI can show: the wrapper turns every failure into one of these. */
export interface IpcError {
  /** `unreachable`: browser mode only, the page could not reach the app at all (it was stopped). */
  code: 'invalid-input' | 'forbidden' | 'configuration' | 'not-found' | 'failed' | 'unreachable';
  /** English, for logs and the command line. */
  message: string;
  /** What the screens say instead of `message`, in their language, when main refused for a reason of its own. */
  reason?: Reason;
  issues?: string[];
}

export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The named methods the preload exposes, each bound to exactly one channel. */
export const METHODS = {
  getStatus: 'app:status',
  repairMonth: 'data:repair',
  runSyncNow: 'sync:run-now',
  cancelSync: 'sync:cancel',
  listDocuments: 'documents:list',
  getDocument: 'documents:get',
  reprocessDocuments: 'documents:reprocess',
  fixAddress: 'address:fix',
  acceptDocument: 'documents:accept',
  getVatLists: 'visma:vat-lists',
  adjustDocument: 'documents:adjust',
  listAuditMonths: 'audit:months',
  listAudit: 'audit:list',
  exportAuditMonth: 'audit:export-month',
  getSettings: 'settings:get',
  saveSettings: 'settings:save',
  testConnection: 'connection:test',
  reconcileMonth: 'month:reconcile',
  exportReconciliation: 'month:export-reconciliation',
  exportVatReport: 'month:vat-report',
  closeMonth: 'month:close',
  reopenMonth: 'month:reopen',
  voidInAvaTax: 'month:void',
  acknowledgeMonthChanges: 'month:acknowledge-changes',
  releaseInDemo: 'month:demo-release',
  dryRun: 'month:dry-run',
  startBackfill: 'month:backfill-start',
  resumeBackfill: 'month:backfill-resume',
  pauseBackfill: 'month:backfill-pause',
  getBackfill: 'month:backfill-status',
  exportDocumentsView: 'documents:export-view',
} as const satisfies Record<string, Channel>;

export const EVENTS = {
  onSyncProgress: 'sync:progress',
  onSyncFinished: 'sync:finished',
  onDocumentsChanged: 'documents:changed',
  onBackfillProgress: 'month:backfill-progress',
  onBackfillEnded: 'month:backfill-ended',
} as const satisfies Record<string, EventName>;
