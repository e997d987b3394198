import { type Settings, VISMA_STATUSES } from '../../../../shared/settings.js';
import { Field, TextField } from '../../components/common.js';
import type { Locale } from '../../stores/ui.js';
import type { Edit } from './types.js';

const SCHEDULES: Record<string, Settings['sync']['schedule']> = {
  'end-of-day': { mode: 'end-of-day', time: '17:30', weekdaysOnly: true },
  interval: { mode: 'interval', minutes: 15 },
  manual: { mode: 'manual' },
};

/** What to sync and when, how to commit, and how amounts, dates and CSV files look. */
export function SyncFields({ draft, edit }: { draft: Settings; edit: Edit }) {
  const sync = (patch: Partial<Settings['sync']>) => edit((d) => void Object.assign(d.sync, patch));
  const schedule = draft.sync.schedule;
  return (
    <>
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
                      sync({
                        statuses: e.target.checked
                          ? [...draft.sync.statuses, s]
                          : draft.sync.statuses.filter((x) => x !== s),
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
              onChange={(e) => sync({ commit: e.target.value as Settings['sync']['commit'] })}
            >
              <option value="on-release">When Visma releases the document (recommended)</option>
              <option value="immediately">Immediately</option>
            </select>
          </Field>
          <Field label="Schedule" htmlFor="schedule-mode">
            <select
              id="schedule-mode"
              value={schedule.mode}
              onChange={(e) => sync({ schedule: SCHEDULES[e.target.value]! })}
            >
              <option value="end-of-day">End of business day</option>
              <option value="interval">Near real time (every N minutes)</option>
              <option value="manual">Manual only</option>
            </select>
          </Field>
          {schedule.mode === 'end-of-day' ? (
            <TextField
              id="schedule-time"
              label="Time (weekdays)"
              type="time"
              value={schedule.time}
              onChange={(time) => sync({ schedule: { mode: 'end-of-day', time, weekdaysOnly: true } })}
            />
          ) : null}
          {schedule.mode === 'interval' ? (
            <TextField
              id="schedule-minutes"
              label="Every (minutes)"
              type="number"
              value={String(schedule.minutes)}
              onChange={(v) => sync({ schedule: { mode: 'interval', minutes: Number(v) } })}
            />
          ) : null}
          <TextField
            id="concurrency"
            label="Documents in parallel"
            type="number"
            value={String(draft.sync.concurrency)}
            onChange={(v) => sync({ concurrency: Number(v) })}
          />
          <TextField
            id="start-from"
            label="First run starts from"
            type="date"
            hint="Never the beginning of time: years of history would be posted"
            value={draft.sync.startFrom ?? ''}
            onChange={(v) => sync({ startFrom: v || undefined })}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Display and export</legend>
        <div className="grid2">
          <Field label="Language for amounts and dates" htmlFor="locale">
            <select
              id="locale"
              value={draft.ui.locale}
              onChange={(e) => edit((d) => void Object.assign(d.ui, { locale: e.target.value as Locale }))}
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
              onChange={(e) => edit((d) => void Object.assign(d.export, { delimiter: e.target.value as ',' | ';' }))}
            >
              <option value=",">Comma (,)</option>
              <option value=";">Semicolon (;)</option>
            </select>
          </Field>
        </div>
      </fieldset>
    </>
  );
}
