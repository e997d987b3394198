import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings as SettingsShape } from '../../../shared/settings.js';
import { describeIssue } from '../i18n/settings-issues.js';
import { useApp } from '../stores/app.js';
import { useSettings } from '../stores/settings.js';
import { useUi } from '../stores/ui.js';
import { ConnectionFields } from './settings/ConnectionFields.js';
import { SyncFields } from './settings/SyncFields.js';
import { VatMappingTable } from './settings/VatMappingTable.js';

export function Settings() {
  const { t } = useTranslation();
  const { view, draft, secrets, issues, errors, saving, saved, tests, load, edit, setSecret, save, test } =
    useSettings();
  const { locale, setLocale, toast } = useUi();
  const refresh = useApp((s) => s.refresh);
  useEffect(() => {
    void load(useUi.getState().locale);
  }, [load]);
  if (!view || !draft) return <p>{t('settings.loading')}</p>;
  const change = (patch: (d: SettingsShape) => void) =>
    edit((d) => {
      patch(d);
      return d;
    });
  const backend = view.secretsBackend;
  const problems = [...issues.map((i) => describeIssue(i, t)), ...errors];

  const onSave = async () => {
    if (await save()) {
      setLocale(draft.ui.locale);
      toast('success', t('settings.savedToast'));
      await refresh();
    }
  };

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
        <button type="button" className="primary" onClick={() => void onSave()} disabled={saving}>
          {saving ? t('settings.saving') : t('settings.save')}
        </button>
      </header>
      {view.mode === 'demo' ? <p className="alert info">{t('settings.demo')}</p> : null}
      {!backend.available ? (
        <div className="alert warn" role="alert">
          <strong>{t('settings.noSecrets')}</strong> {backend.reason}
        </div>
      ) : null}
      {problems.length > 0 ? (
        <div className="alert error" role="alert" data-testid="settings-errors">
          <strong>{t('settings.pleaseFix')}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {saved ? (
        <p className="alert success" role="status">
          {t('settings.saved')}
        </p>
      ) : null}
      <ConnectionFields
        draft={draft}
        view={view}
        secrets={secrets}
        setSecret={setSecret}
        tests={tests}
        test={(target) => void test(target)}
        edit={change}
        locale={locale}
      />
      <VatMappingTable rows={draft.vatMapping} edit={change} />
      <SyncFields draft={draft} edit={change} />
    </section>
  );
}
