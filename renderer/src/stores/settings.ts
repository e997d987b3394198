import { create } from 'zustand';
import { settingsSectionSchema } from '../../../shared/ipc.js';
import {
  type ConnectionResult,
  connectionKey,
  SETTINGS_SECTION_NAMES,
  SETTINGS_SECTIONS,
  type SettingsSection,
  type SettingsView,
  type VatLists,
} from '../../../shared/ipc-channels.js';
import type { Settings } from '../../../shared/settings.js';
import { datedIssues } from '../../../shared/settings-issues.js';
import { getApi } from '../api.js';
import { i18n } from '../i18n/index.js';
import { SCHEMA_DEFAULT } from '../i18n/locale.js';
import { type SettingsIssue, toSettingsIssues } from '../i18n/settings-issues.js';
import { sayReason } from '../reasons.js';
import { type Refusal, refusalOf } from '../vat-mapping.js';
import { useApp } from './app.js';
import { useUi } from './ui.js';

export type { SettingsSection };

/** One row of the item → AvaTax tax code table, as typed (a record cannot hold a duplicate while it is typed). */
export interface ItemRow {
  id: number;
  item: string;
  code: string;
}

type Test = ConnectionResult & { running?: boolean };

/** The connection test that belongs to a section. */
const TEST_OF: Partial<Record<SettingsSection, 'visma' | 'avatax'>> = { visma: 'visma', avalara: 'avatax' };
const SECRET_OF = { visma: 'vismaClientSecret', avalara: 'avalaraLicenseKey' } as const;

interface SettingsState {
  view?: SettingsView;
  draft?: Settings;
  items: ItemRow[];
  secrets: { vismaClientSecret: string; avalaraLicenseKey: string };
  /** What the section's schema finds wrong in the draft, per section, checked here before main sees it. */
  issues: Partial<Record<SettingsSection, SettingsIssue[]>>;
  /** Main's refusals and the checks the schema cannot make (a duplicate item, a row Visma refuses), in words. */
  errors: Partial<Record<SettingsSection, string[]>>;
  saving?: SettingsSection;
  /** The section saved last ("Saved." shows under it until something changes). */
  saved?: SettingsSection;
  /** A section whose connection test just failed, waiting for "Save anyway". */
  confirm?: SettingsSection;
  tests: { visma?: Test; avatax?: Test };
  /** Visma's VAT categories, zones and VAT ids for the mapping table; or why they could not be read. */
  lists?: VatLists;
  listsError?: string;
  load(): Promise<void>;
  loadLists(): Promise<void>;
  edit(patch: (draft: Settings) => Settings): void;
  setItems(items: ItemRow[]): void;
  setSecret(name: 'vismaClientSecret' | 'avalaraLicenseKey', value: string): void;
  /** Saves one section; 'warn' when its connection test just failed (call again with `force`). */
  save(section: SettingsSection, options?: { force?: boolean }): Promise<'saved' | 'invalid' | 'warn' | 'failed'>;
  cancelConfirm(): void;
  test(target: 'visma' | 'avatax'): Promise<void>;
}

let nextItem = 1;
const itemRows = (codes: Record<string, string>): ItemRow[] =>
  Object.entries(codes).map(([item, code]) => ({ id: nextItem++, item, code }));

