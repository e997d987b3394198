import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail as Detail } from '../../../shared/ipc-channels.js';
import { taxMinor } from '../../../shared/tax-details.js';
import { StateBadge } from '../components/common.js';
import { ErrorText } from '../components/ErrorText.js';
import { describeError } from '../errors.js';
import { formatDate, formatMoney } from '../format.js';
import { useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';
import { DocumentHistory, LineResults, WrittenToVisma } from './DocumentTables.js';

export function DocumentDetail({ detail }: { detail: Detail }) {
  const { t } = useTranslation();
  const { locale, toast, go } = useUi();
  const { reprocess, busy, select } = useDocuments();
  const d = detail.document;
  // Ledger amounts are in minor units (öre, cents).
  const money = (minor: number) => formatMoney(minor / 100, d.currency, locale);
  const canReprocess = d.state === 'flagged' || d.state === 'needs-attention' || d.state === 'pending-retry';
  const title = t('detail.title', { type: t(`documentType.${d.documentType}`), number: d.referenceNumber });

  // Escape closes the panel from anywhere on the screen; focus goes back to the row it was opened from.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      closePanel(select);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [select]);

  const onReprocess = async () => {
    const [r] = await reprocess([d.referenceNumber]);
    if (r?.error)
      toast('error', t('detail.reprocessFailed', { number: d.referenceNumber, error: describeError(t, r.error).text }));
    else if (r?.state)
      toast('success', t('detail.reprocessed', { number: d.referenceNumber, state: t(`state.${r.state}`) }));
  };

  return (
    <aside className="detail" aria-label={title}>
      <header className="row-between">
        <h2>{title}</h2>
        <button type="button" className="icon" aria-label={t('detail.close')} onClick={() => closePanel(select)}>
          ×
        </button>
      </header>
      <StateBadge state={d.state} />
      {d.reasons.length > 0 ? (
        <ul className="reasons">
          {d.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <dl className="facts">
        <dt>{t('detail.customer')}</dt>
        <dd>{t('detail.customerValue', { name: d.customerName, number: d.customerNumber })}</dd>
        <dt>{t('detail.date')}</dt>
        <dd>{formatDate(d.documentDate, locale)}</dd>
        <dt>{t('detail.amount')}</dt>
        <dd>{money(d.amount)}</dd>
        <dt>{t('detail.tax')}</dt>
        <dd>{taxMinor(d) === undefined ? '—' : money(taxMinor(d)!)}</dd>
        <dt>{t('detail.avataxDocument')}</dt>
        <dd>
          <code>{d.avataxCode}</code> {d.avataxStatus ? `(${d.avataxStatus})` : ''}
        </dd>
        <dt>{t('detail.shipTo')}</dt>
        <dd>
          {d.shipTo
            ? [d.shipTo.line1, `${d.shipTo.postalCode} ${d.shipTo.city}`, d.shipTo.region, d.shipTo.country]
                .filter(Boolean)
                .join(', ')
            : '—'}
        </dd>
        {d.lastError ? (
          <>
            <dt>{t('detail.lastError')}</dt>
            <dd>
              <ErrorText message={d.lastError.message} service={d.lastError.code} />{' '}
              <small>
                ({d.lastError.code}
                {d.lastError.correlationId ? `, ${t('detail.correlationId', { id: d.lastError.correlationId })}` : ''})
              </small>
            </dd>
          </>
        ) : null}
      </dl>
      <div className="actions">
        {canReprocess ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void onReprocess()}>
            {t('detail.reprocess')}
          </button>
        ) : null}
        {d.state === 'flagged' ? (
          <button type="button" className="secondary" onClick={() => go('flagged')}>
            {t('detail.fixAddress')}
          </button>
        ) : null}
      </div>
      <LineResults document={d} money={money} locale={locale} />
      <WrittenToVisma document={d} money={money} />
      <DocumentHistory audit={detail.audit} locale={locale} />
    </aside>
  );
}

function closePanel(select: (key: undefined) => Promise<void>): void {
  const row = document.querySelector<HTMLElement>('.vtable-row[aria-selected="true"]');
  void select(undefined);
  row?.focus();
}
