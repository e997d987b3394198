import { type DocumentState, STATE_LABELS } from '../../../shared/domain.js';
import { ProgressBar } from '../components/common.js';
import { formatDateTime } from '../format.js';
import { useApp } from '../stores/app.js';
import { type Tab, useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';

const CARDS: { state: DocumentState; tab: Tab; tone: string }[] = [
  { state: 'posted', tab: 'posted', tone: 'good' },
  { state: 'calculated', tab: 'pending', tone: 'info' },
  { state: 'flagged', tab: 'flagged', tone: 'warn' },
  { state: 'needs-attention', tab: 'needs-attention', tone: 'bad' },
  { state: 'pending-retry', tab: 'pending', tone: 'info' },
  { state: 'already-posted', tab: 'posted', tone: 'good' },
];

export function Overview() {
  const { status, progress, syncing, lastSummary, error, runNow, cancel } = useApp();
  const { locale, go, toast } = useUi();
  const setTab = useDocuments((s) => s.setTab);
  const last = lastSummary ?? status?.lastRun;

  const start = async () => {
    const summary = await runNow();
    if (summary?.outcome === 'completed')
      toast(
        'success',
        `Sync finished: ${summary.posted} posted, ${summary.flagged} flagged, ${summary.needsAttention} need attention`,
      );
    else if (summary?.outcome === 'cancelled')
      toast('info', 'Sync cancelled. The next run continues where this one stopped.');
  };

  return (
    <section aria-labelledby="overview-title" className="screen">
      <header className="screen-head">
        <h1 id="overview-title">Overview</h1>
        <div className="actions">
          {syncing ? (
            <button type="button" className="secondary" onClick={() => void cancel()}>
              Cancel
            </button>
          ) : null}
          <button
            type="button"
            className="primary"
            onClick={() => void start()}
            disabled={syncing}
            aria-describedby="schedule-label"
          >
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      </header>

      {syncing && progress ? (
        <div className="panel sync-progress" aria-live="polite">
          <div className="row-between">
            <strong>{progress.step}</strong>
            <span>{progress.total > 0 ? `${progress.done} / ${progress.total} documents` : 'Reading from Visma…'}</span>
          </div>
          <ProgressBar done={progress.done} total={progress.total} label="Sync progress" />
        </div>
      ) : null}
      {error ? (
        <div className="alert error" role="alert">
          {error}
          {/configuration|credential|token|authenticat/i.test(error) ? (
            <button type="button" className="link" onClick={() => go('settings')}>
              Open Settings
            </button>
          ) : null}
        </div>
      ) : null}

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
            aria-label={`${STATE_LABELS[c.state]}: ${status?.counts[c.state] ?? 0} documents`}
          >
            <span className="card-count" data-testid={`count-${c.state}`}>
              {status?.counts[c.state] ?? 0}
            </span>
            <span className="card-label">{STATE_LABELS[c.state]}</span>
          </button>
        ))}
      </div>

      <div className="two-col">
        <div className="panel">
          <h2>Last run</h2>
          {last ? (
            <dl className="facts">
              <dt>Finished</dt>
              <dd>{formatDateTime(last.finishedAt, locale)}</dd>
              <dt>Outcome</dt>
              <dd data-testid="last-outcome" className={`outcome-${last.outcome}`}>
                {last.outcome === 'completed'
                  ? 'Completed'
                  : last.outcome === 'cancelled'
                    ? 'Cancelled'
                    : `Failed: ${last.error ?? ''}`}
              </dd>
              <dt>Documents</dt>
              <dd>{last.fetched}</dd>
              <dt>Posted</dt>
              <dd>{last.posted}</dd>
              <dt>Calculated</dt>
              <dd>{last.calculated}</dd>
              <dt>Flagged</dt>
              <dd>{last.flagged}</dd>
              <dt>Need attention</dt>
              <dd>{last.needsAttention}</dd>
              <dt>Written to Visma</dt>
              <dd>{last.writtenBack}</dd>
              <dt>Unchanged</dt>
              <dd>{last.skipped}</dd>
              <dt>Started by</dt>
              <dd>{last.actor}</dd>
            </dl>
          ) : (
            <p>No sync has run yet. Click Sync now to start.</p>
          )}
        </div>
        <div className="panel">
          <h2>Schedule</h2>
          <dl className="facts">
            <dt>Runs</dt>
            <dd id="schedule-label">{status?.scheduleLabel ?? '—'}</dd>
            <dt>Next run</dt>
            <dd data-testid="next-run">
              {status?.nextRunAt
                ? formatDateTime(status.nextRunAt, locale)
                : status?.mode === 'demo'
                  ? 'Not scheduled in demo mode'
                  : 'Not scheduled'}
            </dd>
          </dl>
          {status?.corruptFiles.length ? (
            <div className="alert warn" role="alert">
              Some data files could not be read and were set aside: {status.corruptFiles.join('; ')}
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}
