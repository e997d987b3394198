import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney } from '../../renderer/src/format.js';
import da from '../../renderer/src/i18n/da.json' with { type: 'json' };
import de from '../../renderer/src/i18n/de.json' with { type: 'json' };
import en from '../../renderer/src/i18n/en.json' with { type: 'json' };
import { i18n } from '../../renderer/src/i18n/index.js';
import { formattingLocale, localeFromLanguages, resolveLocale } from '../../renderer/src/i18n/locale.js';
import { describeIssue, toSettingsIssues } from '../../renderer/src/i18n/settings-issues.js';
import sv from '../../renderer/src/i18n/sv.json' with { type: 'json' };
import { settingsSchema } from '../../shared/settings.js';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
const values = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? values(v) : [v]));

describe('the message catalogues', () => {
  it.each([
    ['sv', sv],
    ['da', da],
    ['de', de],
  ])('%s has every English key, no more, and no empty message', (_, catalogue) => {
    expect(keys(catalogue).sort()).toEqual(keys(en).sort());
    expect(values(catalogue).filter((v) => !String(v).trim())).toEqual([]);
  });

  it('says "1 document" and "2 documents" in each language, with the number in the locale', () => {
    const say = (lng: string, count: number) => i18n.getFixedT(lng)('count.documents', { count });
    expect([say('en', 1), say('en', 2)]).toEqual(['1 document', '2 documents']);
    expect([say('sv-SE', 1), say('sv-SE', 2)]).toEqual(['1 dokument', '2 dokument']);
    expect([say('da-DK', 1), say('da-DK', 2)]).toEqual(['1 dokument', '2 dokumenter']);
    expect([say('de-DE', 1), say('de-DE', 2)]).toEqual(['1 Beleg', '2 Belege']);
    expect(say('sv-SE', 50_000)).toBe('50\u00a0000 dokument');
    expect(say('de-DE', 50_000)).toBe('50.000 Belege');
    expect(values(en).some((v) => /\(s\)/.test(String(v)))).toBe(false);
  });

  it('names document states and types in the accountant’s words', () => {
    expect(i18n.getFixedT('sv-SE')('state.posted')).toBe('Bokförd');
    expect(i18n.getFixedT('da-DK')('documentType.credit-note')).toBe('Kreditnota');
    expect(i18n.getFixedT('de-DE')('documentType.credit-note')).toBe('Gutschrift');
  });
});

describe('which language the UI speaks', () => {
  it('follows the OS/browser language when nothing was chosen', () => {
    expect(localeFromLanguages(['sv-SE', 'en-US'])).toBe('sv-SE');
    expect(localeFromLanguages(['fi-FI', 'da'])).toBe('da-DK');
    expect(localeFromLanguages(['de-AT'])).toBe('de-DE');
    expect(localeFromLanguages(['fr-FR'])).toBe('en');
    expect(resolveLocale({ saved: 'en', chosen: null, languages: ['sv-SE'] })).toBe('sv-SE');
  });

  it('"Automatic" (saved, or nothing saved) follows the computer, or the language picked on it', () => {
    expect(resolveLocale({ saved: 'auto', chosen: null, languages: ['sv-SE'] })).toBe('sv-SE');
    expect(resolveLocale({ saved: 'auto', chosen: null, languages: ['da'] })).toBe('da-DK');
    expect(resolveLocale({ saved: 'auto', chosen: 'de-DE', languages: ['sv-SE'] })).toBe('de-DE');
  });

  it('a language saved in Settings overrides the OS, and so does English once chosen', () => {
    expect(resolveLocale({ saved: 'de-DE', chosen: null, languages: ['sv-SE'] })).toBe('de-DE');
    expect(resolveLocale({ saved: 'en', chosen: 'en', languages: ['sv-SE'] })).toBe('en');
    expect(resolveLocale({ saved: undefined, chosen: 'da-DK', languages: ['en-GB'] })).toBe('da-DK');
  });

  it('writes dates and amounts the local way', () => {
    expect(formatDate('2026-11-20', 'sv-SE')).toBe('2026-11-20');
    expect(formatDate('2026-11-20', 'de-DE')).toBe('20.11.2026');
    expect(formatDate('2026-11-20', 'da-DK')).toBe('20.11.2026');
    expect(formatMoney(1234.5, 'SEK', 'sv-SE')).toBe('1\u00a0234,50\u00a0SEK');
    expect(formatMoney(1234.5, 'EUR', 'de-DE')).toBe('1.234,50\u00a0EUR');
    expect(formatMoney(1234.5, 'DKK', 'da-DK')).toMatch(/^1\.234,50\s?DKK$/u);
    expect(formattingLocale('en', ['en-GB'])).toBe('en-GB');
    expect(formattingLocale('sv-SE', ['en-GB'])).toBe('sv-SE');
  });
});

