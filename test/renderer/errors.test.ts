import { describe, expect, it } from 'vitest';
import { describeError, explainError } from '../../renderer/src/errors.js';
import { i18n } from '../../renderer/src/i18n/index.js';

describe('errors in the accountant’s words', () => {
  const en = i18n.getFixedT('en');

  it('tells network, time-out, server, busy and credential failures apart, and which service', () => {
    expect(explainError('Could not reach AvaTax: getaddrinfo ENOTFOUND rest.avatax.com')).toMatchObject({
      kind: 'network',
      service: 'avatax',
    });
    expect(explainError('connect ECONNREFUSED 127.0.0.1:9; gave up after 5 attempts', 'AvaTax')).toMatchObject({
      kind: 'network',
      service: 'avatax',
      attempts: 5,
    });
    expect(explainError('timeout').kind).toBe('timeout');
    expect(explainError('Visma.net did not answer in time; gave up after 5 attempts')).toMatchObject({
      kind: 'timeout',
      service: 'visma',
    });
    expect(explainError('AvaTax answered HTTP 503; gave up after 5 attempts').kind).toBe('server');
    expect(explainError('HTTP 5xx').kind).toBe('server');
    expect(explainError('Visma.net answered HTTP 429 (too many requests)').kind).toBe('busy');
    expect(explainError('Visma Connect refused the token request (invalid_client)').kind).toBe('auth');
  });

  it('leaves a message already in words alone, amounts that look like status codes included', () => {
    const reason = 'VAT differs: Visma booked 500.00 SEK, AvaTax calculates 503.00 SEK';
    expect(explainError(reason).kind).toBe('other');
    expect(describeError(en, reason)).toEqual({ text: reason, kind: 'other' });
  });

  it('says it in words and keeps the original for the details, in every language', () => {
    const original = 'connect ECONNREFUSED 127.0.0.1:9; gave up after 5 attempts';
    expect(describeError(en, original, 'AvaTax')).toEqual({
      text: 'AvaTax could not be reached (network). Tried 5 times.',
      detail: original,
      kind: 'network',
    });
    expect(describeError(i18n.getFixedT('sv-SE'), original, 'AvaTax').text).toBe(
      'AvaTax kunde inte nås (nätverk). Försökte 5 gånger.',
    );
    expect(describeError(i18n.getFixedT('de-DE'), 'timeout', 'Visma.net').text).toBe(
      'Visma hat nicht rechtzeitig geantwortet',
    );
    expect(describeError(i18n.getFixedT('da-DK'), 'AvaTax answered HTTP 502').text).toBe(
      'AvaTax havde en fejl på sin side (serverfejl)',
    );
  });
});
