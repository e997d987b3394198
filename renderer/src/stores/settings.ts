import { create } from 'zustand';
import type { ConnectionResult, SettingsView } from '../../../shared/ipc-channels.js';
import { type Settings, settingsSchema } from '../../../shared/settings.js';
import { getApi } from '../api.js';
import { type Locale, SCHEMA_DEFAULT } from '../i18n/locale.js';
import { type SettingsIssue, toSettingsIssues } from '../i18n/settings-issues.js';

interface SettingsState {
  view?: SettingsView;
  draft?: Settings;
  secrets: { vismaClientSecret: string; avalaraLicenseKey: string };
  /** What the settings schema finds wrong in the draft, checked here before main sees it. */
  issues: SettingsIssue[];
  /** What main refused with, in its words (e.g. no place to keep secrets). */
  errors: string[];
  saving: boolean;
  saved: boolean;
  tests: { visma?: ConnectionResult & { running?: boolean }; avatax?: ConnectionResult & { running?: boolean } };
  /** `shownLocale`: the language the UI speaks now, shown in the Language select when none was saved. */
  load(shownLocale?: Locale): Promise<void>;
  edit(patch: (draft: Settings) => Settings): void;
  setSecret(name: 'vismaClientSecret' | 'avalaraLicenseKey', value: string): void;
  save(): Promise<boolean>;
  test(target: 'visma' | 'avatax'): Promise<void>;
}

export const useSettings = create<SettingsState>((set, get) => ({
  secrets: { vismaClientSecret: '', avalaraLicenseKey: '' },
  issues: [],
  errors: [],
  saving: false,
  saved: false,
  tests: {},
  async load(shownLocale) {
    const view = await getApi().getSettings({});
    const draft = structuredClone(view.settings);
    // The schema's default 'en' is not a choice: show (and so save) the language in use, else saving any
    // setting would switch a Swedish computer to English.
    if (shownLocale && draft.ui.locale === SCHEMA_DEFAULT) draft.ui.locale = shownLocale;
    set({
      view,
      draft,
      tests: { ...view.lastTests },
      issues: [],
      errors: [],
      saved: false,
    });
  },
  edit(patch) {
    const draft = get().draft;
    if (!draft) return;
    const next = patch(structuredClone(draft));
    // Problems already shown are checked again as the user types, so a fixed one leaves the banner at once;
    // main's refusals were about the last attempt and go with the first change.
    set({ draft: next, saved: false, errors: [], issues: get().issues.length ? problemsIn(next) : [] });
  },
  setSecret(name, value) {
    set({ secrets: { ...get().secrets, [name]: value }, saved: false, errors: [] });
  },
  async save() {
    const { draft, secrets } = get();
    if (!draft) return false;
    const issues = problemsIn(draft);
    if (issues.length > 0) {
      set({ issues, errors: [], saved: false });
      return false;
    }
    set({ saving: true, issues: [], errors: [] });
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
    const running = { ok: false, kind: 'other' as const, message: '', testedAt: '', running: true };
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

function problemsIn(draft: Settings): SettingsIssue[] {
  const checked = settingsSchema.safeParse(draft);
  return checked.success ? [] : toSettingsIssues(checked.error);
}
