import { create } from 'zustand';
import type { DocumentType } from '../../../shared/document-code.js';
import { DEFAULT_SORT, type DocumentSort, SORT_COLUMNS, type SortColumn } from '../../../shared/document-view.js';
import type { DocumentState } from '../../../shared/domain.js';
import type { DocumentDetail, DocumentPage, ExportOutcome, ReprocessOutcome } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';
import { exportFormat } from '../export-format.js';
import { changedAfterCommit } from '../vat-compare.js';
import { whileBusy } from './busy.js';

export type Tab = 'pending' | 'flagged' | 'needs-attention' | 'posted' | 'all';

export const TAB_STATES: Record<Tab, DocumentState[] | undefined> = {
  pending: ['pending', 'pending-retry', 'calculated'],
  flagged: ['flagged'],
  'needs-attention': ['needs-attention'],
  posted: ['posted'],
  all: undefined,
};

export interface Filters {
  search: string;
  /** '' for every kind, else invoice, credit-note or debit-note. */
  documentType: '' | DocumentType;
  customer: string;
  country: string;
  currency: string;
  dateFrom: string;
  dateTo: string;
}

export const EMPTY_FILTERS: Filters = {
  search: '',
  documentType: '',
  customer: '',
  country: '',
  currency: '',
  dateFrom: '',
  dateTo: '',
};

/** Whether any filter is set (then an empty list means the filters hide everything, not that there is nothing). */
export function hasFilters(filters: Filters): boolean {
  return Object.values(filters).some((v) => v !== '');
}

/** A From date after the To date: refused, not sent to main. ISO dates compare as text. */
export function invertedRange(filters: Pick<Filters, 'dateFrom' | 'dateTo'>): boolean {
  return filters.dateFrom !== '' && filters.dateTo !== '' && filters.dateFrom > filters.dateTo;
}

/** The grid's layout as the user left it (sort, hidden columns, widths): kept on this computer. */
export interface GridLayout {
  sort: DocumentSort;
  hidden: SortColumn[];
  widths: Partial<Record<SortColumn, number>>;
}

const LAYOUT_KEY = 'taxsync.transactions.layout';
/** Columns the grid cannot do without (a row must say which document, what it is worth and where it stands). */
export const REQUIRED_COLUMNS: readonly SortColumn[] = ['ref', 'amount', 'state'];

function loadLayout(): GridLayout {
  const fallback: GridLayout = { sort: DEFAULT_SORT, hidden: [], widths: {} };
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(LAYOUT_KEY);
    if (!raw) return fallback;
    const v = JSON.parse(raw) as Partial<GridLayout>;
    const known = (c: unknown): c is SortColumn => SORT_COLUMNS.includes(c as SortColumn);
    return {
      sort:
        v.sort && known(v.sort.column) && (v.sort.direction === 'asc' || v.sort.direction === 'desc')
          ? v.sort
          : DEFAULT_SORT,
      hidden: Array.isArray(v.hidden) ? v.hidden.filter((c) => known(c) && !REQUIRED_COLUMNS.includes(c)) : [],
      widths: Object.fromEntries(
        Object.entries(v.widths ?? {}).filter(([c, w]) => known(c) && typeof w === 'number' && w >= 40 && w <= 1000),
      ),
    };
  } catch {
    return fallback;
  }
}

function saveLayout(layout: GridLayout): void {
  if (typeof localStorage !== 'undefined') localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
}

/** Which selected rows each bulk action applies to (main checks again and answers per document). */
export function canReprocessRow(r: Pick<DocumentPage['rows'][number], 'state'>): boolean {
  return r.state === 'flagged' || r.state === 'needs-attention' || r.state === 'pending-retry';
}

/** A variance Visma booked differently from AvaTax, not changed in Visma after the commit (that one is adjusted). */
export function canAcceptRow(r: DocumentPage['rows'][number]): boolean {
  return (
    r.state === 'needs-attention' &&
    r.bookedTax !== null &&
    r.calculatedTax !== null &&
    r.bookedTax !== r.calculatedTax &&
    !(r.reason !== undefined && changedAfterCommit(r.reason))
  );
}

