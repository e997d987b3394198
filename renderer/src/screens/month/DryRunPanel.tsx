import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText.js';
import { formatMinor } from '../../format.js';
import { sayReason } from '../../reasons.js';
import { type DryRunForm, useMonth } from '../../stores/month.js';
import { useUi } from '../../stores/ui.js';
import { VatHeads } from './VatHeads.js';

/** Most differing documents listed; the totals cover them all. */
const LISTED = 50;

/** What AvaTax would calculate for a range, a customer or the unreleased documents; nothing is recorded. */
export function DryRunPanel({ defaults }: { defaults: { from: string; to: string } }) {
  const { t } = useTranslation();
  const locale = useUi((s) => s.locale);
  const { dryRun, dryRunning, dryRunError, runDryRun } = useMonth();
  const [form, setForm] = useState<DryRunForm>({ ...defaults, customer: '', unreleased: false });
  const id = useId();
  const differing = dryRun?.documents.filter((d) => d.differs) ?? [];
  const problems = dryRun?.documents.filter((d) => d.problems.length > 0).length ?? 0;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="dry-run">
      <h2 id={`${id}-title`}>{t('month.dryRun.title')}</h2>
      <p className="muted">{t('month.dryRun.intro')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void runDryRun(form);
        }}
      >
        <label>
          {t('month.dryRun.from')}
          <input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          {t('month.dryRun.to')}
          <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <label>
          {t('month.dryRun.customer')}
          <input
            value={form.customer}
            maxLength={30}
            size={10}
            onChange={(e) => setForm({ ...form, customer: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.unreleased}
            onChange={(e) => setForm({ ...form, unreleased: e.target.checked })}
          />{' '}
          {t('month.dryRun.unreleased')}
        </label>
        <button type="submit" className="primary" disabled={dryRunning}>
          {dryRunning ? t('month.dryRun.running') : t('month.dryRun.run')}
        </button>
      </form>
      {dryRunError ? (
        <div className="alert error" role="alert">
          <ErrorText message={dryRunError} />
        </div>
      ) : null}
      {dryRun && dryRun.documents.length === 0 ? (
        // Nothing matched: said plainly, never "the same VAT on every document" about no documents at all.
        <p role="status" className="alert info" data-testid="dry-run-empty">
          {t('month.dryRun.noDocuments')}
        </p>
      ) : dryRun ? (
        <div className="dry-run-result" data-testid="dry-run-result">
          <p role="status">
            {t('month.dryRun.summary', {
              documents: t('count.documents', { count: dryRun.documents.length }),
              differing: differing.length,
              problems,
            })}{' '}
            <strong>{t('month.dryRun.nothingRecorded')}</strong>
          </p>
          {dryRun.notes.length > 0 ? (
            <ul className="reasons">
              {dryRun.notes.map((n) => (
                <li key={JSON.stringify(n)}>{sayReason(n, locale)}</li>
              ))}
            </ul>
          ) : null}
          <table className="small-table">
            <caption>{t('month.dryRun.totals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('month.columns.currency')}</th>
                <th scope="col" className="num">
                  {t('month.columns.documents')}
                </th>
                <VatHeads dryRun />
              </tr>
            </thead>
            <tbody>
              {dryRun.totals.map((x) => (
                <tr key={x.currency}>
                  <td>{x.currency}</td>
                  <td className="num">{x.documents}</td>
                  <td className="num">{formatMinor(x.bookedVat, x.currency, locale)}</td>
                  <td className="num">{formatMinor(x.calculatedVat, x.currency, locale)}</td>
                  <td className="num">{formatMinor(x.difference, x.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {differing.length === 0 ? (
            <p>{t('month.dryRun.none')}</p>
          ) : (
            <table className="small-table">
              <caption>{t('month.dryRun.differing')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('month.columns.number')}</th>
                  <th scope="col">{t('month.columns.customer')}</th>
                  <VatHeads dryRun />
                  <th scope="col">{t('month.columns.why')}</th>
                </tr>
              </thead>
              <tbody>
                {differing.slice(0, LISTED).map((d) => {
                  const m = (v: number | null) => (v === null ? '—' : formatMinor(v, d.currency, locale));
                  return (
                    <tr key={`${d.documentType}:${d.referenceNumber}`}>
                      <td>
                        {d.referenceNumber} <small className="muted">{t(`documentType.${d.documentType}`)}</small>
                      </td>
                      <td>{d.customerName}</td>
                      <td className="num">{m(d.bookedVat)}</td>
                      <td className="num">{m(d.calculatedVat)}</td>
                      <td className="num">{m(d.difference)}</td>
                      <td>{[...d.explanations, ...d.problems].map((e) => sayReason(e, locale)).join(' ')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {differing.length > LISTED ? (
            <p className="muted">{t('month.andMore', { count: differing.length - LISTED })}</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
