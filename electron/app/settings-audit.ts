import { addressLine } from '../../shared/address.js';
import { type Reason, type ReasonValue, reason, reasons } from '../../shared/reasons.js';
import type { Settings } from '../../shared/settings.js';
import { describeSchedule } from './scheduler.js';

/**
 * What a settings save changed, for the audit trail: each changed setting with its value before and after, in
 * codes the Audit screen and the CSV say in the reader's language. Nothing secret is in the settings (secrets live
 * in the vault); a field whose name says it is one would still be shown masked. A save that changed nothing
 * gives no changes, and so no audit entry.
 */
export function settingsChanges(before: Partial<Settings>, after: Partial<Settings>): Reason[] {
  const changes: Reason[] = [];
  for (const [field, read] of FIELDS) {
    const from = read(before);
    const to = read(after);
    if (to === undefined || JSON.stringify(from) === JSON.stringify(to)) continue;
    changes.push(
      reason('settings-change', {
        field: reasons([reason(`setting-${field}`)]),
        from: shown(field, from),
        to: shown(field, to),
      }),
    );
  }
  return changes;
}

/** The audit detail of a save that changed something (undefined when nothing changed). */
export function settingsSaved(before: Partial<Settings>, after: Partial<Settings>): Reason | undefined {
  const changes = settingsChanges(before, after);
  return changes.length > 0 ? reason('settings-saved', { changes: reasons(changes) }) : undefined;
}

type Read = (s: Partial<Settings>) => unknown;

/** Each setting the form edits, by the code of its label (`setting-<name>` in the reason catalogues). */
const FIELDS: [string, Read][] = [
  ['visma-token-url', (s) => s.visma?.tokenUrl],
  ['visma-api-url', (s) => s.visma?.apiUrl],
  ['visma-tenant-id', (s) => s.visma?.tenantId],
  ['visma-client-id', (s) => s.visma?.clientId],
  ['avalara-environment', (s) => s.avalara?.environment],
  ['avalara-api-url', (s) => s.avalara?.apiUrl],
  ['avalara-account-id', (s) => s.avalara?.accountId],
  ['avalara-company-code', (s) => s.avalara?.companyCode],
  ['company-ship-from', (s) => s.company?.shipFrom],
  ['company-base-currency', (s) => (s.company ? (s.company.baseCurrency ?? '') : undefined)],
  ['company-time-zone', (s) => (s.company ? (s.company.timeZone ?? '') : undefined)],
  ['vat-mapping', (s) => s.vatMapping],
  ['item-tax-codes', (s) => s.itemTaxCodes],
  ['default-tax-code', (s) => s.defaultTaxCode],
  ['sync-statuses', (s) => s.sync?.statuses],
  ['sync-commit', (s) => s.sync?.commit],
  ['sync-concurrency', (s) => s.sync?.concurrency],
  ['sync-start-from', (s) => (s.sync ? (s.sync.startFrom ?? '') : undefined)],
  ['sync-schedule', (s) => s.sync?.schedule],
  ['sync-tolerance', (s) => s.sync?.tolerance],
  ['sync-append-note', (s) => s.sync?.appendNote],
  ['sync-release-after-verify', (s) => s.sync?.releaseAfterVerify],
  ['export-delimiter', (s) => s.export?.delimiter],
  ['ui-locale', (s) => s.ui?.locale],
];

const SECRET = /secret|password|licen[cs]e.?key|token$/i;

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  'sv-SE': 'Svenska',
  'da-DK': 'Dansk',
  'de-DE': 'Deutsch',
};

/** A value as the audit shows it: words for yes/no, empty, the schedule; a count for tables; never a secret. */
function shown(field: string, value: unknown): ReasonValue {
  if (SECRET.test(field)) return '••••';
  if (value === undefined || value === '' || value === null) return reasons([reason('settings-value-empty')]);
  if (typeof value === 'boolean') return reasons([reason(value ? 'settings-value-yes' : 'settings-value-no')]);
  if (typeof value === 'number' || typeof value === 'string') {
    if (field === 'ui-locale' && value === 'auto') return reasons([reason('settings-language-auto')]);
    // A language by its own name, as the Language select shows it.
    if (field === 'ui-locale') return LANGUAGE_NAMES[value as string] ?? value;
    if (field === 'export-delimiter' && value === 'auto') return reasons([reason('settings-delimiter-auto')]);
    return typeof value === 'number' ? value : value;
  }
  if (field === 'sync-schedule') return reasons([describeSchedule(value as Settings['sync']['schedule'])]);
  if (field === 'vat-mapping') return reasons([reason('settings-rows', { count: (value as unknown[]).length })]);
  if (field === 'item-tax-codes') return reasons([reason('settings-items', { count: Object.keys(value).length })]);
  if (field === 'company-ship-from') return addressLine(value as Settings['company']['shipFrom']);
  if (Array.isArray(value)) return { list: value.map(String) };
  return JSON.stringify(value);
}
