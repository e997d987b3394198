import { useTranslation } from 'react-i18next';
import type { RunProgress } from '../../../shared/domain.js';
import { ProgressBar } from '../components/common.js';

/**
 * The running sync, said once: what it is doing (read from the numbers, not main's English step text) and how
 * far it is.
 */
export function SyncProgress({ progress }: { progress: RunProgress }) {
  const { t } = useTranslation();
  const { done, total } = progress;
  const phase =
    total === 0 ? t('overview.reading') : done >= total ? t('overview.finishing') : t('overview.calculating');
  return (
    <div className="panel sync-progress" aria-live="polite" data-testid="sync-progress">
      <div className="row-between">
        <strong>{phase}</strong>
        {total > 0 ? <span>{t('overview.progressDocuments', { done, count: total })}</span> : null}
      </div>
      <ProgressBar done={done} total={total} label={t('overview.progressLabel')} />
    </div>
  );
}