interface DocumentsState {
  tab: Tab;
  layout: GridLayout;
  /** Rows ticked for a bulk action, by key. */
  checked: string[];
  setSort(column: SortColumn): void;
  toggleColumn(column: SortColumn): void;
  resizeColumn(column: SortColumn, width: number | undefined): void;
  setChecked(keys: string[]): void;
  /** Writes the rows as shown (tab, filters, sort, visible columns) to a CSV file. */
  exportView(columns: SortColumn[]): Promise<ExportOutcome>;
  filters: Filters;
  page: DocumentPage;
  loading: boolean;
  error?: string;
  selectedKey?: string;
  detail?: DocumentDetail | null;
  busy: boolean;
  setTab(tab: Tab): Promise<void>;
  setFilters(patch: Partial<Filters>): Promise<void>;
  load(): Promise<void>;
  select(key: string | undefined): Promise<void>;
  reprocess(references: string[]): Promise<ReprocessOutcome[]>;
  /** Accept Visma's booked VAT for a variance, with the user's reason (documents:accept). */
  accept(reference: string, reason: string): Promise<ReprocessOutcome[]>;
  /** Adjust the committed AvaTax document to the changed Visma document, with a reason (documents:adjust). */
  adjust(reference: string, reason: string): Promise<ReprocessOutcome[]>;
}

let loadSeq = 0;

export const useDocuments = create<DocumentsState>((set, get) => ({
  tab: 'all',
  layout: loadLayout(),
  checked: [],
  setSort(column) {
    const { sort } = get().layout;
    // A new column starts with the largest / newest first for numbers and dates, A→Z for text.
    const first = column === 'date' || column === 'amount' || column === 'tax' ? 'desc' : 'asc';
    const direction = sort.column === column ? (sort.direction === 'asc' ? 'desc' : 'asc') : first;
    const layout = { ...get().layout, sort: { column, direction } as DocumentSort };
    saveLayout(layout);
    set({ layout });
  },
  toggleColumn(column) {
    if (REQUIRED_COLUMNS.includes(column)) return;
    const { hidden } = get().layout;
    const layout = {
      ...get().layout,
      hidden: hidden.includes(column) ? hidden.filter((c) => c !== column) : [...hidden, column],
    };
    saveLayout(layout);
    set({ layout });
  },
  resizeColumn(column, width) {
    const widths = { ...get().layout.widths };
    if (width === undefined) delete widths[column];
    else widths[column] = Math.max(48, Math.min(800, Math.round(width)));
    const layout = { ...get().layout, widths };
    saveLayout(layout);
    set({ layout });
  },
  setChecked(keys) {
    set({ checked: keys });
  },
  exportView(columns) {
    const { tab, filters, layout } = get();
    return getApi().exportDocumentsView({
      ...query(tab, filters),
      sort: layout.sort,
      columns,
      ...exportFormat(),
    });
  },
  filters: EMPTY_FILTERS,
  page: { total: 0, rows: [], countries: [], currencies: [], customers: [] },
  loading: false,
  busy: false,
  async setTab(tab) {
    set({ tab });
    await get().load();
  },
  async setFilters(patch) {
    set({ filters: { ...get().filters, ...patch } });
    await get().load();
  },
  async load() {
    const seq = ++loadSeq;
    const { tab, filters } = get();
    // The filter bar says why; the list keeps what the last valid filters found.
    if (invertedRange(filters)) return;
    set({ loading: true });
    try {
      const page = await getApi().listDocuments(query(tab, filters));
      // Ticked rows the new list no longer shows are not acted on by a bulk action.
      const shown = new Set(page.rows.map((r) => r.key));
      if (seq === loadSeq)
        set({ page, loading: false, error: undefined, checked: get().checked.filter((k) => shown.has(k)) });
    } catch (error) {
      // What the last query found is not what these filters show: the list empties, and says why.
      if (seq === loadSeq)
        set({ loading: false, error: (error as Error).message, page: { ...get().page, total: 0, rows: [] } });
    }
    const key = get().selectedKey;
    if (key) await get().select(key);
  },
  async select(key) {
    set({ selectedKey: key, detail: key ? get().detail : undefined });
    if (!key) return;
    const detail = await getApi().getDocument({ key });
    if (get().selectedKey === key) set({ detail });
  },
  reprocess(references) {
    return whileBusy({ setState: set, getState: get }, () => getApi().reprocessDocuments({ references }));
  },
  accept(reference, reason) {
    return whileBusy({ setState: set, getState: get }, () => getApi().acceptDocument({ reference, reason }));
  },
  adjust(reference, reason) {
    return whileBusy({ setState: set, getState: get }, () => getApi().adjustDocument({ reference, reason }));
  },
}));

/** The listing query of a tab and its filters (blank filters are left out). */
function query(tab: Tab, filters: Filters) {
  return {
    states: TAB_STATES[tab],
    search: filters.search || undefined,
    documentType: filters.documentType || undefined,
    customer: filters.customer || undefined,
    country: filters.country || undefined,
    currency: filters.currency || undefined,
    dateFrom: filters.dateFrom || undefined,
    dateTo: filters.dateTo || undefined,
  };
}
