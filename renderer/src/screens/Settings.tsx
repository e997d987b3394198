import { useEffect } from 'react';
import type { ConnectionResult } from '../../../shared/ipc-channels.js';
import { type Settings as SettingsShape, VISMA_STATUSES } from '../../../shared/settings.js';
import { Field } from '../components/common.js';
import { formatDateTime } from '../format.js';
import { useApp } from '../stores/app.js';
import { useSettings } from '../stores/settings.js';
import { type Locale, useUi } from '../stores/ui.js';

const ENV_URLS = { sandbox: 'https://sandbox-rest.avatax.com', production: 'https://rest.avatax.com' } as const;

export function Settings() {
  const { view, draft, secrets, errors, saving, saved, tests, load, edit, setSecret, save, test } = useSettings();
  const { locale, setLocale, toast } = useUi();
  const refresh = useApp((s) => s.refresh);
  useEffect(() => {
    void load();
  }, [load]);
  if (!view || !draft) return <p>Loading settings…</p>;
  const set = (patch: (d: SettingsShape) => void) =>
    edit((d) => {
      patch(d);
      return d;
    });
  const backend = view.secretsBackend;

  const onSave = async () => {
    if (await save()) {
      toast('success', 'Settings saved');
      setLocale(draft.ui.locale as Locale);
      await refresh();
    }
  };

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-head">
        <h1 id="settings-title">Settings</h1>
        <button type="button" className="primary" onClick={() => void onSave()} disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </header>
      {view.mode === 'demo' ? (
        <p className="alert info">
          You are looking at the demo company. Enter your company's Visma and AvaTax credentials and save to connect it.
        </p>
      ) : null}
      {!backend.available ? (
        <div className="alert warn" role="alert">
          <strong>Secrets cannot be stored on this computer.</strong> {backend.reason}
        </div>
      ) : null}
      {errors.length > 0 ? (
        <div className="alert error" role="alert" data-testid="settings-errors">
          <strong>Please fix:</strong>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {saved ? (
        <p className="alert success" role="status">
          Saved.
        </p>
      ) : null}

      <fieldset>
        <legend>Visma.net ERP</legend>
        <div className="grid2">
          <Field
            label="Tenant id (Company)"
            htmlFor="visma-tenant"
            hint="Visma Admin → Company → Configuration; not the Customer tenant id"
          >
            <input
              id="visma-tenant"
              value={draft.visma.tenantId}
              onChange={(e) =>
                set((d) => {
                  d.visma.tenantId = e.target.value;
                })
              }
            />
          </Field>
          <Field label="Client id" htmlFor="visma-client">
            <input
              id="visma-client"
              value={draft.visma.clientId}
              onChange={(e) =>
                set((d) => {
                  d.visma.clientId = e.target.value;
                })
              }
            />
          </Field>
          <Field
            label="Client secret"
            htmlFor="visma-secret"
            hint={
              view.secrets.vismaClientSecret.set
                ? `Stored encrypted ${view.secrets.vismaClientSecret.updatedAt ? formatDateTime(view.secrets.vismaClientSecret.updatedAt, locale) : ''}; leave empty to keep it`
                : 'Not set'
            }
          >
            <input
              id="visma-secret"
              type="password"
              autoComplete="off"
              value={secrets.vismaClientSecret}
              placeholder={view.secrets.vismaClientSecret.set ? '•••••••• (set)' : ''}
              onChange={(e) => setSecret('vismaClientSecret', e.target.value)}
            />
          </Field>
          <Field label="API URL" htmlFor="visma-api">
            <input
              id="visma-api"
              value={draft.visma.apiUrl}
              onChange={(e) =>
                set((d) => {
                  d.visma.apiUrl = e.target.value;
                })
              }
            />
          </Field>
          <Field label="Token URL" htmlFor="visma-token">
            <input
              id="visma-token"
              value={draft.visma.tokenUrl}
              onChange={(e) =>
                set((d) => {
                  d.visma.tokenUrl = e.target.value;
                })
              }
            />
          </Field>
        </div>
        <TestButton label="Test Visma connection" result={tests.visma} onClick={() => void test('visma')} />
      </fieldset>

      <fieldset>
        <legend>AvaTax</legend>
        <div className="grid2">
          <Field label="Environment" htmlFor="ava-env">
            <select
              id="ava-env"
              value={draft.avalara.environment}
              onChange={(e) =>
                set((d) => {
                  const env = e.target.value as SettingsShape['avalara']['environment'];
                  d.avalara.environment = env;
                  if (env !== 'custom') d.avalara.apiUrl = ENV_URLS[env];
                })
              }
            >
              <option value="sandbox">Sandbox</option>
              <option value="production">Production</option>
              <option value="custom">Custom URL</option>
            </select>
          </Field>
          <Field label="API URL" htmlFor="ava-url">
            <input
              id="ava-url"
              value={draft.avalara.apiUrl}
              disabled={draft.avalara.environment !== 'custom'}
              onChange={(e) =>
                set((d) => {
                  d.avalara.apiUrl = e.target.value;
                })
              }
            />
          </Field>
          <Field label="Account id" htmlFor="ava-account">
            <input
              id="ava-account"
              inputMode="numeric"
              value={draft.avalara.accountId}
              onChange={(e) =>
                set((d) => {
                  d.avalara.accountId = e.target.value;
                })
              }
            />
          </Field>
          <Field
            label="License key"
            htmlFor="ava-key"
            hint={view.secrets.avalaraLicenseKey.set ? 'Stored encrypted; leave empty to keep it' : 'Not set'}
          >
            <input
              id="ava-key"
              type="password"
              autoComplete="off"
              value={secrets.avalaraLicenseKey}
              placeholder={view.secrets.avalaraLicenseKey.set ? '•••••••• (set)' : ''}
              onChange={(e) => setSecret('avalaraLicenseKey', e.target.value)}
            />
          </Field>
          <Field label="Company code" htmlFor="ava-company">
            <input
              id="ava-company"
              value={draft.avalara.companyCode}
              onChange={(e) =>
                set((d) => {
                  d.avalara.companyCode = e.target.value;
                })
              }
            />
          </Field>
        </div>
        <TestButton label="Test AvaTax connection" result={tests.avatax} onClick={() => void test('avatax')} />
      </fieldset>

      <fieldset>
        <legend>Ship-from address</legend>
        <div className="grid2">
          <Field label="Street" htmlFor="from-line1">
            <input
              id="from-line1"
              value={draft.company.shipFrom.line1}
              onChange={(e) =>
                set((d) => {
                  d.company.shipFrom.line1 = e.target.value;
                })
              }
            />
          </Field>
          <Field label="Postal code" htmlFor="from-postal">
            <input
              id="from-postal"
              value={draft.company.shipFrom.postalCode}
              onChange={(e) =>
                set((d) => {
                  d.company.shipFrom.postalCode = e.target.value;
                })
              }
            />
          </Field>
          <Field label="City" htmlFor="from-city">
            <input
              id="from-city"
              value={draft.company.shipFrom.city}
              onChange={(e) =>
                set((d) => {
                  d.company.shipFrom.city = e.target.value;
                })
              }
            />
          </Field>
          <Field label="Country (ISO code)" htmlFor="from-country">
            <input
              id="from-country"
              value={draft.company.shipFrom.country}
              onChange={(e) =>
                set((d) => {
                  d.company.shipFrom.country = e.target.value;
                })
              }
            />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>VAT mapping</legend>
        <p className="hint">
          AvaTax's rate and the ship-to country pick the Visma VAT category and VAT id. Leave the rate empty to match
          every rate of a country (US sales tax). A rate with no row puts the document in Needs attention.
        </p>
        <table className="small-table mapping">
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">Rate %</th>
              <th scope="col">VAT category</th>
              <th scope="col">VAT id</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.vatMapping.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: mapping rows have no identity of their own; the row number is what the user edits by
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Row ${i + 1} country`}
                    value={row.country}
                    maxLength={2}
                    onChange={(e) =>
                      set((d) => {
                        d.vatMapping[i]!.country = e.target.value.toUpperCase();
                      })
                    }
                  />
                </td>
                <td>
                  <input
                    aria-label={`Row ${i + 1} rate in percent`}
                    inputMode="decimal"
                    defaultValue={row.rate === undefined ? '' : String(Math.round(row.rate * 1_000_000) / 10_000)}
                    onBlur={(e) =>
                      set((d) => {
                        const text = e.target.value.trim().replace(',', '.');
                        d.vatMapping[i]!.rate = text === '' ? undefined : Number(text) / 100;
                      })
                    }
                  />
                </td>
                <td>
                  <input
                    aria-label={`Row ${i + 1} VAT category`}
                    value={row.vatCategoryId}
                    onChange={(e) =>
                      set((d) => {
                        d.vatMapping[i]!.vatCategoryId = e.target.value;
                      })
                    }
                  />
                </td>
                <td>
                  <input
                    aria-label={`Row ${i + 1} VAT id`}
                    value={row.vatId}
                    onChange={(e) =>
                      set((d) => {
                        d.vatMapping[i]!.vatId = e.target.value;
                      })
                    }
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Remove row ${i + 1}`}
                    onClick={() => set((d) => void d.vatMapping.splice(i, 1))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          className="secondary"
          onClick={() => set((d) => void d.vatMapping.push({ country: '', vatCategoryId: '', vatId: '' }))}
        >
          Add mapping row
        </button>
      </fieldset>

      <fieldset>
        <legend>Sync</legend>
        <div className="grid2">
          <fieldset className="field plain">
            <legend>Visma statuses to sync</legend>
            <div className="checks">
              {VISMA_STATUSES.slice(0, 5).map((s) => (
                <label key={s}>
                  <input
                    type="checkbox"
                    checked={draft.sync.statuses.includes(s)}
                    onChange={(e) =>
                      set((d) => {
                        d.sync.statuses = e.target.checked
                          ? [...d.sync.statuses, s]
                          : d.sync.statuses.filter((x) => x !== s);
                      })
                    }
                  />
                  {s}
                </label>
              ))}
            </div>
          </fieldset>
          <Field label="Commit in AvaTax" htmlFor="commit-policy">
            <select
              id="commit-policy"
              value={draft.sync.commit}
              onChange={(e) =>
                set((d) => {
                  d.sync.commit = e.target.value as 'on-release' | 'immediately';
                })
              }
            >
              <option value="on-release">When Visma releases the document (recommended)</option>
              <option value="immediately">Immediately</option>
            </select>
          </Field>
          <Field label="Schedule" htmlFor="schedule-mode">
            <select
              id="schedule-mode"
              value={draft.sync.schedule.mode}
              onChange={(e) =>
                set((d) => {
                  const mode = e.target.value;
                  d.sync.schedule =
                    mode === 'interval'
                      ? { mode: 'interval', minutes: 15 }
                      : mode === 'manual'
                        ? { mode: 'manual' }
                        : { mode: 'end-of-day', time: '17:30', weekdaysOnly: true };
                })
              }
            >
              <option value="end-of-day">End of business day</option>
              <option value="interval">Near real time (every N minutes)</option>
              <option value="manual">Manual only</option>
            </select>
          </Field>
          {draft.sync.schedule.mode === 'end-of-day' ? (
            <Field label="Time (weekdays)" htmlFor="schedule-time">
              <input
                id="schedule-time"
                type="time"
                value={draft.sync.schedule.time}
                onChange={(e) =>
                  set((d) => {
                    d.sync.schedule = { mode: 'end-of-day', time: e.target.value, weekdaysOnly: true };
                  })
                }
              />
            </Field>
          ) : null}
          {draft.sync.schedule.mode === 'interval' ? (
            <Field label="Every (minutes)" htmlFor="schedule-minutes">
              <input
                id="schedule-minutes"
                type="number"
                min={5}
                max={720}
                value={draft.sync.schedule.minutes}
                onChange={(e) =>
                  set((d) => {
                    d.sync.schedule = { mode: 'interval', minutes: Number(e.target.value) };
                  })
                }
              />
            </Field>
          ) : null}
          <Field label="Documents in parallel" htmlFor="concurrency">
            <input
              id="concurrency"
              type="number"
              min={1}
              max={16}
              value={draft.sync.concurrency}
              onChange={(e) =>
                set((d) => {
                  d.sync.concurrency = Number(e.target.value);
                })
              }
            />
          </Field>
          <Field
            label="First run starts from"
            htmlFor="start-from"
            hint="Never the beginning of time: years of history would be posted"
          >
            <input
              id="start-from"
              type="date"
              value={draft.sync.startFrom ?? ''}
              onChange={(e) =>
                set((d) => {
                  d.sync.startFrom = e.target.value || undefined;
                })
              }
            />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Display and export</legend>
        <div className="grid2">
          <Field label="Language for amounts and dates" htmlFor="locale">
            <select
              id="locale"
              value={draft.ui.locale}
              onChange={(e) =>
                set((d) => {
                  d.ui.locale = e.target.value as Locale;
                })
              }
            >
              <option value="en">English</option>
              <option value="sv-SE">Svenska (Sverige)</option>
              <option value="da-DK">Dansk (Danmark)</option>
              <option value="de-DE">Deutsch (Deutschland)</option>
            </select>
          </Field>
          <Field label="CSV list separator" htmlFor="delimiter" hint="Semicolon for Nordic and German Excel">
            <select
              id="delimiter"
              value={draft.export.delimiter}
              onChange={(e) =>
                set((d) => {
                  d.export.delimiter = e.target.value as ',' | ';';
                })
              }
            >
              <option value=",">Comma (,)</option>
              <option value=";">Semicolon (;)</option>
            </select>
          </Field>
        </div>
      </fieldset>
    </section>
  );
}

function TestButton({
  label,
  result,
  onClick,
}: {
  label: string;
  result?: ConnectionResult & { running?: boolean };
  onClick: () => void;
}) {
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
