import { create } from 'zustand';
import type { ConnectionResult, SettingsView } from '../../../shared/ipc-channels.js';
import type { Settings } from '../../../shared/settings.js';
import { getApi } from '../api.js';

interface SettingsState {
  view?: SettingsView;
  draft?: Settings;
  secrets: { vismaClientSecret: string; avalaraLicenseKey: string };
  errors: string[];
  saving: boolean;
  saved: boolean;
  tests: { visma?: ConnectionResult & { running?: boolean }; avatax?: ConnectionResult & { running?: boolean } };
  load(): Promise<void>;
  edit(patch: (draft: Settings) => Settings): void;
  setSecret(name: 'vismaClientSecret' | 'avalaraLicenseKey', value: string): void;
  save(): Promise<boolean>;
  test(target: 'visma' | 'avatax'): Promise<void>;
}

export const useSettings = create<SettingsState>((set, get) => ({
  secrets: { vismaClientSecret: '', avalaraLicenseKey: '' },
  errors: [],
  saving: false,
  saved: false,
  tests: {},
  async load() {
    const view = await getApi().getSettings({});
    set({ view, draft: structuredClone(view.settings), tests: { ...view.lastTests }, errors: [], saved: false });
  },
  edit(patch) {
    const draft = get().draft;
    if (draft) set({ draft: patch(structuredClone(draft)), saved: false });
  },
  setSecret(name, value) {
    set({ secrets: { ...get().secrets, [name]: value }, saved: false });
  },
  async save() {
    const { draft, secrets } = get();
    if (!draft) return false;
    set({ saving: true, errors: [] });
    try {
      const result = await getApi().saveSettings({
        settings: draft,
        secrets: {
          ...(secrets.vismaClientSecret ? { vismaClientSecret: secrets.vismaClientSecret } : {}),
          ...(secrets.avalaraLicenseKey ? { avalaraLicenseKey: secrets.avalaraLicenseKey } : {}),
        },
      });
      if (!result.ok) {
        set({ errors: result.errors });
        return false;
      }
      set({
        view: result.view,
        draft: structuredClone(result.view.settings),
        secrets: { vismaClientSecret: '', avalaraLicenseKey: '' },
        saved: true,
      });
      return true;
    } catch (error) {
      set({ errors: [(error as Error).message] });
      return false;
    } finally {
      set({ saving: false });
    }
  },
  async test(target) {
    const { draft, secrets } = get();
    const running = { ok: false, kind: 'other' as const, message: 'Testing…', testedAt: '', running: true };
    set({ tests: { ...get().tests, [target]: running } });
    const secret = target === 'visma' ? secrets.vismaClientSecret : secrets.avalaraLicenseKey;
    try {
      const result = await getApi().testConnection({ target, settings: draft, ...(secret ? { secret } : {}) });
      set({ tests: { ...get().tests, [target]: result } });
    } catch (error) {
      set({
        tests: {
          ...get().tests,
          [target]: { ok: false, kind: 'other', message: (error as Error).message, testedAt: new Date().toISOString() },
        },
      });
    }
  },
}));
