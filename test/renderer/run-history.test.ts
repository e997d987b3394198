import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/src/i18n/index.js';
import { formatDuration, ranBy } from '../../renderer/src/screens/RunHistory.js';

describe('Overview: how long a run took', () => {
  it('in seconds, minutes and hours, in the language shown; a run under a second is not "0 s"', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 17, 30) + s * 1000).toISOString();
    expect(formatDuration(at(0), at(4), 'en')).toMatch(/^4 secs?$/);
    expect(formatDuration(at(0), at(0.2), 'en')).toMatch(/^1 secs?$/);
    expect(formatDuration(at(0), at(125), 'sv-SE')).toMatch(/^2\s?min 5\s?s$/);
    expect(formatDuration(at(0), at(3 * 3600 + 60), 'de-DE')).toBe('3 Std. 1 Min.');
    expect(formatDuration(at(0), at(65), 'da-DK')).toBe('1 min. 5 sek.');
    expect(formatDuration(at(10), at(0), 'en')).toBe('—');
  });
});

describe('Overview: who ran a run', () => {
  const en = i18n.getFixedT('en');

  it('names the person, as the Audit screen does; the schedule and the command line in words', () => {
    expect(ranBy(en, { actor: 'user', by: 'anna' })).toBe('anna');
    expect(ranBy(en, { actor: 'scheduler', by: 'schedule' })).toBe('Schedule');
    expect(ranBy(en, { actor: 'cli', by: 'command line' })).toBe('Command line');
  });

  it('a run recorded before names were kept still says who: its actor', () => {
    expect(ranBy(en, { actor: 'user' })).toBe('User');
    expect(ranBy(en, { actor: 'scheduler' })).toBe('Schedule');
  });
});

describe('Overview: the run summary', () => {
  it('the run summary names each count without a plural that cannot fit ("1 bokförda")', () => {
    const summary = (lng: string) =>
      i18n.getFixedT(lng)('history.summary', { posted: 1, flagged: 0, needsAttention: 2 });
    expect(summary('sv-SE')).not.toMatch(/\b1 bokförda/);
    expect(summary('en')).not.toMatch(/\b2 need attention/);
  });
});
