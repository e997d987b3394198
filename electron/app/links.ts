import type { LedgerDocument } from '../../shared/domain.js';
import type { Settings } from '../../shared/settings.js';

/**
 * The AvaTax admin console's page of a transaction:
 * `https://admin.avalara.com/cup/a/<account id>/c/<company id>/transactions/<transaction id>` (the sandbox console
 * at `sandbox.admin.avalara.com`). The company id is AvaTax's number for the company, not its company code: a
 * document whose AvaTax transaction did not say it (`avataxCompanyId`) gets no link, and neither does a custom
 * AvaTax address or the demo company, whose AvaTax is the built-in sandbox.
 */
export function avataxConsoleUrl(
  avalara: Pick<Settings['avalara'], 'environment' | 'accountId'>,
  document: Pick<LedgerDocument, 'avataxId'> & { avataxCompanyId?: unknown },
): string | undefined {
  const company = document.avataxCompanyId;
  if (avalara.environment === 'custom' || !/^\d+$/.test(avalara.accountId)) return undefined;
  if (typeof company !== 'number' || !Number.isSafeInteger(company) || document.avataxId === undefined)
    return undefined;
  const host = avalara.environment === 'production' ? 'admin.avalara.com' : 'sandbox.admin.avalara.com';
  return `https://${host}/cup/a/${avalara.accountId}/c/${company}/transactions/${document.avataxId}`;
}
