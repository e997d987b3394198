import { describe, expect, it } from 'vitest';
import {
  csvDelimiter,
  describeSettingsIssues,
  languageOf,
  type Settings,
  settingsSchema,
  startFromProblem,
} from '../../shared/settings.js';

const SHIP_FROM = { line1: 'Storgatan 1', city: 'Malmö', postalCode: '211 34', country: 'SE' };

function withVismaApi(apiUrl: string) {
  return settingsSchema.safeParse({ visma: { apiUrl }, avalara: {}, company: { shipFrom: SHIP_FROM } });
}

describe('the web addresses in the settings', () => {
  it('take https:// for any host', () => {
    expect(withVismaApi('https://api.finance.visma.net').success).toBe(true);
  });

  it('take http:// only for this computer: localhost, 127.0.0.1 and [::1]', () => {
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:4010/api', 'http://[::1]:4010', 'HTTP://LOCALHOST']) {
      expect(withVismaApi(url).success, url).toBe(true);
    }
  });

  it('refuse http:// to any other host, saying why in plain words', () => {
    for (const url of [
      'http://api.finance.visma.net',
      'http://evil.example',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
      'http://10.0.0.5',
      'http://[::2]',
    ]) {
      const parsed = withVismaApi(url);
      expect(parsed.success, url).toBe(false);
      if (!parsed.success)
        expect(describeSettingsIssues(parsed.error)).toEqual([
          'Visma, API URL: must start with https:// (http:// only for a sandbox on this computer: localhost, 127.0.0.1 or [::1])',
        ]);
    }
  });

  it('refuse other schemes', () => {
    for (const url of ['ftp://api.finance.visma.net', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(withVismaApi(url).success, url).toBe(false);
    }
  });
});

describe('the AvaTax environment', () => {
  const base = {
    visma: {},
    company: { shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' } },
  };

  it('production goes to production even when no URL is given (it went to the sandbox)', () => {
    expect(settingsSchema.parse({ ...base, avalara: { environment: 'production' } }).avalara.apiUrl).toBe(
      'https://rest.avatax.com',
    );
    expect(
      settingsSchema.parse({
        ...base,
        avalara: { environment: 'production', apiUrl: 'https://sandbox-rest.avatax.com' },
      }).avalara.apiUrl,
    ).toBe('https://rest.avatax.com');
    expect(settingsSchema.parse({ ...base, avalara: {} }).avalara.apiUrl).toBe('https://sandbox-rest.avatax.com');
  });

  it('a custom environment needs its URL', () => {
    expect(settingsSchema.safeParse({ ...base, avalara: { environment: 'custom' } }).success).toBe(false);
    expect(
      settingsSchema.parse({ ...base, avalara: { environment: 'custom', apiUrl: 'http://127.0.0.1:4000' } }).avalara
        .apiUrl,
    ).toBe('http://127.0.0.1:4000');
  });
});

describe('the CSV separator', () => {
  const s = (delimiter: 'auto' | ',' | ';', locale: Settings['ui']['locale']) => ({
    export: { delimiter },
    ui: { locale },
  });
  it('"Automatic" follows the language the export is in, not a language nobody saved', () => {
    expect(csvDelimiter(s('auto', 'auto'), 'sv-SE')).toBe(';');
    expect(csvDelimiter(s('auto', 'auto'), 'da')).toBe(';');
    expect(csvDelimiter(s('auto', 'auto'), 'de-AT')).toBe(';');
    expect(csvDelimiter(s('auto', 'auto'), 'en-GB')).toBe(',');
    // The app passes the language its screens speak at export time, whatever is saved.
    expect(csvDelimiter(s('auto', 'en'), 'sv-SE')).toBe(';');
    expect(csvDelimiter(s('auto', 'sv-SE'))).toBe(';');
    expect(csvDelimiter(s(',', 'sv-SE'), 'sv-SE')).toBe(',');
  });
  it('a saved language can go back to following the computer, and that is the default', () => {
    expect(settingsSchema.shape.ui.parse(undefined)).toEqual({ locale: 'auto' });
    expect(languageOf({ ui: { locale: 'auto' } }, 'da-DK')).toBe('da-DK');
    expect(languageOf({ ui: { locale: 'de-DE' } }, 'da-DK')).toBe('de-DE');
  });
});

describe('what Settings used to save and must not (issue 17, item 6)', () => {
  it('an API address with a space in it', () => {
    expect(withVismaApi('https://api.finance.visma.net/ v1').success).toBe(false);
    expect(withVismaApi('https://api.finance visma.net').success).toBe(false);
  });
  it('a first-run date before the two years a backfill reaches, or after today', () => {
    expect(startFromProblem('1999-01-01', '2026-11-28')).toEqual({ from: '2024-11-28', to: '2026-11-28' });
    expect(startFromProblem('2030-01-01', '2026-11-28')).toEqual({ from: '2024-11-28', to: '2026-11-28' });
    expect(startFromProblem('2026-11-29', '2026-11-28')).toBeDefined();
    expect(startFromProblem('2026-01-01', '2026-11-28')).toBeUndefined();
    expect(startFromProblem(undefined, '2026-11-28')).toBeUndefined();
  });
});
