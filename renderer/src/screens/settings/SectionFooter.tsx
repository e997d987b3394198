import { useTranslation } from 'react-i18next';
import type { SettingsSection } from '../../../../shared/ipc-channels.js';
import { ErrorText } from '../../components/ErrorText.js';
import { describeIssue } from '../../i18n/settings-issues.js';
import { useApp } from '../../stores/app.js';
import { useSettings } from '../../stores/settings.js';
import { useUi } from '../../stores/ui.js';

/**
 * Under each Settings section: what is wrong with it (its own fields only), "Saved.", the warning when its
 * connection test just failed, and its own Save button.
 */
export function SectionFooter({ section, legend }: { section: SettingsSection; legend: string }) {
  const { t } = useTranslation();
  const { view, issues, errors, saving, saved, confirm, tests, cancelConfirm, draft } = useSettings();
  const { setLocale, toast } = useUi();
  const problems = [...(issues[section] ?? []).map((i) => describeIssue(i, t)), ...(errors[section] ?? [])];
  const failedTest = section === 'visma' ? tests.visma : section === 'avalara' ? tests.avatax : undefined;

  const onSave = async (force = false) => {
    const result = await useSettings.getState().save(section, { force });
    if (result !== 'saved') return;
    if (section === 'display' && draft) setLocale(useSettings.getState().draft?.ui.locale ?? draft.ui.locale);
    toast('success', t('settings.savedSection', { section: legend }));
    // The Overview says what the company now runs on (its schedule, the next run) at once, not half a minute later.
    void useApp.getState().refresh();
  };

  return (
    <div className="section-foot">
      {view?.mode === 'demo' && !view.saved?.[section] && section !== 'visma' && section !== 'avalara' ? (
        <p className="hint">{t('settings.demoValues')}</p>
      ) : null}
      {problems.length > 0 ? (
        <div className="alert error" role="alert" data-testid={`settings-errors-${section}`}>
          <strong>{t('settings.pleaseFix')}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {confirm === section && failedTest ? (
        <div className="alert warn" role="alert" data-testid={`settings-confirm-${section}`}>
          <strong>{t('settings.testFailedTitle')}</strong> <ErrorText message={failedTest.message} service={legend} />
          <p>{t('settings.testFailedAsk')}</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void onSave(true)}>
              {t('settings.saveAnyway')}
            </button>
            <button type="button" className="secondary" onClick={cancelConfirm}>
              {t('settings.dontSave')}
            </button>
          </div>
        </div>
      ) : null}
      <div className="row-end">
        {saved === section ? (
          <span role="status" className="ok">
            {t('settings.saved')}
          </span>
        ) : null}
        <button
          type="button"
          className="primary save"
          aria-label={t('settings.saveSectionLabel', { section: legend })}
          onClick={() => void onSave()}
          disabled={saving !== undefined}
        >
          {saving === section ? t('settings.saving') : t('settings.saveSection')}
        </button>
      </div>
    </div>
  );
}