describe('settings problems in words a finance user understands', () => {
  const valid = settingsSchema.parse({
    visma: {},
    avalara: {},
    company: { shipFrom: { line1: 'Storgatan 1', city: 'Umeå', postalCode: '903 26', country: 'SE' } },
  });
  const problems = (patch: (s: typeof valid) => unknown, lng = 'en') => {
    const draft = structuredClone(valid);
    patch(draft);
    const result = settingsSchema.safeParse(draft);
    if (result.success) return [];
    return toSettingsIssues(result.error).map((i) => describeIssue(i, i18n.getFixedT(lng)));
  };

  it('never shows zod’s own message', () => {
    const said = problems((s) => {
      s.sync.concurrency = 0;
      s.sync.schedule = { mode: 'interval', minutes: Number('') };
      s.vatMapping = [{ country: 'SE', rate: 2.5, vatCategoryId: '', vatId: '1' }];
      s.visma.apiUrl = 'finance.visma.net';
    });
    expect(said).toEqual([
      'Visma.net ERP › API URL: must be a web address such as https://api.finance.visma.net',
      'VAT mapping › row 1 › Rate %: must be a percentage from 0 to 100, such as 25',
      'VAT mapping › row 1 › VAT category: is required',
      'Sync › Documents in parallel: must be at least 1',
      'Sync › Every (minutes): must be at least 5',
    ]);
    expect(said.join(' ')).not.toMatch(/Too small|expected|Invalid input/);
  });

  it('a base currency that is not a currency code', () => {
    expect(problems((s) => Object.assign(s.company, { baseCurrency: 'kr' }))).toEqual([
      'Ship-from address › Base currency: must be a three-letter currency code such as SEK',
    ]);
    expect(problems((s) => Object.assign(s.company, { baseCurrency: 'kronor' }), 'sv-SE')).toEqual([
      'Avsändaradress › Redovisningsvaluta: ska vara en valutakod med tre bokstäver, till exempel SEK',
    ]);
  });

  it('company facts against ISO 3166, ISO 4217 and the country’s postal format, said as reasons', () => {
    expect(problems((s) => Object.assign(s.company.shipFrom, { country: 'XX' }))).toEqual([
      'Ship-from address › Country: Country "XX" is not an ISO 3166 country code: pick the country from the list',
    ]);
    expect(problems((s) => Object.assign(s.company.shipFrom, { country: 'Sverige' }))).toEqual([
      'Ship-from address › Country: "Sverige" is a country’s name, not its code: the ISO 3166 code is SE',
    ]);
    expect(problems((s) => Object.assign(s.company, { baseCurrency: 'XYZ' }))).toEqual([
      'Ship-from address › Base currency: Currency "XYZ" is not an ISO 4217 currency code: pick the currency from the list',
    ]);
    expect(problems((s) => Object.assign(s.company, { baseCurrency: 'XYZ' }), 'sv-SE')).toEqual([
      'Avsändaradress › Redovisningsvaluta: Valutan "XYZ" är ingen valutakod enligt ISO 4217: välj valutan i listan',
    ]);
    expect(problems((s) => Object.assign(s.company.shipFrom, { postalCode: '5463' }))).toEqual([
      'Ship-from address › Postal code: Postal code "5463" does not match the SE format (e.g. 411 24)',
    ]);
    expect(problems((s) => Object.assign(s.company.shipFrom, { country: 'DE', postalCode: '70173' }))).toEqual([]);
    expect(
      problems((s) => {
        s.vatMapping = [{ country: 'XX', rate: 0.25, vatCategoryId: 'STD', vatId: 'MP1' }];
      }),
    ).toEqual([
      'VAT mapping › row 1 › Destination country: Country "XX" is not an ISO 3166 country code: pick the country from the list',
    ]);
  });

  it('in Swedish, German and Danish', () => {
    expect(problems((s) => Object.assign(s.sync, { concurrency: 0 }), 'sv-SE')).toEqual([
      'Synkning › Dokument parallellt: måste vara minst 1',
    ]);
    expect(problems((s) => Object.assign(s.company.shipFrom, { line1: '' }), 'de-DE')).toEqual([
      'Versandadresse › Straße: ist erforderlich',
    ]);
    expect(problems((s) => Object.assign(s.sync, { concurrency: 2.5 }), 'da-DK')).toEqual([
      'Synkronisering › Dokumenter ad gangen: skal være et helt tal',
    ]);
  });
});
