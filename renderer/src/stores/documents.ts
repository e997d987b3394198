import { create } from 'zustand';
import type { DocumentState } from '../../../shared/domain.js';
import type { DocumentDetail, DocumentPage, ReprocessOutcome } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';
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
  customer: string;
  country: string;
  currency: string;
  dateFrom: string;
  dateTo: string;
}

export const EMPTY_FILTERS: Filters = { search: '', customer: '', country: '', currency: '', dateFrom: '', dateTo: '' };

/** Whether any filter is set (then an empty list means the filters hide everything, not that there is nothing). */
export function hasFilters(filters: Filters): boolean {
  return Object.values(filters).some((v) => v !== '');
}

/** A From date after the To date: refused, not sent to main. ISO dates compare as text. */
export function invertedRange(filters: Pick<Filters, 'dateFrom' | 'dateTo'>): boolean {
  return filters.dateFrom !== '' && filters.dateTo !== '' && filters.dateFrom > filters.dateTo;
}

interface DocumentsState {
  tab: Tab;
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
      const page = await getApi().listDocuments({
        states: TAB_STATES[tab],
        search: filters.search || undefined,
        customer: filters.customer || undefined,
        country: filters.country || undefined,
        currency: filters.currency || undefined,
        dateFrom: filters.dateFrom || undefined,
        dateTo: filters.dateTo || undefined,
      });
      if (seq === loadSeq) set({ page, loading: false, error: undefined });
    } catch (error) {
      if (seq === loadSeq) set({ loading: false, error: (error as Error).message });
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
