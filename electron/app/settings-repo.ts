import { settingsSectionSchema } from '../../shared/ipc.js';
import {
  CONNECTION_SECTIONS,
  SETTINGS_SECTION_NAMES,
  SETTINGS_SECTIONS,
  type SettingsSection,
} from '../../shared/ipc-channels.js';
import { describeSettingsIssues, type Settings, settingsSchema } from '../../shared/settings.js';
import type { KeyValueStore } from './kv-store.js';

const KEYS = [
  'visma',
  'avalara',
  'company',
  'vatMapping',
  'itemTaxCodes',
  'defaultTaxCode',
  'sync',
  'export',
  'ui',
] as const;

/** What is saved, section by section: each one valid on its own; `settings` once there is enough for a company. */
export interface SavedSettings {
  /** Complete settings (every required section saved): what the live company and the CLI run on. */
  settings?: Settings;
  /** The saved sections that are valid, whatever else is missing. */
  sections: Partial<Settings>;
  saved: Record<SettingsSection, boolean>;
  /** Why the saved settings cannot be used (a section saved with a wrong value): never a silent "nothing saved". */
  problem?: string;
}

/**
 * The company's settings, one top-level key each, so the file is the same JSON the CLI's --config reads. Each
 * Settings section is saved on its own: the language can be kept before there is a ship-from address, and a
 * Visma connection before the AvaTax one.
 */
export class SettingsRepository {
  constructor(private readonly store: KeyValueStore) {}

  load(): Settings | undefined {
    return this.read().settings;
  }

  /** The saved settings, or why the ones saved cannot be used. */
  read(): SavedSettings {
    const none = Object.fromEntries(SETTINGS_SECTION_NAMES.map((s) => [s, false])) as Record<SettingsSection, boolean>;
    let raw: Record<string, unknown>;
    try {
      raw = Object.fromEntries(KEYS.map((k) => [k, this.store.get(k)]).filter(([, v]) => v !== undefined));
    } catch (error) {
      return {
        sections: {},
        saved: none,
        problem: (error as Error).message,
      };
    }
    if (Object.keys(raw).length === 0) return { sections: {}, saved: none };
    const sections: Partial<Settings> = {};
    const saved = { ...none };
    const problems: string[] = [];
    for (const section of SETTINGS_SECTION_NAMES) {
      const keys = SETTINGS_SECTIONS[section];
      if (!keys.some((k) => raw[k] !== undefined)) continue;
      const parsed = settingsSectionSchema(section).safeParse(Object.fromEntries(keys.map((k) => [k, raw[k]])));
      if (!parsed.success) {
        problems.push(...describeSettingsIssues(parsed.error));
        continue;
      }
      Object.assign(sections, parsed.data);
      saved[section] = true;
    }
    if (problems.length > 0)
      return {
        sections,
        saved,
        problem: `${problems.join('; ')}. Correct them in Settings`,
      };
    // The connections and the ship-from have no usable defaults: a company needs them saved.
    if (!saved.company) return { sections, saved };
    const full = settingsSchema.safeParse({ visma: {}, avalara: {}, ...sections });
    return full.success ? { settings: full.data, sections, saved } : { sections, saved };
  }

  save(settings: Settings): void {
    for (const key of KEYS) this.store.set(key, settings[key]);
  }

  /** Saves one section's keys (already checked with its schema), leaving every other section as it is. */
  saveSection(section: SettingsSection, values: Partial<Settings>): void {
    for (const key of SETTINGS_SECTIONS[section]) this.store.set(key, values[key]);
  }
}

/** What the Settings screen starts from before anything was saved: defaults, blanks to fill in. */
export function blankSettings(): Settings {
  const base = settingsSchema.parse({
    visma: {},
    avalara: {},
    company: { shipFrom: { line1: '-', city: '-', postalCode: '000 00', country: 'SE' } },
  });
  return { ...base, company: { shipFrom: { line1: '', city: '', postalCode: '', country: 'SE' } } };
}

/**
 * The demo company's settings with what the user saved over them: everything but the connections, which stay
 * pointed at the built-in sandboxes (their secrets are the sandboxes' own).
 */
export function demoSettingsWith(demo: Settings, saved: Partial<Settings>): Settings {
  const merged: Settings = { ...demo };
  for (const section of SETTINGS_SECTION_NAMES) {
    if (CONNECTION_SECTIONS.includes(section)) continue;
    for (const key of SETTINGS_SECTIONS[section]) {
      if (saved[key] !== undefined) (merged as Record<string, unknown>)[key] = saved[key];
    }
  }
  return merged;
}
