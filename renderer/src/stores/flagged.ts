import { create } from 'zustand';
import type { DocumentRow, FixOutcome, ReprocessOutcome, ShipTo } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';
import { whileBusy } from './busy.js';

/** The flagged-address workbench's own list: independent of the Transactions filters. */
interface FlaggedState {
  rows: DocumentRow[];
  loading: boolean;
  busy: boolean;
  error?: string;
  /** The customer group to open first (`customer/location`), when another screen sent the user here. */
  focus?: string;
  setFocus(focus: string | undefined): void;
  load(): Promise<void>;
  /** Corrects the ship-to address and/or the VAT number in Visma (checked first), then reprocesses. */
  fixAddress(
    customerNumber: string,
    fix: { address?: ShipTo; vatNumber?: string; locationId?: string },
  ): Promise<FixOutcome>;
  reprocess(references: string[]): Promise<ReprocessOutcome[]>;
}

export const useFlagged = create<FlaggedState>((set, get) => ({
  rows: [],
  loading: false,
  busy: false,
  setFocus(focus) {
    set({ focus });
  },
  async load() {
    set({ loading: true });
    try {
      const page = await getApi().listDocuments({ states: ['flagged'] });
      set({ rows: page.rows, loading: false, error: undefined });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },
  fixAddress(customerNumber, fix) {
    return whileBusy({ setState: set, getState: get }, () => getApi().fixAddress({ customerNumber, ...fix }));
  },
  reprocess(references) {
    return whileBusy({ setState: set, getState: get }, () => getApi().reprocessDocuments({ references }));
  },
}));
