import { useTranslation } from 'react-i18next';
import { systemTimeZone } from '../../../../shared/dates.js';
import type { ConnectionResult, SettingsView } from '../../../../shared/ipc-channels.js';
import type { Settings } from '../../../../shared/settings.js';
import { Field, TextField } from '../../components/common.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formatDateTime } from '../../format.js';
import { countryChoices, currencyChoices } from '../../pickers.js';
import { useSay } from '../../reasons.js';
import type { Locale } from '../../stores/ui.js';
import { SectionFooter } from './SectionFooter.js';
import type { Edit } from './types.js';

const ENV_URLS = { sandbox: 'https://sandbox-rest.avatax.com', production: 'https://rest.avatax.com' } as const;

type Test = ConnectionResult & { running?: boolean };

interface Props {
  draft: Settings;
  view: SettingsView;
  secrets: { vismaClientSecret: string; avalaraLicenseKey: string };
  setSecret: (name: 'vismaClientSecret' | 'avalaraLicenseKey', value: string) => void;
  tests: { visma?: Test; avatax?: Test };
  test: (target: 'visma' | 'avatax') => void;
  edit: Edit;
  locale: Locale;
}

/** Under a secret field: what will happen to what was typed, else what is stored. */
function useSecretHint(locale: Locale) {
  const { t } = useTranslation();
  return (s: { set: boolean; updatedAt?: string }, typed: string) => {
    if (typed) return s.set ? t('settings.secret.willReplace') : t('settings.secret.willBeSaved');
    if (!s.set) return t('settings.secret.notSet');
    return s.updatedAt
      ? t('settings.secret.storedAt', { date: formatDateTime(s.updatedAt, locale) })
      : t('settings.secret.stored');
  };
}

/** Visma: ids, URLs, the client secret (write-only: the app shows only whether one is stored), the test. */
export function VismaFields({ draft, view, secrets, setSecret, tests, test, edit, locale }: Props) {
  const { t } = useTranslation();
  const secretHint = useSecretHint(locale);
  return (
    <fieldset data-section="visma">
      <legend>{t('settings.visma.legend')}</legend>
      {view.connected ? (
        <p className="alert success" data-testid="connected-visma">
          {t('settings.connectedVisma', { tenant: view.connected.vismaTenantId })}
        </p>
      ) : null}
      <div className="grid2">
        <TextField
          id="visma-tenant"
          label={t('settings.visma.tenantId')}
          hint={t('settings.visma.tenantHint')}
          value={draft.visma.tenantId}
          onChange={(v) => edit((d) => void Object.assign(d.visma, { tenantId: v }))}
        />
        <TextField
          id="visma-client"
          label={t('settings.visma.clientId')}
          value={draft.visma.clientId}
          onChange={(v) => edit((d) => void Object.assign(d.visma, { clientId: v }))}
        />
        <TextField
          id="visma-secret"
          label={t('settings.visma.clientSecret')}
          type="password"
          autoComplete="off"
          hint={secretHint(view.secrets.vismaClientSecret, secrets.vismaClientSecret)}
          placeholder={view.secrets.vismaClientSecret.set ? t('settings.secret.placeholder') : ''}
          value={secrets.vismaClientSecret}
          onChange={(v) => setSecret('vismaClientSecret', v)}
        />
        <TextField
          id="visma-api"
          label={t('settings.visma.apiUrl')}
          value={draft.visma.apiUrl}
          onChange={(v) => edit((d) => void Object.assign(d.visma, { apiUrl: v }))}
        />
        <TextField
          id="visma-token"
          label={t('settings.visma.tokenUrl')}
          value={draft.visma.tokenUrl}
          onChange={(v) => edit((d) => void Object.assign(d.visma, { tokenUrl: v }))}
        />
      </div>
      <TestButton label={t('settings.visma.test')} result={tests.visma} onClick={() => test('visma')} service="Visma" />
      <SectionFooter section="visma" legend={t('settings.visma.legend')} />
    </fieldset>
  );
}

