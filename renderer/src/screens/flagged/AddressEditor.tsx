import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addressLine as formatAddress } from '../../../../shared/address.js';
import type { DocumentRow, ShipTo } from '../../../../shared/ipc-channels.js';
import type { StoredReason } from '../../../../shared/reasons.js';
import { addressDiff, type FixPlan, isVatNumberReason, planFix, sameAddress } from '../../address-fix.js';
import { TextField } from '../../components/common.js';
import { describeError } from '../../errors.js';
import { formatDate, formatMoney } from '../../format.js';
import { sayReason } from '../../reasons.js';
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
  vatNumber?: string;
  reasons: StoredReason[];
}

const EMPTY: ShipTo = { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' };

/**
 * One customer's flagged ship-to: current address beside AvaTax's suggestion, the corrected address, the VAT
 * number when that is what was flagged, the waiting documents. Keyed by customer, so what the user typed survives
 * the list reloading (after a failed save too). Main checks the correction with the sync's own rules before it
 * writes anything: what it finds wrong is shown here, in the form. A suggestion replaces what was typed only
 * after the user saw, field by field, what it changes; a street in Visma is replaced only once confirmed.
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
  const [vat, setVat] = useState(group.vatNumber ?? '');
  const [formErrors, setFormErrors] = useState<string[]>([]);
  /** AvaTax's suggestion being compared with the form, before the user takes it. */
  const [comparing, setComparing] = useState<ShipTo>();
  /** The suggestion the user took after seeing what it changes (no second confirmation for it). */
  const [taken, setTaken] = useState<ShipTo>();
  /** A save that replaces Visma's street, waiting for the user's yes. */
  const [confirming, setConfirming] = useState<FixPlan>();
  const [suggestion, setSuggestion] = useState<ShipTo | undefined>(group.suggestion);
  const set = (k: keyof ShipTo, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setConfirming(undefined);
  };
  const vatOffered = group.reasons.some(isVatNumberReason);
  const addressFlagged = group.reasons.some((r) => !isVatNumberReason(r));

  const send = async (plan: FixPlan) => {
    setConfirming(undefined);
    try {
      const fixed = await fixAddress(group.customerNumber, {
        ...(plan.address ? { address: plan.address } : {}),
        ...(plan.vatNumber !== undefined ? { vatNumber: plan.vatNumber } : {}),
        ...(group.locationId ? { locationId: group.locationId } : {}),
      });
      // Checked with the sync's own rules before anything was written: the problems belong in the form.
      if (!fixed.saved) {
        setFormErrors(fixed.problems.map((p) => sayReason(p, locale)));
        if (fixed.suggestion) setSuggestion(fixed.suggestion);
        return;
      }
      const results = fixed.documents;
      const stillFlagged = results.filter((r) => r.state === 'flagged').length;
      // Saved, but some documents still flagged: a partial success, not an error.
      if (stillFlagged > 0)
        toast(stillFlagged < results.length ? 'info' : 'error', t('flagged.stillFlagged', { count: stillFlagged }));
      else toast('success', t(plan.address ? 'flagged.saved' : 'flagged.savedVat', { count: results.length }));
    } catch (error) {
      toast('error', describeError(t, (error as Error).message).text);
    }
  };

  const save = async () => {
    const plan = planFix({ current: group.shipTo, form, addressFlagged, vatOffered, currentVat: group.vatNumber, vat });
    const errors = [
      ...(plan.address
        ? [
            !plan.address.line1 && t('flagged.streetRequired'),
            !plan.address.city && t('flagged.cityRequired'),
            !plan.address.postalCode && t('flagged.postalCodeRequired'),
            !/^[A-Z]{2}$/.test(plan.address.country) && t('flagged.countryCode'),
          ]
        : []),
      vatOffered && !vat.trim() && t('flagged.vatRequired'),
      plan.nothing && t('flagged.nothingChanged'),
    ].filter(Boolean) as string[];
    setFormErrors(errors);
    if (errors.length > 0) return;
    if (plan.replacesStreet && !(taken && sameAddress(taken, plan.address))) {
      setConfirming(plan);
      return;
    }
    await send(plan);
  };

  return (
    <div className="panel flag-editor">
      <h2>
        {group.customerName}{' '}
        <small className="muted">{t('flagged.customerNumber', { number: group.customerNumber })}</small>
      </h2>
      <ul className="reasons" aria-label={t('flagged.why')}>
        {group.reasons.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the reasons are a fixed list, shown in their order
          <li key={i}>{sayReason(r, locale)}</li>
        ))}
      </ul>
      <div className="compare">
        <div>
          <h3>{t('flagged.current')}</h3>
          <address data-testid="current-address">{formatAddress(group.shipTo) || t('flagged.noAddress')}</address>
          {vatOffered ? (
            <p data-testid="current-vat">
              {t('flagged.vatNumber')}: <code>{group.vatNumber || '—'}</code>
            </p>
          ) : null}
        </div>
        <div>
          <h3>{t('flagged.suggestion')}</h3>
          {suggestion ? (
            <>
              <address data-testid="suggested-address">{formatAddress(suggestion)}</address>
              <button type="button" className="secondary" onClick={() => setComparing(suggestion)}>
                {t('flagged.useSuggestion')}
              </button>
            </>
          ) : (
            <p className="muted">{t('flagged.noSuggestion')}</p>
          )}
        </div>
      </div>
      {comparing ? (
        <ChangeReview
          testId="suggestion-diff"
          title={t('flagged.diffTitle')}
          before={form}
          after={comparing}
          beforeLabel={t('flagged.diffTyped')}
          afterLabel={t('flagged.diffSuggested')}
          confirmLabel={t('flagged.takeSuggestion')}
          cancelLabel={t('flagged.keepMine')}
          onConfirm={() => {
            setForm({ ...EMPTY, ...comparing });
            setTaken(comparing);
            setComparing(undefined);
            setFormErrors([]);
          }}
          onCancel={() => setComparing(undefined)}
        />
      ) : null}
      <form
        className="address-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label={t('flagged.form')}
      >
        {vatOffered ? (
          <TextField
            id="fix-vat"
            label={t('flagged.vatNumber')}
            hint={t('flagged.vatHint')}
            aria-required
            maxLength={25}
            value={vat}
            onChange={(v) => {
              setVat(v);
              setFormErrors([]);
            }}
          />
        ) : null}
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
          <ul className="alert error" role="alert" data-testid="fix-problems">
            {formErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
        {confirming?.address ? (
          <ChangeReview
            testId="street-confirm"
            title={t('flagged.confirmTitle')}
            before={group.shipTo}
            after={confirming.address}
            beforeLabel={t('flagged.diffInVisma')}
            afterLabel={t('flagged.diffNew')}
            confirmLabel={t('flagged.confirmSave')}
            cancelLabel={t('flagged.goBack')}
            onConfirm={() => void send(confirming)}
            onCancel={() => setConfirming(undefined)}
          />
        ) : (
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('flagged.saving') : t('flagged.save')}
          </button>
        )}
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

/** Field by field, what an address becomes, changed fields marked; the user says yes or goes back. */
function ChangeReview({
  testId,
  title,
  before,
  after,
  beforeLabel,
  afterLabel,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: {
  testId: string;
  title: string;
  before: ShipTo | undefined;
  after: ShipTo;
  beforeLabel: string;
  afterLabel: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="alert warn change-review" data-testid={testId} aria-label={title}>
      <strong>{title}</strong>
      <table className="small-table">
        <thead>
          <tr>
            <th scope="col">{t('flagged.diffField')}</th>
            <th scope="col">{beforeLabel}</th>
            <th scope="col">{afterLabel}</th>
          </tr>
        </thead>
        <tbody>
          {addressDiff(before, after).map((r) => (
            <tr key={r.field} className={r.changed ? 'changed' : undefined}>
              <th scope="row">
                {t(`flagged.field.${r.field}`)}
                {r.changed ? <span className="change-mark"> {t('flagged.changes')}</span> : null}
              </th>
              <td>{r.from || '—'}</td>
              <td>{r.to || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </section>
  );
}
