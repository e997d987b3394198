import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { derivedAcceptanceReason } from '../../../shared/acceptance.js';
import type { LedgerDocument, VatLine } from '../../../shared/domain.js';
import type { AuditView } from '../../../shared/ipc-channels.js';
import { formatAmount, formatDateTime, formatRate } from '../format.js';
import type { Locale } from '../i18n/locale.js';
import { sayReason } from '../reasons.js';
import { compareVat, lineRows } from '../vat-compare.js';

type Money = (minor: number) => string;

/**
 * AvaTax's tax per document line, with the Visma VAT code it maps to. Amounts without their currency (the caption
 * names it once), so the five columns fit the panel in every language and the VAT code stays in view.
 */
export function LineResults({ document: d, locale }: { document: LedgerDocument; locale: Locale }) {
  const { t } = useTranslation();
  const rows = lineRows(d);
  const overridden = rows.some((r) => r.recorded !== undefined);
  const amount = (minor: number) => formatAmount(minor / 100, locale);
  return (
    <>
      <h3>{t('detail.linesTitle')}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('detail.noLines')}</p>
      ) : (
        <table className="small-table line-results" data-testid="line-results">
          <caption>{t('detail.amountsIn', { currency: d.currency })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('detail.line')}</th>
              <th scope="col" className="num">
                {t('detail.amount')}
              </th>
              <th scope="col" className="num">
                {t('detail.rate')}
              </th>
              <th scope="col" className="num">
                {t('detail.lineTax')}
              </th>
              {overridden ? (
                <th scope="col" className="num">
                  {t('detail.recordedTax')}
                </th>
              ) : null}
              <th scope="col">{t('detail.vatCode')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.lineNumber}>
                <td>{l.lineNumber}</td>
                <td className="num">{amount(l.amount)}</td>
                <td className="num">{formatRate(l.rate, locale)}</td>
                <td className="num">{amount(l.calculated)}</td>
                {overridden ? <td className="num">{l.recorded === undefined ? '' : amount(l.recorded)}</td> : null}
                <td>{l.vatCode ?? <em>{t('detail.unmapped')}</em>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * What Visma booked beside what AvaTax calculated, per VAT id (VAT, and the taxable amount under it), with the
 * difference: the two figures a variance is decided on.
 */
export function VatComparisonTable({ document: d, locale }: { document: LedgerDocument; locale: Locale }) {
  const { t } = useTranslation();
  const c = compareVat(d);
  if (c.rows.length === 0) {
    return (
      <>
        <h3>{t('detail.vatTitle')}</h3>
        <p className="muted">{t('detail.noVatYet')}</p>
      </>
    );
  }
  // Minor units, without the currency on every cell: the caption names it once.
  const amount = (minor: number | undefined) => (minor === undefined ? '—' : formatAmount(minor / 100, locale));
  const cell = (v: VatLine | undefined) =>
    v ? (
      <>
        {amount(v.vat)}
        <small className="muted taxable">{t('detail.onTaxable', { amount: amount(v.taxable) })}</small>
      </>
    ) : (
      '—'
    );
  return (
    <>
      <h3>{t('detail.vatTitle')}</h3>
      <table className="small-table vat-compare" data-testid="vat-compare">
        <caption>{t('detail.amountsIn', { currency: d.currency })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('detail.vatId')}</th>
            <th scope="col" className="num">
              {t('detail.bookedInVisma')}
            </th>
            <th scope="col" className="num">
              {t('detail.avataxCalculated')}
            </th>
            <th scope="col" className="num">
              {t('detail.difference')}
            </th>
          </tr>
        </thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={r.vatId} className={r.difference !== 0 ? 'differs' : undefined}>
              <th scope="row">
                {r.vatId}
                {r.rate !== undefined ? (
                  // The same percent as the lines table beside it ("0 %" in Swedish, "0%" in English), never both.
                  <small className="muted taxable">{formatRate(r.rate / 100, locale)}</small>
                ) : null}
              </th>
              <td className="num">{cell(r.booked)}</td>
              <td className="num">{cell(r.calculated)}</td>
              <td className="num">
                {d.calculated === undefined || d.booked === undefined ? '—' : amount(r.difference)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('detail.total')}</th>
            <td className="num" data-testid="booked-total">
              {amount(c.bookedTotal)}
            </td>
            <td className="num" data-testid="calculated-total">
              {amount(c.calculatedTotal)}
            </td>
            <td className="num">
              {c.bookedTotal === undefined || c.calculatedTotal === undefined
                ? '—'
                : amount(c.bookedTotal - c.calculatedTotal)}
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** A posted variance: who accepted Visma's figure, when, and why. */
export function AcceptanceNote({
  document: d,
  audit,
  money,
  locale,
}: {
  document: LedgerDocument;
  audit: AuditView[];
  money: Money;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const a = d.acceptance;
  if (!a) return null;
  const entry = [...audit].reverse().find((e) => e.action === 'accepted');
  // Derived by the sync (a reversal, a correction in Visma): said as what it is, never as someone's acceptance.
  const derived = derivedAcceptanceReason(a);
  const quoted = a.origin?.kind === 'reversal' ? a.origin.accepted?.reason : a.origin ? undefined : a.reason;
  return (
    <section className="alert info acceptance" data-testid="acceptance" aria-label={t('detail.acceptedTitle')}>
      <strong>{t('detail.acceptedTitle')}</strong>
      <p data-testid="acceptance-who">
        {derived
          ? sayReason(derived, locale)
          : t('detail.acceptedBy', {
              who: acceptedBy(t, a.by, entry?.by),
              when: formatDateTime(a.at, locale, { seconds: true }),
            })}
      </p>
      {quoted ? <blockquote>{quoted}</blockquote> : null}
      <p className="muted">
        {t('detail.acceptedFigures', { booked: money(a.bookedTax), calculated: money(a.calculatedTax) })}
      </p>
    </section>
  );
}

const ACTORS: readonly string[] = ['user', 'scheduler', 'cli'] satisfies AuditView['actor'][];

/**
 * Who accepted a variance: the name the acceptance keeps; a row from before names were kept says only the actor
 * ('user'), so the name of its audit entry is shown instead when there is one.
 */
export function acceptedBy(t: TFunction, by: string, auditBy: string | undefined): string {
  if (!ACTORS.includes(by)) return whoDid(t, by, 'user');
  return whoDid(t, auditBy, by as AuditView['actor']);
}

/** Who did something, in words: a person's name, or the schedule / the command line in the UI's language. */
export function whoDid(t: TFunction, by: string | undefined, actor: AuditView['actor']): string {
  if (by === 'schedule' || (!by && actor === 'scheduler')) return t('actor.scheduler');
  if (by === 'command line' || (!by && actor === 'cli')) return t('actor.cli');
  return by ?? t(`actor.${actor}`);
}

/** The document's audit entries, oldest first. */
export function DocumentHistory({ audit, locale }: { audit: AuditView[]; locale: Locale }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('detail.history')}</h3>
      <ol className="history">
        {audit.map((e) => (
          <li key={e.id}>
            <time dateTime={e.at}>{formatDateTime(e.at, locale, { seconds: true })}</time>{' '}
            <span className="action" title={e.action}>
              {t(`auditAction.${e.action}`)}
            </span>{' '}
            {sayReason(e.detail, locale)} <small className="muted">({whoDid(t, e.by, e.actor)})</small>
          </li>
        ))}
      </ol>
    </>
  );
}
