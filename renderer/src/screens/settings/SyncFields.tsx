import { useTranslation } from 'react-i18next';
import { type Settings, VISMA_STATUSES } from '../../../../shared/settings.js';
import { Field, TextField } from '../../components/common.js';
import { browserLanguages, LOCALES, type LocaleChoice, localeFromLanguages } from '../../i18n/locale.js';
import { SectionFooter } from './SectionFooter.js';
import type { Edit } from './types.js';

const SCHEDULES: Record<string, Settings['sync']['schedule']> = {
  'end-of-day': { mode: 'end-of-day', time: '17:30', weekdaysOnly: true },
  interval: { mode: 'interval', minutes: 15 },
  manual: { mode: 'manual' },
};

/** What to sync and when, and how to commit. */
export function SyncFields({ draft, edit }: { draft: Settings; edit: Edit }) {
  const { t } = useTranslation();
  const sync = (patch: Partial<Settings['sync']>) => edit((d) => void Object.assign(d.sync, patch));
  const schedule = draft.sync.schedule;
  return (
    <fieldset data-section="sync">
      <legend>{t('settings.sync.legend')}</legend>
      <div className="grid2">
        <fieldset className="field plain">
          <legend>{t('settings.sync.statuses')}</legend>
          <div className="checks">
            {VISMA_STATUSES.filter((s) => s !== 'Scheduled').map((s) => (
              <label key={s} title={s}>
                <input
                  type="checkbox"
                  checked={draft.sync.statuses.includes(s)}
                  onChange={(e) =>
                    sync({
                      statuses: e.target.checked
                        ? [...draft.sync.statuses, s]
                        : draft.sync.statuses.filter((x) => x !== s),
                    })
                  }
                />
                {t(`settings.vismaStatus.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t('settings.sync.commit')} htmlFor="commit-policy">
          <select
            id="commit-policy"
            value={draft.sync.commit}
            onChange={(e) => sync({ commit: e.target.value as Settings['sync']['commit'] })}
          >
            <option value="on-release">{t('settings.sync.commitOnRelease')}</option>
            <option value="immediately">{t('settings.sync.commitImmediately')}</option>
          </select>
        </Field>
        <Field label={t('settings.sync.schedule')} htmlFor="schedule-mode">
          <select
            id="schedule-mode"
            value={schedule.mode}
            onChange={(e) => sync({ schedule: SCHEDULES[e.target.value]! })}
          >
            <option value="end-of-day">{t('settings.sync.scheduleEndOfDay')}</option>
            <option value="interval">{t('settings.sync.scheduleInterval')}</option>
            <option value="manual">{t('settings.sync.scheduleManual')}</option>
          </select>
        </Field>
        {schedule.mode === 'end-of-day' ? (
          <TextField
            id="schedule-time"
            label={t('settings.sync.time')}
            type="time"
            value={schedule.time}
            onChange={(time) => sync({ schedule: { mode: 'end-of-day', time, weekdaysOnly: true } })}
          />
        ) : null}
        {schedule.mode === 'interval' ? (
          <TextField
            id="schedule-minutes"
            label={t('settings.sync.minutes')}
            type="number"
            value={String(schedule.minutes)}
            onChange={(v) => sync({ schedule: { mode: 'interval', minutes: Number(v) } })}
          />
        ) : null}
        <TextField
          id="concurrency"
          label={t('settings.sync.concurrency')}
          type="number"
          value={String(draft.sync.concurrency)}
          onChange={(v) => sync({ concurrency: Number(v) })}
        />
        <TextField
          id="start-from"
          label={t('settings.sync.startFrom')}
          type="date"
          hint={t('settings.sync.startFromHint')}
          value={draft.sync.startFrom ?? ''}
          onChange={(v) => sync({ startFrom: v || undefined })}
        />
      </div>
      <SectionFooter section="sync" legend={t('settings.sync.legend')} />
    </fieldset>
  );
}

/** The language and how the month's CSV files are written. */
export function DisplayFields({ draft, edit }: { draft: Settings; edit: Edit }) {
  const { t } = useTranslation();
  return (
    <fieldset data-section="display">
      <legend>{t('settings.display.legend')}</legend>
      <div className="grid2">
        <Field label={t('settings.display.language')} htmlFor="locale">
          <select
            id="locale"
            value={draft.ui.locale}
            onChange={(e) => edit((d) => void Object.assign(d.ui, { locale: e.target.value as LocaleChoice }))}
          >
            <option value="auto">
              {t('settings.display.languageAuto', {
                language: t(`language.${localeFromLanguages(browserLanguages())}`),
              })}
            </option>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.display.delimiter')} htmlFor="delimiter" hint={t('settings.display.delimiterHint')}>
          <select
            id="delimiter"
            value={draft.export.delimiter}
            onChange={(e) =>
              edit((d) => void Object.assign(d.export, { delimiter: e.target.value as 'auto' | ',' | ';' }))
            }
          >
            <option value="auto">{t('settings.display.delimiterAuto')}</option>
            <option value=",">{t('settings.display.comma')}</option>
            <option value=";">{t('settings.display.semicolon')}</option>
          </select>
        </Field>
      </div>
      <SectionFooter section="display" legend={t('settings.display.legend')} />
    </fieldset>
  );
}
