import { useTranslation } from 'react-i18next';
import type { ReconciledDocument } from '../../../../shared/month.js';
import { formatDate, formatMinor } from '../../format.js';
import { useApp } from '../../stores/app.js';
import { useFlagged } from '../../stores/flagged.js';
import { rowVariance, useMonth } from '../../stores/month.js';
import { useUi } from '../../stores/ui.js';
import { acceptedBy } from '../DocumentTables.js';
import { ReasonLines } from './ReasonList.js';
import { VatHeads } from './VatHeads.js';

export type Asking =
  | { kind: 'accept' | 'adjust'; reference: string }
  | { kind: 'void'; code: string }
  | { kind: 'reopen' }
  | undefined;

/** One bucket's documents: number (opens the document), customer, date, both VATs, why, and what fixes it. */
export function BucketTable({
  documents,
  caption,
  onOpen,
  onAsk,
  onReprocess,
  onRelease,
}: {
  documents: ReconciledDocument[];
  caption: string;
  onOpen: (key: string) => void;
  onAsk: (asking: Asking) => void;
  onReprocess: (reference: string) => void;
  /** The demo company only: release the document in its Visma (then it is reprocessed). */
  onRelease?: (reference: string, kind: 'invoice' | 'credit-note' | 'debit-note') => void;
}) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  const working = useMonth((s) => s.working);
  const demo = useApp((s) => s.status?.mode === 'demo');
  if (documents.length === 0) return <p className="muted">{t('month.emptyBucket')}</p>;
  return (
    <div className="table-scroll">
      <table className="small-table month-docs">
        <caption className="offscreen">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month.columns.number')}</th>
            <th scope="col">{t('month.columns.customer')}</th>
            <th scope="col">{t('month.columns.date')}</th>
            <VatHeads />
            <th scope="col">{t('month.columns.why')}</th>
            <th scope="col">{t('month.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => {
            const currency = d.visma?.currency ?? d.avatax?.currency ?? '';
            const number = d.referenceNumber || d.code;
            const money = (minor: number | undefined) =>
              minor === undefined ? '—' : formatMinor(minor, currency, locale);
            return (
              <tr key={d.code} data-testid={`doc-${d.code}`} data-bucket={d.bucket}>
                <td>
                  {d.key ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => onOpen(d.key!)}
                      aria-label={t('month.actions.open', { number })}
                    >
                      {number}
                    </button>
                  ) : (
                    <code>{d.code}</code>
                  )}
                  {d.documentType ? <small className="muted"> {t(`documentType.${d.documentType}`)}</small> : null}
                </td>
                <td>{d.customerName || d.customerNumber || '—'}</td>
                <td className="nowrap">{formatDate(d.visma?.date ?? d.avatax?.date, locale)}</td>
                <td className="num">{money(d.visma ? d.variance.visma : undefined)}</td>
                <td className="num">
                  {money(d.avatax ? d.variance.avatax : undefined)}
                  {d.avatax && d.variance.avataxFigure === 'calculated' ? (
                    <small className="muted" title={t('month.calculated')}>
                      {' '}
                      *
                    </small>
                  ) : null}
                </td>
                <td className="num">{money(rowVariance(d))}</td>
                <td>
                  <ReasonLines reasons={d.why} />
                  {/* In Accepted the why already names who accepted it, when and why: not twice. */}
                  {d.acceptance && d.bucket !== 'accepted' ? (
                    <small className="muted">
                      {' '}
                      “{d.acceptance.reason}” ({acceptedBy(t, d.acceptance.by, undefined)},{' '}
                      {formatDate(d.acceptance.at, locale)})
                    </small>
                  ) : null}
                </td>
                <td>
                  <div className="doc-actions">
                    {d.actions.map((a) => {
                      const busy = working !== undefined;
                      switch (a) {
                        case 'reprocess':
                        case 'commit':
                          return d.referenceNumber && d.documentType !== 'debit-note' ? (
                            <button
                              key={a}
                              type="button"
                              className="secondary"
                              disabled={busy}
                              onClick={() => onReprocess(d.referenceNumber)}
                            >
                              {working === `reprocess:${d.referenceNumber}`
                                ? t('reason.working')
                                : t(`month.actions.${a}`)}
                            </button>
                          ) : null;
                        case 'accept':
                        case 'adjust':
                          return (
                            <button
                              key={a}
                              type="button"
                              className="secondary"
                              disabled={busy}
                              onClick={() => onAsk({ kind: a, reference: d.referenceNumber })}
                            >
                              {t(`month.actions.${a}`)}
                            </button>
                          );
                        case 'void':
                          return (
                            <button
                              key={a}
                              type="button"
                              className="secondary"
                              disabled={busy}
                              onClick={() => onAsk({ kind: 'void', code: d.code })}
                            >
                              {t('month.actions.void')}
                            </button>
                          );
                        case 'release-in-visma':
                          // The demo company's Visma can be released from here; a real one only in Visma.
                          return demo && d.referenceNumber && d.documentType ? (
                            <button
                              key={a}
                              type="button"
                              className="secondary"
                              disabled={busy}
                              title={t('month.actions.demoReleaseHint')}
                              onClick={() => d.documentType && onRelease?.(d.referenceNumber, d.documentType)}
                            >
                              {t('month.actions.demo-release')}
                            </button>
                          ) : (
                            <span key={a} className="hint">
                              {t(`month.actions.${a}`)}
                            </span>
                          );
                        case 'fix-address':
                          return (
                            <button
                              key={a}
                              type="button"
                              className="secondary"
                              onClick={() => {
                                // Straight to this document's customer in the workbench, and a way back here.
                                if (d.key) useFlagged.getState().show(d.key, 'month-end');
                                useUi.getState().go('flagged');
                              }}
                            >
                              {t('month.actions.fix-address')}
                            </button>
                          );
                        default:
                          return (
                            <span key={a} className="hint">
                              {t(`month.actions.${a}`)}
                            </span>
                          );
                      }
                    })}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
