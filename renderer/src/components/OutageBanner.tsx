import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../../shared/ipc-channels.js';
import { serviceOf } from '../errors.js';
import { formatDateTime } from '../format.js';
import { useUi } from '../stores/ui.js';
import { ErrorText } from './ErrorText.js';

/**
 * The last sync stopped because AvaTax (or Visma) did not answer: say so on every screen, with the last error
 * in words (main's message folded away), when it was last tried and when the next attempt is.
 */
export function OutageBanner({ outage }: { outage: AppStatus['outage'] }) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  if (!outage) return null;
  const service = t(`error.service.${serviceOf(outage.service)}`);
  return (
    <div className="alert error outage" role="alert" data-testid="outage">
      <strong>{t('outage.title', { service })}</strong> <ErrorText message={outage.message} service={outage.service} />
      <p className="outage-times">
        {t('outage.lastTried', { at: formatDateTime(outage.at, locale) })} ·{' '}
        <span data-testid="outage-next">
          {outage.nextAttemptAt
            ? t('outage.next', { at: formatDateTime(outage.nextAttemptAt, locale) })
            : t('outage.nextManual')}
        </span>
      </p>
      <p className="outage-times">{t('outage.waiting', { state: t('state.pending-retry') })}</p>
    </div>
  );
}
