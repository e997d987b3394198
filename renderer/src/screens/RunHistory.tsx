import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '../../../shared/domain.js';
import { ErrorText } from '../components/ErrorText.js';
import { formatDateTime } from '../format.js';
import { formattingLocale, type Locale } from '../i18n/locale.js';
import { whoDid } from './DocumentTables.js';

/** How long a run took, in the locale's words: "4 s", "2 min 5 s". */
export function formatDuration(startedAt: string, finishedAt: string, locale: Locale): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  const unit = (value: number, u: 'second' | 'minute' | 'hour') =>
    new Intl.NumberFormat(formattingLocale(locale), { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (seconds < 60) return unit(Math.max(seconds, ms > 0 ? 1 : 0), 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${unit(minutes, 'minute')} ${unit(seconds % 60, 'second')}`;
  return `${unit(Math.floor(minutes / 60), 'hour')} ${unit(minutes % 60, 'minute')}`;
}

/** Who ran a run, as the Audit screen names them: the person's name; a run recorded before names, its actor. */
export function ranBy(t: TFunction, run: Pick<RunSummary, 'by' | 'actor'>): string {
  return whoDid(t, run.by, run.actor);
}

/** The last runs, newest first: syncs and the user's reprocess / accept runs, with duration and outcome. */
export function RunHistory({ runs, locale }: { runs: RunSummary[]; locale: Locale }) {
  const { t } = useTranslation();
  if (runs.length === 0) return <p className="muted">{t('overview.noRunYet')}</p>;
  return (
    <table className="small-table run-history" data-testid="run-history">
      <thead>
        <tr>
          <th scope="col">{t('history.started')}</th>
          <th scope="col">{t('history.what')}</th>
          <th scope="col">{t('history.by')}</th>
          <th scope="col" className="num">
            {t('history.duration')}
          </th>
          <th scope="col" className="num">
            {t('history.documents')}
          </th>
          <th scope="col">{t('history.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.runId}>
            <td>{formatDateTime(r.startedAt, locale, { seconds: true })}</td>
            <td>{t(`history.kind.${r.kind ?? 'sync'}`)}</td>
            <td>{ranBy(t, r)}</td>
            <td className="num">{formatDuration(r.startedAt, r.finishedAt, locale)}</td>
            <td className="num">{r.fetched.toLocaleString(formattingLocale(locale))}</td>
            <td className={`outcome-${r.outcome}`}>
              {r.outcome === 'completed'
                ? t('history.summary', { posted: r.posted, flagged: r.flagged, needsAttention: r.needsAttention })
                : r.outcome === 'cancelled'
                  ? t('overview.cancelled')
                  : null}
              {r.outcome === 'failed' ? (
                <>
                  {t('overview.failed')}{' '}
                  {r.error ? <ErrorText message={r.error} service={r.unreachable?.service} /> : null}
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
