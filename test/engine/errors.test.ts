import { describe, expect, it } from 'vitest';
import { AvaTaxError } from '../../electron/connectors/avatax/errors.js';
import { CancelledError, MalformedResponseError, RetryableHttpError } from '../../electron/connectors/http.js';
import { VismaError } from '../../electron/connectors/visma/errors.js';
import { ConfigurationError, describeFailure } from '../../electron/engine/errors.js';
import { formatReason } from '../../shared/reason-format.js';
import { text } from '../helpers/reasons.js';

/**
 * A failure that lands in a ledger row or the audit trail carries a reason: our words in the reader's language,
 * the service's own words quoted inside them (issue 17, item 1).
 */
describe('describeFailure says what went wrong as a reason', () => {
  it('a cancelled run, in each language', () => {
    const f = describeFailure(new CancelledError());
    expect(f.reason).toEqual({ code: 'failure-cancelled' });
    expect(text(f.reason)).toBe('The run was cancelled');
    expect(formatReason(f.reason, 'sv')).toBe('Körningen avbröts');
  });

  it("a service's refusal quotes its words inside ours", () => {
    const avatax = describeFailure(new AvaTaxError('data', 400, 'InvalidAddress', 'The address is not deliverable'));
    expect(avatax.reason).toMatchObject({ code: 'failure-avatax', params: { code: 'InvalidAddress' } });
    expect(formatReason(avatax.reason, 'de')).toBe(
      'AvaTax hat abgelehnt (InvalidAddress): The address is not deliverable',
    );
    const visma = describeFailure(new VismaError('validation', 400, 'Customer is blocked'));
    expect(formatReason(visma.reason, 'da')).toBe('Visma afviste: Customer is blocked');
    const unanswered = describeFailure(new RetryableHttpError('gave up after 5 attempts', 'Visma', 503, 5));
    expect(formatReason(unanswered.reason, 'sv')).toBe('Visma svarade inte (503): gave up after 5 attempts');
    const malformed = describeFailure(new MalformedResponseError('not JSON', 'AvaTax', 200));
    expect(text(malformed.reason)).toBe('AvaTax answered with something that cannot be read: not JSON');
  });

  it('our own messages and unexpected errors keep their words', () => {
    expect(text(describeFailure(new ConfigurationError('Enter the key')).reason)).toBe('Enter the key');
    expect(text(describeFailure(new Error('boom')).reason)).toBe('boom');
  });
});
