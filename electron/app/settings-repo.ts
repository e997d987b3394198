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

/** The company's settings, one top-level key each, so the file is the same JSON the CLI's --config reads. */
export class SettingsRepository {
  constructor(private readonly store: KeyValueStore) {}

  load(): Settings | undefined {
    return this.read().settings;
  }

  /** The saved settings, or why the ones saved cannot be used (never a silent "nothing saved"). */
  read(): { settings?: Settings; problem?: string } {
    let raw: Record<string, unknown>;
    try {
      raw = Object.fromEntries(KEYS.map((k) => [k, this.store.get(k)]).filter(([, v]) => v !== undefined));
    } catch (error) {
      return { problem: `The saved settings could not be read: ${(error as Error).message}` };
    }
    if (Object.keys(raw).length === 0) return {};
    const parsed = settingsSchema.safeParse(raw);
    if (parsed.success) return { settings: parsed.data };
    return {
      problem: `The saved settings could not be read: ${describeSettingsIssues(parsed.error).join('; ')}. Correct them in Settings.`,
    };
  }

  save(settings: Settings): void {
    for (const key of KEYS) this.store.set(key, settings[key]);
  }
}

/** What the Settings screen starts from before anything was saved: defaults, blanks to fill in. */
export function blankSettings(): Settings {
  const base = settingsSchema.parse({
    visma: {},
    avalara: {},
    company: { shipFrom: { line1: '-', city: '-', postalCode: '-', country: 'SE' } },
  });
  return { ...base, company: { shipFrom: { line1: '', city: '', postalCode: '', country: 'SE' } } };
}