/** AvaTax: environment, account, license key (write-only), company code, the test. */
export function AvaTaxFields({ draft, view, secrets, setSecret, tests, test, edit, locale }: Props) {
  const { t } = useTranslation();
  const secretHint = useSecretHint(locale);
  return (
    <fieldset data-section="avalara">
      <legend>{t('settings.avalara.legend')}</legend>
      {view.connected ? (
        <p className="alert success" data-testid="connected-avatax">
          {t('settings.connectedAvaTax', {
            account: view.connected.avataxAccountId,
            company: view.connected.avataxCompanyCode,
            environment: t(`settings.avalara.environments.${view.connected.avataxEnvironment}`),
          })}
        </p>
      ) : null}
      <div className="grid2">
        <Field label={t('settings.avalara.environment')} htmlFor="ava-env">
          <select
            id="ava-env"
            value={draft.avalara.environment}
            onChange={(e) => {
              const environment = e.target.value as Settings['avalara']['environment'];
              edit(
                (d) =>
                  void Object.assign(
                    d.avalara,
                    environment === 'custom' ? { environment } : { environment, apiUrl: ENV_URLS[environment] },
                  ),
              );
            }}
          >
            <option value="sandbox">{t('settings.avalara.environments.sandbox')}</option>
            <option value="production">{t('settings.avalara.environments.production')}</option>
            <option value="custom">{t('settings.avalara.environments.custom')}</option>
          </select>
        </Field>
        <TextField
          id="ava-url"
          label={t('settings.avalara.apiUrl')}
          disabled={draft.avalara.environment !== 'custom'}
          value={draft.avalara.apiUrl}
          onChange={(v) => edit((d) => void Object.assign(d.avalara, { apiUrl: v }))}
        />
        <TextField
          id="ava-account"
          label={t('settings.avalara.accountId')}
          inputMode="numeric"
          value={draft.avalara.accountId}
          onChange={(v) => edit((d) => void Object.assign(d.avalara, { accountId: v }))}
        />
        <TextField
          id="ava-key"
          label={t('settings.avalara.licenseKey')}
          type="password"
          autoComplete="off"
          hint={secretHint(view.secrets.avalaraLicenseKey, secrets.avalaraLicenseKey)}
          placeholder={view.secrets.avalaraLicenseKey.set ? t('settings.secret.placeholder') : ''}
          value={secrets.avalaraLicenseKey}
          onChange={(v) => setSecret('avalaraLicenseKey', v)}
        />
        <TextField
          id="ava-company"
          label={t('settings.avalara.companyCode')}
          value={draft.avalara.companyCode}
          onChange={(v) => edit((d) => void Object.assign(d.avalara, { companyCode: v }))}
        />
      </div>
      <TestButton
        label={t('settings.avalara.test')}
        result={tests.avatax}
        onClick={() => test('avatax')}
        service="AvaTax"
      />
      <SectionFooter section="avalara" legend={t('settings.avalara.legend')} />
    </fieldset>
  );
}

/** The zones the runtime knows, with the saved one kept even if it is not among them. */
function timeZones(saved: string | undefined): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return saved && !known.includes(saved) ? [saved, ...known] : known;
}

/** Where the goods ship from (the company section): the country and the base currency picked from ISO lists. */
export function ShipFromFields({ draft, edit, locale }: Pick<Props, 'draft' | 'edit' | 'locale'>) {
  const { t } = useTranslation();
  return (
    <fieldset data-section="company">
      <legend>{t('settings.shipFrom.legend')}</legend>
      <div className="grid2">
        <TextField
          id="from-line1"
          label={t('settings.shipFrom.line1')}
          value={draft.company.shipFrom.line1}
          onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { line1: v }))}
        />
        <TextField
          id="from-postal"
          label={t('settings.shipFrom.postalCode')}
          value={draft.company.shipFrom.postalCode}
          onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { postalCode: v }))}
        />
        <TextField
          id="from-city"
          label={t('settings.shipFrom.city')}
          value={draft.company.shipFrom.city}
          onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { city: v }))}
        />
        <Field label={t('settings.shipFrom.country')} htmlFor="from-country">
          <select
            id="from-country"
            value={draft.company.shipFrom.country}
            onChange={(e) => edit((d) => void Object.assign(d.company.shipFrom, { country: e.target.value }))}
          >
            {countryChoices(locale, draft.company.shipFrom.country).map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={t('settings.shipFrom.baseCurrency')}
          htmlFor="base-currency"
          hint={t('settings.shipFrom.baseCurrencyHint')}
        >
          <select
            id="base-currency"
            value={draft.company.baseCurrency ?? ''}
            onChange={(e) => edit((d) => void Object.assign(d.company, { baseCurrency: e.target.value || undefined }))}
          >
            <option value="">{t('settings.shipFrom.noBaseCurrency')}</option>
            {currencyChoices(locale, draft.company.baseCurrency).map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.shipFrom.timeZone')} htmlFor="time-zone" hint={t('settings.shipFrom.timeZoneHint')}>
          <select
            id="time-zone"
            value={draft.company.timeZone ?? ''}
            onChange={(e) =>
              edit((d) => void Object.assign(d.company, { timeZone: e.target.value ? e.target.value : undefined }))
            }
          >
            <option value="">{t('settings.shipFrom.timeZoneComputer', { zone: systemTimeZone() })}</option>
            {timeZones(draft.company.timeZone).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <SectionFooter section="company" legend={t('settings.shipFrom.legend')} />
    </fieldset>
  );
}

function TestButton({
  label,
  result,
  onClick,
  service,
}: {
  label: string;
  result?: Test;
  onClick: () => void;
  service: string;
}) {
  const { t } = useTranslation();
  const say = useSay();
  return (
    <div className="test-row">
      <button type="button" className="secondary" onClick={onClick} disabled={result?.running}>
        {label}
      </button>
      {result ? (
        <span role="status" className={result.running ? 'muted' : result.ok ? 'ok' : 'bad'}>
          {result.running ? (
            t('settings.testing')
          ) : result.ok ? (
            `✓ ${result.reason ? say(result.reason) : result.message}`
          ) : result.reason ? (
            `✗ ${say(result.reason)}`
          ) : (
            <>
              ✗ <ErrorText message={result.message} service={service} />
            </>
          )}
        </span>
      ) : null}
    </div>
  );
}
