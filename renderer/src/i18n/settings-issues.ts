import type { ParseKeys, TFunction } from 'i18next';
import { formatReason } from '../../../shared/reason-format.js';
import type { SettingsIssue } from '../../../shared/settings-issues.js';
import { i18n } from './index.js';

export { type SettingsIssue, toSettingsIssues } from '../../../shared/settings-issues.js';

type Key = ParseKeys;

/** Section and field label of each settings path (row numbers stand for '#'), the labels the form shows. */
const FIELDS: Record<string, [Key, Key?]> = {
  visma: ['settings.visma.legend'],
  'visma.tokenUrl': ['settings.visma.legend', 'settings.visma.tokenUrl'],
  'visma.apiUrl': ['settings.visma.legend', 'settings.visma.apiUrl'],
  'visma.tenantId': ['settings.visma.legend', 'settings.visma.tenantId'],
  'visma.clientId': ['settings.visma.legend', 'settings.visma.clientId'],
  avalara: ['settings.avalara.legend'],
  'avalara.environment': ['settings.avalara.legend', 'settings.avalara.environment'],
  'avalara.apiUrl': ['settings.avalara.legend', 'settings.avalara.apiUrl'],
  'avalara.accountId': ['settings.avalara.legend', 'settings.avalara.accountId'],
  'avalara.companyCode': ['settings.avalara.legend', 'settings.avalara.companyCode'],
  'company.shipFrom': ['settings.shipFrom.legend'],
  'company.shipFrom.line1': ['settings.shipFrom.legend', 'settings.shipFrom.line1'],
  'company.shipFrom.line2': ['settings.shipFrom.legend', 'settings.shipFrom.line2'],
  'company.shipFrom.city': ['settings.shipFrom.legend', 'settings.shipFrom.city'],
  'company.shipFrom.region': ['settings.shipFrom.legend', 'settings.shipFrom.region'],
  'company.shipFrom.postalCode': ['settings.shipFrom.legend', 'settings.shipFrom.postalCode'],
  'company.shipFrom.country': ['settings.shipFrom.legend', 'settings.shipFrom.country'],
  'company.baseCurrency': ['settings.shipFrom.legend', 'settings.shipFrom.baseCurrency'],
  'company.timeZone': ['settings.shipFrom.legend', 'settings.shipFrom.timeZone'],
  vatMapping: ['settings.vatMapping.legend'],
  'vatMapping.#': ['settings.vatMapping.legend'],
  'vatMapping.#.country': ['settings.vatMapping.legend', 'settings.vatMapping.country'],
  'vatMapping.#.rate': ['settings.vatMapping.legend', 'settings.vatMapping.rate'],
  'vatMapping.#.vatCategoryId': ['settings.vatMapping.legend', 'settings.vatMapping.vatCategoryId'],
  'vatMapping.#.vatId': ['settings.vatMapping.legend', 'settings.vatMapping.vatId'],
  'sync.statuses': ['settings.sync.legend', 'settings.sync.statuses'],
  'sync.commit': ['settings.sync.legend', 'settings.sync.commit'],
  'sync.concurrency': ['settings.sync.legend', 'settings.sync.concurrency'],
  'sync.startFrom': ['settings.sync.legend', 'settings.sync.startFrom'],
  'sync.schedule': ['settings.sync.legend', 'settings.sync.schedule'],
  'sync.schedule.mode': ['settings.sync.legend', 'settings.sync.schedule'],
  'sync.schedule.time': ['settings.sync.legend', 'settings.sync.time'],
  'sync.schedule.minutes': ['settings.sync.legend', 'settings.sync.minutes'],
  'export.delimiter': ['settings.display.legend', 'settings.display.delimiter'],
  'ui.locale': ['settings.display.legend', 'settings.display.language'],
  itemTaxCodes: ['settings.other.itemTaxCodes'],
  defaultTaxCode: ['settings.other.defaultTaxCode'],
};

const leafOf = (path: SettingsIssue['path']) => String(path.findLast((p) => typeof p === 'string') ?? '');

/** Which sentence says what is wrong, from zod's issue code and the field it is about. */
export function problemOf(issue: SettingsIssue): {
  key: Key;
  minimum?: number;
  maximum?: number;
  from?: string;
  to?: string;
} {
  const leaf = leafOf(issue.path);
  const percent = leaf === 'rate';
  switch (issue.code) {
    case 'too_small':
      if (percent) return { key: 'settings.problem.percent' };
      if (issue.origin === 'array') return { key: 'settings.problem.pickOne' };
      if (issue.origin === 'string') return { key: 'settings.problem.required' };
      return { key: 'settings.problem.min', minimum: issue.minimum };
    case 'too_big':
      if (percent) return { key: 'settings.problem.percent' };
      if (issue.origin === 'string') return { key: 'settings.problem.maxLength', maximum: issue.maximum };
      return { key: 'settings.problem.max', maximum: issue.maximum };
    case 'invalid_type':
      if (percent) return { key: 'settings.problem.percent' };
      if (issue.expected === 'int') return { key: 'settings.problem.wholeNumber' };
      if (issue.expected === 'number') return { key: 'settings.problem.number' };
      return { key: 'settings.problem.required' };
    case 'start_from_range':
      return { key: 'settings.problem.startFromRange', from: issue.from, to: issue.to };
    case 'invalid_format':
      if (issue.format === 'url') return { key: 'settings.problem.webAddress' };
      if (issue.format === 'regex' && (leaf === 'apiUrl' || leaf === 'tokenUrl'))
        return { key: 'settings.problem.spaces' };
      return { key: FORMATS[leaf] ?? 'settings.problem.invalid' };
    case 'custom':
      if (leaf === 'apiUrl' || leaf === 'tokenUrl') return { key: 'settings.problem.https' };
      if (leaf === 'startFrom') return { key: 'settings.problem.date' };
      return { key: 'settings.problem.invalid' };
    case 'invalid_value':
    case 'invalid_union':
      return { key: 'settings.problem.choice' };
    default:
      return { key: 'settings.problem.invalid' };
  }
}

const FORMATS: Record<string, Key> = {
  country: 'settings.problem.countryCode',
  accountId: 'settings.problem.digits',
  time: 'settings.problem.time',
  startFrom: 'settings.problem.date',
  baseCurrency: 'settings.problem.currencyCode',
};

/** "VAT mapping › row 1 › VAT id: is required", in the current language. */
export function describeIssue(issue: SettingsIssue, t: TFunction): string {
  const pattern = issue.path.map((p) => (typeof p === 'number' ? '#' : p)).join('.');
  const [section, field] = FIELDS[pattern] ?? [];
  const row = issue.path.find((p) => typeof p === 'number');
  const where = [
    section ? t(section) : pattern,
    row === undefined ? undefined : t('settings.row', { row: row + 1 }),
    field ? t(field) : undefined,
  ]
    .filter(Boolean)
    .join(' › ');
  if (issue.reason) {
    // A fixed t (getFixedT) knows its language; the hook's follows the app's.
    const lng = (t as unknown as { lng?: string }).lng ?? i18n.language;
    return t('settings.issue', { field: where, problem: formatReason(issue.reason, lng) });
  }
  const { key, ...bounds } = problemOf(issue);
  return t('settings.issue', { field: where, problem: t(key, bounds) });
}
