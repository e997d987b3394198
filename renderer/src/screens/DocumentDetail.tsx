import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addressLine } from '../../../shared/address.js';
import type { DocumentDetail as Detail, ReprocessOutcome } from '../../../shared/ipc-channels.js';
import { taxMinor } from '../../../shared/tax-details.js';
import { AcceptFigures } from '../components/AcceptFigures.js';
import { CopyButton } from '../components/CopyButton.js';
import { StateBadge } from '../components/common.js';
import { ErrorText } from '../components/ErrorText.js';
import { ReasonDialog } from '../components/ReasonDialog.js';
import { describeError, sayProblem } from '../errors.js';
import { formatDate, formatMoney } from '../format.js';
import { sayReason } from '../reasons.js';
import { EMPTY_FILTERS, useDocuments } from '../stores/documents.js';
import { useFlagged } from '../stores/flagged.js';
import { useUi } from '../stores/ui.js';
import { canAccept, canAdjust, compareVat } from '../vat-compare.js';
import { AcceptanceNote, DocumentHistory, LineResults, VatComparisonTable } from './DocumentTables.js';

type Asking = 'accept' | 'adjust' | undefined;

export function DocumentDetail({ detail }: { detail: Detail }) {
  const { t } = useTranslation();
  const { locale, toast, go } = useUi();
  const { reprocess, accept, adjust, busy, select, setFilters } = useDocuments();
  const [asking, setAsking] = useState<Asking>();
  const d = detail.document;
  // Ledger amounts are in minor units (öre, cents).
  const money = (minor: number) => formatMoney(minor / 100, d.currency, locale);
  const canReprocess = d.state === 'flagged' || d.state === 'needs-attention' || d.state === 'pending-retry';
  const title = t('detail.title', { type: t(`documentType.${d.documentType}`), number: d.referenceNumber });
  const vat = compareVat(d);

  // Escape closes the panel from anywhere on the screen (but only the dialog, while one is open); focus goes
  // back to the row it was opened from.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      closePanel(select);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [select]);

  const said = (
    r: ReprocessOutcome | undefined,
    done: 'detail.reprocessed' | 'detail.accepted' | 'detail.adjusted',
  ) => {
    if (r?.error) return sayProblem(t, r.error, locale);
    if (r?.state) toast('success', t(done, { number: d.referenceNumber, state: t(`state.${r.state}`) }));
    return undefined;
  };

  const onReprocess = async () => {
    const [r] = await reprocess([d.referenceNumber]);
    const error = said(r, 'detail.reprocessed');
    if (error) toast('error', t('detail.reprocessFailed', { number: d.referenceNumber, error }));
  };

  /** Accept or adjust: an error stays in the dialog, beside the reason the user typed. */
  const decide = async (reason: string) => {
    try {
      const [r] = await (asking === 'adjust' ? adjust : accept)(d.referenceNumber, reason);
      return said(r, asking === 'adjust' ? 'detail.adjusted' : 'detail.accepted');
    } catch (error) {
      return describeError(t, (error as Error).message).text;
    }
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
          {d.reasons.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the reasons are a fixed list, shown in their order
            <li key={i}>{sayReason(r, locale)}</li>
          ))}
        </ul>
      ) : null}
      <AcceptanceNote document={d} audit={detail.audit} money={money} locale={locale} />
      <div className="actions">
        {canReprocess ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void onReprocess()}>
            {t('detail.reprocess')}
          </button>
        ) : null}
        {canAccept(d) ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => setAsking('accept')}>
            {t('detail.accept')}
          </button>
        ) : null}
        {canAdjust(d) ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => setAsking('adjust')}>
            {t('detail.adjust')}
          </button>
        ) : null}
        {d.state === 'flagged' ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              // Straight to this customer (or location) in Flagged addresses, not the first one listed.
              useFlagged.getState().show(d.key);
              go('flagged');
            }}
          >
            {t('detail.fixAddress')}
          </button>
        ) : null}
      </div>
      <dl className="facts">
        <dt>{t('detail.customer')}</dt>
        <dd>
          {t('detail.customerValue', { name: d.customerName, number: d.customerNumber })}{' '}
          <button
            type="button"
            className="link"
            data-testid="customer-documents"
            onClick={() => void setFilters({ ...EMPTY_FILTERS, customer: d.customerNumber })}
          >
            {t('auditLinks.customerAll')}
          </button>
        </dd>
        <dt>{t('detail.date')}</dt>
        <dd>{formatDate(d.documentDate, locale)}</dd>
        <dt>{t('detail.amount')}</dt>
        <dd>{money(d.amount)}</dd>
        <dt>{t('detail.tax')}</dt>
        <dd>{taxMinor(d) === undefined ? '—' : money(taxMinor(d)!)}</dd>
        <dt>{t('detail.avataxDocument')}</dt>
        <dd data-testid="avatax-link">
          <code>{d.avataxCode}</code> {d.avataxStatus ? `(${d.avataxStatus})` : ''}{' '}
          <CopyButton value={d.avataxCode} label={t('detail.copyCode', { code: d.avataxCode })} />
          {d.avataxId !== undefined ? (
            <>
              <br />
              <small className="muted">{t('detail.transactionId', { id: d.avataxId })}</small>{' '}
              <CopyButton value={String(d.avataxId)} label={t('detail.copyTransactionId', { id: d.avataxId })} />
            </>
          ) : null}
          {detail.avataxConsoleUrl ? (
            <>
              <br />
              <a href={detail.avataxConsoleUrl} target="_blank" rel="noreferrer noopener">
                {t('detail.openInAvaTax')}
              </a>
            </>
          ) : null}
        </dd>
        <dt>{t('detail.vismaDocument')}</dt>
        <dd data-testid="visma-link">
          <code>{d.referenceNumber}</code>{' '}
          <CopyButton value={d.referenceNumber} label={t('detail.copyNumber', { number: d.referenceNumber })} />
          <br />
          <small className="muted">{t('detail.findInVisma')}</small>
        </dd>
        <dt>{t('detail.shipTo')}</dt>
        <dd>{addressLine(d.shipTo) || '—'}</dd>
        <BuyerVatNumber document={d} />
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
      <VatComparisonTable document={d} locale={locale} />
      <LineResults document={d} locale={locale} />
      <DocumentHistory audit={detail.audit} locale={locale} />
      {asking ? (
        <ReasonDialog
          testId={`${asking}-dialog`}
          title={t(asking === 'accept' ? 'detail.acceptTitle' : 'detail.adjustTitle', { number: d.referenceNumber })}
          confirmLabel={t(asking === 'accept' ? 'detail.accept' : 'detail.adjust')}
          onConfirm={decide}
          onClose={() => setAsking(undefined)}
        >
          {asking === 'accept' ? (
            <>
              <p>
                {t('detail.acceptExplain', {
                  booked: vat.bookedTotal === undefined ? '—' : money(vat.bookedTotal),
                  calculated: vat.calculatedTotal === undefined ? '—' : money(vat.calculatedTotal),
                })}
              </p>
              <AcceptFigures
                caption={t('accept.captionOne', { number: d.referenceNumber })}
                locale={locale}
                lines={vat.rows.map((r) => ({
                  key: r.vatId,
                  label: r.vatId,
                  currency: d.currency,
                  booked: r.booked?.vat ?? (d.booked ? 0 : undefined),
                  calculated: r.calculated?.vat ?? (d.calculated ? 0 : undefined),
                }))}
              />
            </>
          ) : (
            <p>{t('detail.adjustExplain', { code: d.avataxCode })}</p>
          )}
        </ReasonDialog>
      ) : null}
    </aside>
  );
}

function closePanel(select: (key: undefined) => Promise<void>): void {
  const row = document.querySelector<HTMLElement>('.vtable-row[aria-selected="true"]');
  void select(undefined);
  row?.focus();
}

/**
 * The buyer VAT number the document was taxed with (sent to AvaTax as the buyer's; a credit note takes its
 * invoice's), or that there was none: a sale to a consumer, taxed as B2C.
 */
export function BuyerVatNumber({ document: d }: { document: Pick<Detail['document'], 'vatNumber'> }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{t('detail.buyerVatNumber')}</dt>
      <dd data-testid="buyer-vat-number">
        {d.vatNumber ? (
          <>
            <code>{d.vatNumber}</code> <CopyButton value={d.vatNumber} label={t('detail.copyVatNumber')} />
          </>
        ) : (
          <span className="muted">{t('detail.noBuyerVatNumber')}</span>
        )}
      </dd>
    </>
  );
}
