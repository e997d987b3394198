import { create } from 'zustand';
import type { AuditView, ExportOutcome } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';
import { exportFormat } from '../export-format.js';

interface AuditState {
  months: string[];
  month: string;
  action: string;
  search: string;
  entries: AuditView[];
  loading: boolean;
  exporting: boolean;
  exported?: ExportOutcome;
  error?: string;
  init(): Promise<void>;
  setMonth(month: string): Promise<void>;
  setFilter(patch: { action?: string; search?: string }): Promise<void>;
  load(): Promise<void>;
  /** The month's CSVs, in the separator and language of the screens now (or the separator given). */
  exportMonth(delimiter?: ',' | ';'): Promise<ExportOutcome | undefined>;
}

export const useAudit = create<AuditState>((set, get) => ({
  months: [],
  /** '' until main lists the months: the company's current month comes first. */
  month: '',
  action: '',
  search: '',
  entries: [],
  loading: false,
  exporting: false,
  async init() {
    const months = await getApi().listAuditMonths({});
    set({ months, month: months.includes(get().month) ? get().month : (months[0] ?? get().month) });
    await get().load();
  },
  async setMonth(month) {
    set({ month, exported: undefined });
    await get().load();
  },
  async setFilter(patch) {
    set(patch);
    await get().load();
  },
  async load() {
    set({ loading: true });
    try {
      const { month, action, search } = get();
      const entries = await getApi().listAudit({
        month,
        action: action || undefined,
        search: search || undefined,
        locale: exportFormat().locale,
      });
      set({ entries, loading: false, error: undefined });
    } catch (error) {
      set({ loading: false, error: (error as Error).message, entries: [] });
    }
  },
  async exportMonth(delimiter) {
    set({ exporting: true, error: undefined });
    try {
      const format = exportFormat();
      const exported = await getApi().exportAuditMonth({
        month: get().month,
        delimiter: delimiter ?? format.delimiter,
        locale: format.locale,
      });
      set({ exported });
      await get().load();
      return exported;
    } catch (error) {
      set({ error: (error as Error).message });
      return undefined;
    } finally {
      set({ exporting: false });
    }
  },
}));
