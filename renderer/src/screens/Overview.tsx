import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentState, RunSummary } from '../../../shared/domain.js';
import { ErrorText } from '../components/ErrorText.js';
import { describeError } from '../errors.js';
import { formatDateTime } from '../format.js';
import { formattingLocale, type Locale } from '../i18n/locale.js';
import { sayReason } from '../reasons.js';
import { latestSync, useApp } from '../stores/app.js';
import { type Tab, useDocuments } from '../stores/documents.js';
import { useMonth } from '../stores/month.js';
import { useUi } from '../stores/ui.js';
import { MonthTax } from './MonthTax.js';
import { ChangeList } from './month/ChangeList.js';
import { RunHistory, ranBy } from './RunHistory.js';
import { SyncProgress } from './SyncProgress.js';

const CARDS: { state: DocumentState; tab: Tab; tone: string }[] = [
  { state: 'posted', tab: 'posted', tone: 'good' },
  { state: 'calculated', tab: 'pending', tone: 'info' },
  { state: 'flagged', tab: 'flagged', tone: 'warn' },
  { state: 'needs-attention', tab: 'needs-attention', tone: 'bad' },
  { state: 'pending-retry', tab: 'pending', tone: 'info' },
  { state: 'voided', tab: 'all', tone: 'info' },
];

/**
 * When many documents arrive in Visma already released, their VAT could not be set before they were booked:
 * say what share did this month, and how to have Visma hold new invoices until the tax is set.
 */
function ArrivedReleased({ status }: { status: ReturnType<typeof useApp.getState>['status'] }) {
  const { t } = useTranslation();
  const a = status?.arrivedReleased;
  if (!a || a.total < 10 || a.count / a.total < 0.2) return null;
  return (
    <div className="alert info" role="note" data-testid="arrived-released">
      {t('overview.arrivedReleased', { share: Math.round((a.count / a.total) * 100), count: a.count, total: a.total })}{' '}
      {t('overview.holdOnEntry')}
    </div>
  );
}

/** Documents of closed months changed since: named loudly, with the way to Month-end (where they are marked seen). */
function ClosedMonthChanges({ status }: { status: ReturnType<typeof useApp.getState>['status'] }) {
  const { t } = useTranslation();
  const { go } = useUi();
  const changes = status?.closedMonthChanges ?? [];
  if (changes.length === 0) return null;
  return (
    <div className="alert warn" role="alert" data-testid="closed-month-changes">
      <strong>{t('month.changes.title')}</strong> {t('month.changes.intro')}
      <ChangeList changes={changes} limit={10} />
      <button
        type="button"
        className="link"
        onClick={() => {
          // The screen reads the month when it opens.
          useMonth.setState({ month: changes[0]!.month, reconciliation: undefined, exported: undefined });
          go('month-end');
        }}
      >
        {t('month.changes.open')}
      </button>
    </div>
  );
}