export const useSettings = create<SettingsState>((set, get) => ({
  items: [],
  secrets: { vismaClientSecret: '', avalaraLicenseKey: '' },
  issues: {},
  errors: {},
  tests: {},
  async load() {
    const view = await getApi().getSettings({});
    const draft = structuredClone(view.settings);
    // Nothing saved (or only the old schema default 'en', which is not a choice): the UI follows the computer's
    // language, and the select says so ("Automatic"), so saving the section keeps following it.
    if (draft.ui.locale === SCHEMA_DEFAULT && !view.saved?.display) draft.ui.locale = 'auto';
    set({
      view,
      draft,
      items: itemRows(draft.itemTaxCodes),
      // A test another window ran belongs to the values it tested: kept, and shown (or asked about on Save) only
      // while this form shows those values (`matching`).
      tests: { ...view.lastTests },
      issues: {},
      errors: {},
      saved: undefined,
      confirm: undefined,
    });
  },
  async loadLists() {
    try {
      set({ lists: await getApi().getVatLists({}), listsError: undefined });
    } catch (error) {
      set({ lists: undefined, listsError: (error as Error).message });
    }
  },
  edit(patch) {
    const draft = get().draft;
    if (!draft) return;
    const next = patch(structuredClone(draft));
    // Problems already shown are checked again as the user types, so a fixed one leaves at once; main's
    // refusals were about the last attempt and go with the first change.
    const issues = Object.fromEntries(
      Object.keys(get().issues).map((s) => [s, problemsIn(next, s as SettingsSection)]),
    ) as SettingsState['issues'];
    set({ draft: next, saved: undefined, errors: {}, issues, confirm: undefined });
  },
  setItems(items) {
    const draft = get().draft;
    if (!draft) return;
    const itemTaxCodes = Object.fromEntries(
      items.filter((r) => r.item.trim()).map((r) => [r.item.trim(), r.code.trim()]),
    );
    set({ items, draft: { ...draft, itemTaxCodes }, saved: undefined, errors: {}, confirm: undefined });
  },
  setSecret(name, value) {
    set({ secrets: { ...get().secrets, [name]: value }, saved: undefined, errors: {}, confirm: undefined });
  },
  cancelConfirm() {
    set({ confirm: undefined });
  },
  async save(section, options = {}) {
    const { draft, secrets } = get();
    if (!draft) return 'failed';
    const issues = problemsIn(draft, section);
    const local = section === 'mapping' ? mappingProblems(get()) : [];
    if (issues.length > 0 || local.length > 0) {
      set({ issues: { ...get().issues, [section]: issues }, errors: { [section]: local }, saved: undefined });
      return 'invalid';
    }
    const target = TEST_OF[section];
    const test = target ? matching(get().tests[target], target, draft) : undefined;
    if (test && !test.ok && !test.running && !options.force) {
      set({ confirm: section, saved: undefined });
      return 'warn';
    }
    set({ saving: section, issues: { ...get().issues, [section]: [] }, errors: {}, confirm: undefined });
    const secretName = section === 'visma' || section === 'avalara' ? SECRET_OF[section] : undefined;
    const secret = secretName ? secrets[secretName] : '';
    try {
      const result = await getApi().saveSettings({
        section,
        settings: draft,
        ...(secretName && secret ? { secrets: { [secretName]: secret } } : {}),
      });
      if (!result.ok) {
        // The schema's findings in the form's words and language; a refusal main words as a code, likewise.
        if (result.issues?.length) set({ issues: { ...get().issues, [section]: result.issues } });
        else
          set({
            errors: {
              [section]: result.refusal ? [sayReason(result.refusal, useUi.getState().locale)] : result.errors,
            },
          });
        return 'failed';
      }
      // Only this section takes main's values: what is being typed in the others stays.
      const next = structuredClone(get().draft ?? result.view.settings);
      for (const key of SETTINGS_SECTIONS[section])
        (next as Record<string, unknown>)[key] = structuredClone(result.view.settings[key]);
      set({
        view: result.view,
        draft: next,
        ...(section === 'mapping' ? { items: itemRows(next.itemTaxCodes) } : {}),
        secrets: secretName ? { ...get().secrets, [secretName]: '' } : get().secrets,
        saved: section,
      });
      return 'saved';
    } catch (error) {
      set({ errors: { [section]: [(error as Error).message] } });
      return 'failed';
    } finally {
      set({ saving: undefined });
    }
  },
  async test(target) {
    const { draft, secrets } = get();
    const section = target === 'visma' ? 'visma' : 'avalara';
    // What the form has wrong is said under the section, in its words, before anything is sent.
    if (draft) {
      const problems = problemsIn(draft, section);
      if (problems.length > 0) {
        set({ issues: { ...get().issues, [section]: problems }, tests: { ...get().tests, [target]: undefined } });
        return;
      }
    }
    const running = { ok: false, kind: 'other' as const, message: '', testedAt: '', running: true };
    set({ tests: { ...get().tests, [target]: running }, confirm: undefined });
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

/**
 * A connection test's result when it is about the values the form shows (a result without them, such as "fix
 * these first", was this window's own answer and stays); else nothing.
 */
export function matching<T extends Test | undefined>(
  test: T,
  target: 'visma' | 'avatax',
  draft: Settings | undefined,
): T | undefined {
  if (!test || test.running || test.for === undefined) return test;
  return draft && test.for === connectionKey(target, draft) ? test : undefined;
}

/** The section's own problems in the draft (its schema only: a blank ship-from is not the language's business). */
export function problemsIn(draft: Settings, section: SettingsSection, today = localToday()): SettingsIssue[] {
  const values = Object.fromEntries(SETTINGS_SECTIONS[section].map((k) => [k, draft[k]]));
  const checked = settingsSectionSchema(section).safeParse(values);
  const schema = checked.success ? [] : toSettingsIssues(checked.error);
  return section === 'sync' ? [...schema, ...datedIssues(draft, today)] : schema;
}

/** Today in the company's calendar (main's status says it), else this computer's, as a first-run date is meant. */
function localToday(now = new Date()): string {
  return (
    useApp.getState().status?.today ??
    `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
  );
}

/** A mapping row Visma's lists refuse, in words (the row is marked with the same reason in the table). */
export function describeRefusal(r: Refusal): string {
  return i18n.t(`settings.refusal.${r.key}`, r);
}

/** What the schema cannot see in the mapping section: an item twice or without a code, a row Visma refuses. */
function mappingProblems(state: Pick<SettingsState, 'items' | 'draft' | 'lists'>): string[] {
  const t = i18n.t.bind(i18n);
  const problems: string[] = [];
  const seen = new Set<string>();
  state.items.forEach((r, i) => {
    const row = i + 1;
    const item = r.item.trim();
    if (!item && r.code.trim()) problems.push(t('settings.items.problemNoItem', { row }));
    if (item && !r.code.trim()) problems.push(t('settings.items.problemNoCode', { row, item }));
    if (item && seen.has(item)) problems.push(t('settings.items.problemTwice', { row, item }));
    seen.add(item);
  });
  if (state.lists)
    state.draft?.vatMapping.forEach((row, i) => {
      const refusal = refusalOf(row, state.lists!);
      if (refusal)
        problems.push(
          t('settings.issue', {
            field: [t('settings.vatMapping.legend'), t('settings.row', { row: i + 1 })].join(' › '),
            problem: describeRefusal(refusal),
          }),
        );
    });
  return problems;
}

export { SETTINGS_SECTION_NAMES };
