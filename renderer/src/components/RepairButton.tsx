import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_STATES } from '../../../shared/domain.js';
import type { AppStatus } from '../../../shared/ipc-channels.js';
import { getApi } from '../api.js';
import { formatMonth } from '../format.js';
import { useApp } from '../stores/app.js';
import { useUi } from '../stores/ui.js';

/**
 * A damaged ledger month of the company (not as the ledger wrote it): rebuilt from Visma and AvaTax with one
 * click (the damaged file is kept), then the company opens. What `repair --month` does on the command line.
 */
export function RepairButton({ damage }: { damage: NonNullable<AppStatus['damage']> }) {
  const { t } = useTranslation();
  const { locale, toast } = useUi();
  const [busy, setBusy] = useState(false);
  if (!damage.month) return null;
  const month = damage.month;
  const repair = async () => {
    setBusy(true);
    try {
      const r = await getApi().repairMonth({ month });
      const states = DOCUMENT_STATES.filter((s) => r.rebuilt[s] > 0)
        .map((s) => t('repair.state', { count: r.rebuilt[s], state: t(`state.${s}`) }))
        .join(', ');
      toast(
        r.gone.length > 0 ? 'error' : 'success',
        t('repair.done', {
          month: formatMonth(month, locale),
          states: states || t('repair.none'),
          acceptances: r.acceptancesRestored,
          gone: r.gone.join(', ') || '—',
        }),
      );
    } catch (error) {
      toast('error', t('repair.failed', { month: formatMonth(month, locale), error: (error as Error).message }));
    } finally {
      setBusy(false);
      await useApp.getState().refresh();
    }
  };
  return (
    <button type="button" onClick={() => void repair()} disabled={busy} data-testid="repair-month">
      {busy ? t('repair.busy') : t('repair.button', { month: formatMonth(month, locale) })}
    </button>
  );
}
