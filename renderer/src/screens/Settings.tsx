import { useEffect } from 'react';
import type { Settings as SettingsShape } from '../../../shared/settings.js';
import { useApp } from '../stores/app.js';
import { useSettings } from '../stores/settings.js';
import { type Locale, useUi } from '../stores/ui.js';
import { ConnectionFields } from './settings/ConnectionFields.js';
import { SyncFields } from './settings/SyncFields.js';
import { VatMappingTable } from './settings/VatMappingTable.js';

export function Settings() {
  const { view, draft, secrets, errors, saving, saved, tests, load, edit, setSecret, save, test } = useSettings();
  const { locale, setLocale, toast } = useUi();
  const refresh = useApp((s) => s.refresh);
  useEffect(() => {
    void load();
  }, [load]);
  if (!view || !draft) return <p>Loading settings…</p>;
  const change = (patch: (d: SettingsShape) => void) =>
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
          The app is running the demo company. Enter your company's Visma and AvaTax details below and save to connect
          it.
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
      <ConnectionFields
        draft={draft}
        view={view}
        secrets={secrets}
        setSecret={setSecret}
        tests={tests}
        test={(t) => void test(t)}
        edit={change}
        locale={locale}
      />
      <VatMappingTable rows={draft.vatMapping} edit={change} />
      <SyncFields draft={draft} edit={change} />
    </section>
  );
}
