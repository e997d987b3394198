import { describe, expect, it } from 'vitest';
import { avataxConsoleUrl } from '../../electron/app/links.js';

describe('the link from a document to its AvaTax transaction', () => {
  it('points at the admin console of the account, company and transaction, in the right environment', () => {
    const doc = { avataxId: 85000000258, avataxCompanyId: 167742 };
    expect(avataxConsoleUrl({ environment: 'production', accountId: '2000062458' }, doc)).toBe(
      'https://admin.avalara.com/cup/a/2000062458/c/167742/transactions/85000000258',
    );
    expect(avataxConsoleUrl({ environment: 'sandbox', accountId: '2000062458' }, doc)).toBe(
      'https://sandbox.admin.avalara.com/cup/a/2000062458/c/167742/transactions/85000000258',
    );
  });

  it('gives no link it cannot be sure of: no company id, no account id, or a custom AvaTax address', () => {
    expect(avataxConsoleUrl({ environment: 'production', accountId: '2000062458' }, { avataxId: 1 })).toBeUndefined();
    expect(
      avataxConsoleUrl({ environment: 'production', accountId: '' }, { avataxId: 1, avataxCompanyId: 2 }),
    ).toBeUndefined();
    expect(
      avataxConsoleUrl({ environment: 'custom', accountId: '1' }, { avataxId: 1, avataxCompanyId: 2 }),
    ).toBeUndefined();
  });
});
