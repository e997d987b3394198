import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRow, ShipTo } from '../../../../shared/ipc-channels.js';
import { TextField } from '../../components/common.js';
import { describeError } from '../../errors.js';
import { formatDate, formatMoney } from '../../format.js';
import { useFlagged } from '../../stores/flagged.js';
import { useUi } from '../../stores/ui.js';

export interface CustomerGroup {
  key: string;
  /** The location the documents ship to, when their ship-to is one. */
  locationId?: string;
  customerNumber: string;
  customerName: string;
  documents: DocumentRow[];
  shipTo?: ShipTo;
  suggestion?: ShipTo;
  reasons: string[];
}

const EMPTY: ShipTo = { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' };

/**
 * One customer's flagged address: current beside AvaTax's suggestion, the corrected address, the waiting
 * documents. Keyed by customer, so what the user typed survives the list reloading (after a failed save too).
 */
export function AddressEditor({
  group,
  selected,
  setSelected,
}: {
  group: CustomerGroup;
  selected: Set<string>;
  setSelected: (next: Set<string>) => void;
}) {
  const { fixAddress, busy } = useFlagged();
  const { locale, toast } = useUi();
  const { t } = useTranslation();
  const [form, setForm] = useState<ShipTo>(() => ({ ...EMPTY, ...group.shipTo }));
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const set = (k: keyof ShipTo, v: string) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    const errors = [
      !form.line1.trim() && t('flagged.streetRequired'),
      !form.city.trim() && t('flagged.cityRequired'),
      !form.postalCode.trim() && t('flagged.postalCodeRequired'),
      !/^[A-Za-z]{2}$/.test(form.country.trim()) && t('flagged.countryCode'),
    ].filter(Boolean) as string[];
    setFormErrors(errors);
    if (errors.length > 0) return;
    try {
      const fixed = await fixAddress(
        group.customerNumber,
        {
          ...form,
          country: form.country.trim().toUpperCase(),
          line2: form.line2 || undefined,
          region: form.region || undefined,
        },
        group.locationId,
      );
      // Checked with the sync's own rules before anything was written: the problems belong in the form.
      if (!fixed.saved) {
        setFormErrors(fixed.problems);
        return;
      }
      const results = fixed.documents;
      const stillFlagged = results.filter((r) => r.state === 'flagged').length;
      if (stillFlagged > 0) toast('error', t('flagged.stillFlagged', { count: stillFlagged }));
      else toast('success', t('flagged.saved', { count: results.length }));
    } catch (error) {
      toast('error', describeError(t, (error as Error).message).text);
    }
  };

  return (
    <div className="panel flag-editor">
      <h2>
        {group.customerName}{' '}
        <small className="muted">{t('flagged.customerNumber', { number: group.customerNumber })}</small>
      </h2>
      <ul className="reasons" aria-label={t('flagged.why')}>
        {group.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <div className="compare">
        <div>
          <h3>{t('flagged.current')}</h3>
          <address data-testid="current-address">{formatAddress(group.shipTo) || t('flagged.noAddress')}</address>
        </div>
        <div>
          <h3>{t('flagged.suggestion')}</h3>
          {group.suggestion ? (
            <>
              <address data-testid="suggested-address">{formatAddress(group.suggestion)}</address>
              <button type="button" className="secondary" onClick={() => setForm({ ...EMPTY, ...group.suggestion })}>
                {t('flagged.useSuggestion')}
              </button>
            </>
          ) : (
            <p className="muted">{t('flagged.noSuggestion')}</p>
          )}
        </div>
      </div>
      <form
        className="address-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label={t('flagged.form')}
      >
        <TextField
          id="addr-line1"
          label={t('flagged.street')}
          aria-required
          value={form.line1}
          onChange={(v) => set('line1', v)}
        />
        <TextField
          id="addr-line2"
          label={t('flagged.street2')}
          value={form.line2 ?? ''}
          onChange={(v) => set('line2', v)}
        />
        <TextField
          id="addr-postal"
          label={t('flagged.postalCode')}
          aria-required
          value={form.postalCode}
          onChange={(v) => set('postalCode', v)}
        />
        <TextField
          id="addr-city"
          label={t('flagged.city')}
          aria-required
          value={form.city}
          onChange={(v) => set('city', v)}
        />
        <TextField
          id="addr-region"
          label={t('flagged.region')}
          hint={t('flagged.regionHint')}
          value={form.region ?? ''}
          onChange={(v) => set('region', v)}
        />
        <TextField
          id="addr-country"
          label={t('flagged.country')}
          aria-required
          maxLength={2}
          value={form.country}
          onChange={(v) => set('country', v.toUpperCase())}
        />
        {formErrors.length > 0 ? (
          <ul className="alert error" role="alert">
            {formErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('flagged.saving') : t('flagged.save')}
        </button>
      </form>
      <h3>{t('flagged.waiting')}</h3>
      <table className="small-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">{t('flagged.select')}</span>
            </th>
            <th scope="col">{t('flagged.number')}</th>
            <th scope="col">{t('flagged.date')}</th>
            <th scope="col" className="num">
              {t('flagged.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {group.documents.map((d) => (
            <tr key={d.key}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('flagged.selectDocument', { number: d.referenceNumber })}
                  checked={selected.has(d.referenceNumber)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.target.checked) next.add(d.referenceNumber);
                    else next.delete(d.referenceNumber);
                    setSelected(next);
                  }}
                />
              </td>
              <td>{d.referenceNumber}</td>
              <td>{formatDate(d.documentDate, locale)}</td>
              <td className="num">{formatMoney(d.amount, d.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One line; empty when there is no address. */
function formatAddress(a: ShipTo | undefined): string {
  if (!a) return '';
  return [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country]
    .filter((x) => x && String(x).trim())
    .join(', ');
}
