import { describe, expect, it } from 'vitest';
import { formatReason, formatReasons, REASON_CATALOGUES } from '../../shared/reason-format.js';
import { day, list, money, rate, reason, reasons } from '../../shared/reasons.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('reason catalogues', () => {
  it('every language has every code, with the same placeholders as English', () => {
    const en = REASON_CATALOGUES.en as Record<string, string>;
    for (const [lng, catalogue] of Object.entries(REASON_CATALOGUES)) {
      const messages = catalogue as Record<string, string>;
      expect(new Set(Object.keys(messages).map(base)), lng).toEqual(new Set(Object.keys(en).map(base)));
      for (const [code, text] of Object.entries(messages)) {
        const english = en[code] ?? en[`${base(code)}_other`] ?? en[base(code)];
        expect(english, `${lng} ${code} has no English`).toBeDefined();
        expect(placeholders(text), `${lng} ${code}`).toEqual(placeholders(english!));
      }
    }
  });

  it('no translation is the English text left as it is (a code of placeholders only may be)', () => {
    const en = REASON_CATALOGUES.en as Record<string, string>;
    for (const lng of ['sv', 'da', 'de'] as const) {
      const messages = REASON_CATALOGUES[lng] as Record<string, string>;
      const untranslated = Object.entries(messages).filter(
        ([code, text]) => text === en[code] && /[A-Za-z]{3}/.test(text.replace(/\{\{[^}]*\}\}/g, '')),
      );
      expect(untranslated, lng).toEqual([]);
    }
  });
});

/** Intl puts no-break spaces where a person types spaces. */
const plainFormat = (...args: Parameters<typeof formatReason>) => plain(formatReason(...args));
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatReason', () => {
  it('formats figures the reader’s way: money, days, rates and lists per language', () => {
    const r = reason('text', { text: 'x' });
    expect(plainFormat(r, 'sv-SE')).toBe('x');
    expect(plainFormat(reason('text', { text: money(945125, 'SEK') }), 'sv-SE')).toBe('9 451,25 SEK');
    expect(plainFormat(reason('text', { text: money(945125, 'SEK') }), 'en')).toBe('SEK 9,451.25');
    expect(plainFormat(reason('text', { text: money(-5000, 'EUR') }), 'de')).toBe('-50,00 EUR');
    expect(plainFormat(reason('text', { text: day('2026-11-20') }), 'sv')).toBe('2026-11-20');
    expect(plainFormat(reason('text', { text: day('2026-11-20') }), 'de')).toBe('20.11.2026');
    expect(plainFormat(reason('text', { text: rate(0.25) }), 'sv')).toBe('25 %');
    expect(plainFormat(reason('text', { text: list(['A', 'B', 'C']) }), 'sv')).toBe('A, B och C');
    expect(
      formatReason(
        reason('text', { text: reasons([reason('text', { text: 'a' }), reason('text', { text: 'b' })]) }),
        'en',
      ),
    ).toBe('a; b');
  });

  it('old English text is shown as it was; an unknown code shows itself and its figures, never nothing', () => {
    expect(plainFormat('City is missing', 'sv-SE')).toBe('City is missing');
    expect(plainFormat(reason('no-such-code', { amount: money(100, 'SEK') }), 'en')).toBe(
      'no-such-code (amount=SEK 1.00)',
    );
    expect(formatReasons(['a', reason('text', { text: 'b' })], 'en')).toBe('a; b');
  });
});
