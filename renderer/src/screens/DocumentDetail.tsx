import type { DocumentDetail as Detail } from '../../../shared/ipc-channels.js';
import { taxByVatId } from '../../../shared/tax-details.js';
import { StateBadge } from '../components/common.js';
import { formatDate, formatDateTime, formatMoney, formatRate } from '../format.js';
import { useDocuments } from '../stores/documents.js';
import { useUi } from '../stores/ui.js';

export function DocumentDetail({ detail }: { detail: Detail }) {
  const { locale, toast, go } = useUi();
  const { reprocess, busy, select } = useDocuments();
  const d = detail.document;
  const money = (minor: number) => formatMoney(minor / 100, d.currency, locale);
  const written = taxByVatId(d.lines);
  const canReprocess = d.state === 'flagged' || d.state === 'needs-attention' || d.state === 'pending-retry';

  return (
    <aside className="detail" aria-label={`Document ${d.referenceNumber}`}>
      <header className="row-between">
        <h2>
          {d.documentType === 'invoice' ? 'Invoice' : 'Credit note'} {d.referenceNumber}
        </h2>
        <button type="button" className="icon" aria-label="Close details" onClick={() => void select(undefined)}>
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
        <dt>Customer</dt>
        <dd>
          {d.customerName} ({d.customerNumber})
        </dd>
        <dt>Date</dt>
        <dd>{formatDate(d.documentDate, locale)}</dd>
        <dt>Amount</dt>
        <dd>{money(d.amount)}</dd>
        <dt>Tax</dt>
        <dd>{money(d.totalTax)}</dd>
        <dt>AvaTax document</dt>
        <dd>
          <code>{d.avataxCode}</code> {d.avataxStatus ? `(${d.avataxStatus})` : ''}
        </dd>
        <dt>Ship-to</dt>
        <dd>
          {d.shipTo
            ? [d.shipTo.line1, `${d.shipTo.postalCode} ${d.shipTo.city}`, d.shipTo.region, d.shipTo.country]
                .filter(Boolean)
                .join(', ')
            : '—'}
        </dd>
        {d.lastError ? (
          <>
            <dt>Last error</dt>
            <dd>
              {d.lastError.message}{' '}
              <small>
                ({d.lastError.code}
                {d.lastError.correlationId ? `, correlation id ${d.lastError.correlationId}` : ''})
              </small>
            </dd>
          </>
        ) : null}
      </dl>
      <div className="actions">
        {canReprocess ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              const [r] = await reprocess([d.referenceNumber]);
              toast(
                r?.error ? 'error' : 'success',
                r?.error ? `${d.referenceNumber}: ${r.error}` : `${d.referenceNumber} reprocessed: ${r?.state}`,
              );
            }}
          >
            Reprocess
          </button>
        ) : null}
        {d.state === 'flagged' ? (
          <button type="button" className="secondary" onClick={() => go('flagged')}>
            Fix address
          </button>
        ) : null}
      </div>

      <h3>AvaTax result per line</h3>
      {d.lines.length === 0 ? (
        <p className="muted">Nothing calculated yet.</p>
      ) : (
        <table className="small-table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num">
                Tax
              </th>
              <th scope="col">VAT code</th>
            </tr>
          </thead>
          <tbody>
            {d.lines.map((l) => (
              <tr key={l.lineNumber}>
                <td>{l.lineNumber}</td>
                <td className="num">{money(l.amount)}</td>
                <td className="num">{formatRate(l.rate, locale)}</td>
                <td className="num">{money(l.tax)}</td>
                <td>{l.vatCategoryId ? `${l.vatCategoryId} / ${l.vatId}` : <em>unmapped</em>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Written to Visma</h3>
      {d.writtenBack ? (
        <table className="small-table">
          <thead>
            <tr>
              <th scope="col">VAT id</th>
              <th scope="col" className="num">
                Taxable
              </th>
              <th scope="col" className="num">
                VAT
              </th>
            </tr>
          </thead>
          <tbody>
            {written.map((t) => (
              <tr key={t.vatId}>
                <td>{t.vatId}</td>
                <td className="num">{money(t.taxable)}</td>
                <td className="num">{money(t.vat)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Nothing written to Visma yet.</p>
      )}

      <h3>History</h3>
      <ol className="history">
        {detail.audit.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time> <span className="action">{e.action}</span>{' '}
            {e.detail} <small className="muted">({e.actor})</small>
          </li>
        ))}
      </ol>
    </aside>
  );
}
