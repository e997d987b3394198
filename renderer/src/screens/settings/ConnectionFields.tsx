import type { ConnectionResult, SettingsView } from '../../../../shared/ipc-channels.js';
import type { Settings } from '../../../../shared/settings.js';
import { Field, TextField } from '../../components/common.js';
import { formatDateTime } from '../../format.js';
import type { Locale } from '../../stores/ui.js';
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

/** Visma and AvaTax: ids, URLs, secrets (write-only: the app shows only whether one is stored) and tests. */
export function ConnectionFields({ draft, view, secrets, setSecret, tests, test, edit, locale }: Props) {
  const stored = (s: { set: boolean; updatedAt?: string }) =>
    s.set
      ? `Stored encrypted${s.updatedAt ? ` ${formatDateTime(s.updatedAt, locale)}` : ''}; leave empty to keep it`
      : 'Not set';
  return (
    <>
      <fieldset>
        <legend>Visma.net ERP</legend>
        <div className="grid2">
          <TextField
            id="visma-tenant"
            label="Tenant id (Company)"
            hint="Visma Admin → Company → Configuration; not the Customer tenant id"
            value={draft.visma.tenantId}
            onChange={(v) => edit((d) => void Object.assign(d.visma, { tenantId: v }))}
          />
          <TextField
            id="visma-client"
            label="Client id"
            value={draft.visma.clientId}
            onChange={(v) => edit((d) => void Object.assign(d.visma, { clientId: v }))}
          />
          <TextField
            id="visma-secret"
            label="Client secret"
            type="password"
            autoComplete="off"
            hint={stored(view.secrets.vismaClientSecret)}
            placeholder={view.secrets.vismaClientSecret.set ? '•••••••• (set)' : ''}
            value={secrets.vismaClientSecret}
            onChange={(v) => setSecret('vismaClientSecret', v)}
          />
          <TextField
            id="visma-api"
            label="API URL"
            value={draft.visma.apiUrl}
            onChange={(v) => edit((d) => void Object.assign(d.visma, { apiUrl: v }))}
          />
          <TextField
            id="visma-token"
            label="Token URL"
            value={draft.visma.tokenUrl}
            onChange={(v) => edit((d) => void Object.assign(d.visma, { tokenUrl: v }))}
          />
        </div>
        <TestButton label="Test Visma connection" result={tests.visma} onClick={() => test('visma')} />
      </fieldset>

      <fieldset>
        <legend>AvaTax</legend>
        <div className="grid2">
          <Field label="Environment" htmlFor="ava-env">
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
              <option value="sandbox">Sandbox</option>
              <option value="production">Production</option>
              <option value="custom">Custom URL</option>
            </select>
          </Field>
          <TextField
            id="ava-url"
            label="API URL"
            disabled={draft.avalara.environment !== 'custom'}
            value={draft.avalara.apiUrl}
            onChange={(v) => edit((d) => void Object.assign(d.avalara, { apiUrl: v }))}
          />
          <TextField
            id="ava-account"
            label="Account id"
            inputMode="numeric"
            value={draft.avalara.accountId}
            onChange={(v) => edit((d) => void Object.assign(d.avalara, { accountId: v }))}
          />
          <TextField
            id="ava-key"
            label="License key"
            type="password"
            autoComplete="off"
            hint={stored(view.secrets.avalaraLicenseKey)}
            placeholder={view.secrets.avalaraLicenseKey.set ? '•••••••• (set)' : ''}
            value={secrets.avalaraLicenseKey}
            onChange={(v) => setSecret('avalaraLicenseKey', v)}
          />
          <TextField
            id="ava-company"
            label="Company code"
            value={draft.avalara.companyCode}
            onChange={(v) => edit((d) => void Object.assign(d.avalara, { companyCode: v }))}
          />
        </div>
        <TestButton label="Test AvaTax connection" result={tests.avatax} onClick={() => test('avatax')} />
      </fieldset>

      <fieldset>
        <legend>Ship-from address</legend>
        <div className="grid2">
          <TextField
            id="from-line1"
            label="Street"
            value={draft.company.shipFrom.line1}
            onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { line1: v }))}
          />
          <TextField
            id="from-postal"
            label="Postal code"
            value={draft.company.shipFrom.postalCode}
            onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { postalCode: v }))}
          />
          <TextField
            id="from-city"
            label="City"
            value={draft.company.shipFrom.city}
            onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { city: v }))}
          />
          <TextField
            id="from-country"
            label="Country (ISO code)"
            maxLength={2}
            value={draft.company.shipFrom.country}
            onChange={(v) => edit((d) => void Object.assign(d.company.shipFrom, { country: v.toUpperCase() }))}
          />
        </div>
      </fieldset>
    </>
  );
}

function TestButton({ label, result, onClick }: { label: string; result?: Test; onClick: () => void }) {
  return (
    <div className="test-row">
      <button type="button" className="secondary" onClick={onClick} disabled={result?.running}>
        {label}
      </button>
      {result ? (
        <span role="status" className={result.running ? 'muted' : result.ok ? 'ok' : 'bad'}>
          {result.running ? 'Testing…' : `${result.ok ? '✓' : '✗'} ${result.message}`}
        </span>
      ) : null}
    </div>
  );
}