export function Overview() {
  const { t } = useTranslation();
  const { status, progress, syncing, lastSummary, error, runNow, cancel } = useApp();
  const { locale, go, toast } = useUi();
  const setTab = useDocuments((s) => s.setTab);
  const last = latestSync(lastSummary, status?.lastRun);

  const start = async () => {
    const summary = await runNow();
    if (summary?.outcome === 'completed') {
      const { posted, flagged, needsAttention } = summary;
      toast('success', t('overview.syncFinished', { posted, flagged, needsAttention }));
    } else if (summary?.outcome === 'cancelled') toast('info', t('overview.syncCancelled'));
    else if (summary?.outcome === 'failed')
      toast('error', describeError(t, summary.error ?? '', summary.unreachable?.service).text);
  };

  return (
    <section aria-labelledby="overview-title" className="screen">
      <header className="screen-head">
        <h1 id="overview-title">{t('overview.title')}</h1>
        <div className="actions">
          {syncing ? (
            <button type="button" className="secondary" onClick={() => void cancel()}>
              {t('overview.cancel')}
            </button>
          ) : null}
          <button
            type="button"
            className="primary"
            onClick={() => void start()}
            disabled={syncing}
            aria-describedby="schedule-label"
          >
            {syncing ? t('overview.syncing') : t('overview.syncNow')}
          </button>
        </div>
      </header>

      {syncing && progress ? <SyncProgress progress={progress} /> : null}
      {error ? (
        <div className="alert error" role="alert">
          <ErrorText message={error} />
          {/configuration|credential|token|authenticat/i.test(error) ? (
            <button type="button" className="link" onClick={() => go('settings')}>
              {t('overview.openSettings')}
            </button>
          ) : null}
        </div>
      ) : null}

      <ClosedMonthChanges status={status} />
      <ArrivedReleased status={status} />

      <div className="cards">
        {CARDS.map((c) => (
          <button
            type="button"
            key={c.state}
            className={`card tone-${c.tone}`}
            onClick={() => {
              void setTab(c.tab);
              go(c.state === 'flagged' ? 'flagged' : 'transactions');
            }}
            aria-label={t('overview.card', { state: t(`state.${c.state}`), count: status?.counts[c.state] ?? 0 })}
          >
            <span className="card-count" data-testid={`count-${c.state}`}>
              {status?.counts[c.state] ?? 0}
            </span>
            <span className="card-label">{t(`state.${c.state}`)}</span>
          </button>
        ))}
      </div>

      <div className="two-col">
        <div className="panel">
          <h2>{t('overview.lastRun')}</h2>
          {last ? <LastRun last={last} locale={locale} /> : <p>{t('overview.noRunYet')}</p>}
        </div>
        <div className="panel">
          <h2>{t('overview.schedule')}</h2>
          <dl className="facts">
            <dt>{t('overview.runs')}</dt>
            <dd id="schedule-label" data-testid="schedule-label">
              {status?.scheduleLabel ? sayReason(status.scheduleLabel, locale) : '—'}
            </dd>
            <dt>{t('overview.nextRun')}</dt>
            <dd data-testid="next-run">
              {status?.nextRunAt
                ? formatDateTime(status.nextRunAt, locale)
                : status?.mode === 'demo'
                  ? t('overview.notScheduledDemo')
                  : t('overview.notScheduled')}
            </dd>
          </dl>
          {status?.corruptFiles.length ? (
            <div className="alert warn" role="alert">
              {t('overview.corruptFiles', { files: status.corruptFiles.join('; ') })}
            </div>
          ) : null}
        </div>
      </div>

      <MonthTax
        version={`${status?.lastRun?.runId ?? ''}|${status?.recentRuns[0]?.runId ?? ''}|${JSON.stringify(status?.counts ?? {})}`}
        locale={locale}
      />

      <div className="panel">
        <h2>{t('history.title')}</h2>
        <RunHistory runs={status?.recentRuns ?? []} locale={locale} />
      </div>
    </section>
  );
}

function LastRun({ last, locale }: { last: RunSummary; locale: Locale }) {
  const { t } = useTranslation();
  const outcome =
    last.outcome === 'completed'
      ? t('overview.completed')
      : last.outcome === 'cancelled'
        ? t('overview.cancelled')
        : t('overview.failed');
  const facts: [string, string | number][] = [
    [t('overview.documents'), last.fetched],
    // The states named as on the cards above and everywhere else ("Calculated, awaiting release", not "Calculated").
    [t('state.posted'), last.posted],
    [t('state.calculated'), last.calculated],
    [t('state.flagged'), last.flagged],
    [t('state.needs-attention'), last.needsAttention],
    [t('overview.writtenBack'), last.writtenBack],
    [t('overview.unchanged'), last.skipped],
    [t('overview.startedBy'), ranBy(t, last)],
  ];
  return (
    <dl className="facts">
      <dt>{t('overview.finished')}</dt>
      <dd>{formatDateTime(last.finishedAt, locale)}</dd>
      <dt>{t('overview.outcome')}</dt>
      <dd data-testid="last-outcome" className={`outcome-${last.outcome}`}>
        {outcome}
        {last.outcome === 'failed' && last.error ? (
          <>
            {' '}
            <ErrorText message={last.error} service={last.unreachable?.service} />
          </>
        ) : null}
      </dd>
      {facts.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{typeof value === 'number' ? value.toLocaleString(formattingLocale(locale)) : value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
