import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProgressBar } from '../../components/common.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formatDate, formatMonth } from '../../format.js';
import { useApp } from '../../stores/app.js';
import { backfillNow, useMonth } from '../../stores/month.js';
import { useUi } from '../../stores/ui.js';

/**
 * Older documents of a range processed at a steady pace: start, pause, resume, and the progress with time left;
 * while it runs, which month it is in and the jobs it lets go first between its batches (a Sync now, a Reconcile).
 */
export function BackfillPanel({ defaults }: { defaults: { from: string; to: string } }) {
  const { t } = useTranslation();
  const { locale, toast } = useUi();
  const { backfill, backfillProgress, backfillError, loadBackfill, startBackfill, pauseBackfill, resumeBackfill } =
    useMonth();
  const jobs = useApp((s) => s.status?.jobs);
  const [from, setFrom] = useState(defaults.from);
  const [to, setTo] = useState(defaults.to);
  const [perMinute, setPerMinute] = useState('60');
  const id = useId();

  useEffect(() => {
    void loadBackfill();
    return useMonth.getState().listen((ended, error) => {
      if (error) toast('error', t('month.backfill.failed', { error }));
      else if (ended?.status === 'completed' && ended.total === 0) toast('info', t('month.backfill.noDocuments'));
      else if (ended)
        toast(
          ended.status === 'completed' ? 'success' : 'info',
          t('month.backfill.ended', {
            status: t(`month.backfill.status.${ended.status}`).toLocaleLowerCase(locale),
            done: ended.done,
            total: ended.total,
          }),
        );
    });
  }, [loadBackfill, toast, t, locale]);

  const pace = Number(perMinute) || undefined;
  const now = backfillNow(backfill, backfillProgress, jobs);
  const { running, done, total, etaSeconds: eta } = now;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="backfill">
      <h2 id={`${id}-title`}>{t('month.backfill.title')}</h2>
      <p className="muted">{t('month.backfill.intro')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void startBackfill(from, to, pace);
        }}
      >
        <label>
          {t('month.backfill.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} disabled={running} />
        </label>
        <label>
          {t('month.backfill.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} disabled={running} />
        </label>
        <label>
          {t('month.backfill.perMinute')}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={1000}
            value={perMinute}
            onChange={(e) => setPerMinute(e.target.value)}
            disabled={running}
          />
        </label>
        <button type="submit" className="primary" disabled={running}>
          {t('month.backfill.start')}
        </button>
        {now.offer === 'pause' ? (
          <button type="button" className="secondary" onClick={() => void pauseBackfill()}>
            {t('month.backfill.pause')}
          </button>
        ) : null}
        {now.offer === 'resume' ? (
          <button type="button" className="secondary" onClick={() => void resumeBackfill(pace)}>
            {t('month.backfill.resume')}
          </button>
        ) : null}
      </form>
      {backfillError ? (
        <div className="alert error" role="alert">
          <ErrorText message={backfillError} />
        </div>
      ) : null}
      {backfill ? (
        <div data-testid="backfill-status">
          <dl className="facts">
            <dt>{t('month.backfill.rangeLabel')}</dt>
            <dd>
              {t('month.backfill.range', {
                from: formatDate(backfill.from, locale),
                to: formatDate(backfill.to, locale),
              })}
            </dd>
            <dt>{t('month.report.status')}</dt>
            <dd data-testid="backfill-state" data-status={running ? 'running' : backfill.status}>
              {t(`month.backfill.status.${running ? 'running' : backfill.status}`)}
            </dd>
          </dl>
          {!running && backfill.status === 'completed' && total === 0 ? (
            // A range without documents is said as such, not "done, 0 of 0".
            <p className="alert info" role="status" data-testid="backfill-empty">
              {t('month.backfill.noDocuments')}
            </p>
          ) : (
            <>
              {now.givingWay.length > 0 ? (
                <p className="muted" role="status" data-testid="backfill-giving-way">
                  {t('month.backfill.givingWay', {
                    jobs: now.givingWay.map((k) => t(`history.kind.${k}`)).join(', '),
                  })}
                </p>
              ) : null}
              <ProgressBar done={done} total={total} label={t('month.backfill.label')} />
              <p className="muted" aria-live="polite" data-testid="backfill-progress">
                {running && now.month
                  ? t('month.backfill.runningIn', { month: formatMonth(now.month, locale), done, total })
                  : t('month.backfill.progress', { done, total })}
                {running && eta !== undefined
                  ? ` · ${eta >= 90 ? t('month.backfill.eta', { minutes: Math.round(eta / 60) }) : t('month.backfill.etaSeconds', { seconds: Math.round(eta) })}`
                  : ''}
              </p>
            </>
          )}
        </div>
      ) : (
        <p className="muted">{t('month.backfill.none')}</p>
      )}
    </section>
  );
}
