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
  /** A document another screen asked to fix (its ledger key): the workbench opens its customer's form. */
  focus?: string;
  /** The screen that sent the user here, to go back to once the address is fixed. */
  returnTo?: 'month-end';
  /** Opens the workbench on a document's ship-to, remembering where the user came from. */
  show(documentKey: string, returnTo?: 'month-end'): void;
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
  show(documentKey, returnTo) {
    set({ focus: documentKey, returnTo });
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
