import { useEffect, useMemo, useState } from 'react';
import type { DocumentRow, ShipTo } from '../../../shared/ipc-channels.js';
import { Empty, TextField } from '../components/common.js';
import { formatDate, formatMoney } from '../format.js';
import { useFlagged } from '../stores/flagged.js';
import { useUi } from '../stores/ui.js';

interface CustomerGroup {
  customerNumber: string;
  customerName: string;
  documents: DocumentRow[];
  shipTo?: ShipTo;
  suggestion?: ShipTo;
  reasons: string[];
}

const EMPTY: ShipTo = { line1: '', line2: '', city: '', region: '', postalCode: '', country: '' };

/** The flagged-address workbench: current address beside AvaTax's suggestion, fix, save to Visma, reprocess. */
export function Flagged() {
  const { rows, loading, load, fixAddress, reprocess, busy, error } = useFlagged();
  const { locale, toast } = useUi();
  const [active, setActive] = useState<string>();
  const [form, setForm] = useState<ShipTo>(EMPTY);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [formErrors, setFormErrors] = useState<string[]>([]);

  useEffect(() => {
    void load();
  }, [load]);

  const groups = useMemo(() => {
    const map = new Map<string, CustomerGroup>();
    for (const row of rows) {
      if (row.state !== 'flagged') continue;
      const g = map.get(row.customerNumber) ?? {
        customerNumber: row.customerNumber,
        customerName: row.customerName,
        documents: [],
        shipTo: row.flag?.shipTo,
        suggestion: row.flag?.suggestedAddress,
        reasons: row.flag?.reasons ?? [],
      };
      g.documents.push(row);
      map.set(row.customerNumber, g);
    }
    return [...map.values()].sort((a, b) => a.customerName.localeCompare(b.customerName, locale));
  }, [rows, locale]);

  const group = groups.find((g) => g.customerNumber === active) ?? groups[0];
  useEffect(() => {
    if (group) {
      setForm({ ...EMPTY, ...group.shipTo });
      setFormErrors([]);
    }
  }, [group?.customerNumber, group]);

  const set = (k: keyof ShipTo, v: string) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    if (!group) return;
    const errors = [
      !form.line1.trim() && 'Street is required',
      !form.city.trim() && 'City is required',
      !form.postalCode.trim() && 'Postal code is required',
      !/^[A-Za-z]{2}$/.test(form.country.trim()) && 'Country must be a two-letter code such as SE',
    ].filter(Boolean) as string[];
    setFormErrors(errors);
    if (errors.length > 0) return;
    try {
      const results = await fixAddress(group.customerNumber, {
        ...form,
        country: form.country.trim().toUpperCase(),
        line2: form.line2 || undefined,
        region: form.region || undefined,
      });
      const stillFlagged = results.filter((r) => r.state === 'flagged').length;
      toast(
        stillFlagged > 0 ? 'error' : 'success',
        stillFlagged > 0
          ? `Saved to Visma, but ${stillFlagged} document(s) are still flagged: check the address again`
          : `Address saved to Visma; ${results.length} document(s) reprocessed`,
      );
    } catch (error) {
      toast('error', (error as Error).message);
    }
  };

  const reprocessSelected = async () => {
    const refs = [...selected];
    const results = await reprocess(refs);
    setSelected(new Set());
    toast(
      'info',
      `${results.length} document(s) reprocessed: ${results.map((r) => `${r.referenceNumber} ${r.state ?? r.error}`).join(', ')}`,
    );
  };

  if (error) {
    return (
      <section className="screen" aria-labelledby="flagged-title">
        <h1 id="flagged-title">Flagged addresses</h1>
        <div className="alert error" role="alert">
          {error}
        </div>
      </section>
    );
  }
  if (!loading && groups.length === 0) {
    return (
      <section className="screen" aria-labelledby="flagged-title">
        <h1 id="flagged-title">Flagged addresses</h1>
        <Empty>No flagged addresses. Every ship-to address checked so far is valid.</Empty>
      </section>
    );
  }

  return (
    <section className="screen flagged" aria-labelledby="flagged-title">
      <header className="screen-head">
        <h1 id="flagged-title">Flagged addresses</h1>
        <button
          type="button"
          className="secondary"
          disabled={selected.size === 0 || busy}
          onClick={() => void reprocessSelected()}
        >
          Reprocess selected ({selected.size})
        </button>
      </header>
      <div className="flag-layout">
        <ul className="flag-list" aria-label="Customers with flagged addresses">
          {groups.map((g) => (
            <li key={g.customerNumber}>
              <button
                type="button"
                className={g.customerNumber === group?.customerNumber ? 'flag-item active' : 'flag-item'}
                onClick={() => setActive(g.customerNumber)}
                aria-pressed={g.customerNumber === group?.customerNumber}
              >
                <strong>{g.customerName}</strong>
                <span className="muted">
                  {g.documents.length} document{g.documents.length === 1 ? '' : 's'} · {g.reasons[0]}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {group ? (
          <div className="panel flag-editor">
            <h2>
              {group.customerName} <small className="muted">customer {group.customerNumber}</small>
            </h2>
            <ul className="reasons" aria-label="Why it was flagged">
              {group.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
            <div className="compare">
              <div>
                <h3>Current address</h3>
                <address data-testid="current-address">{formatAddress(group.shipTo)}</address>
              </div>
              <div>
                <h3>AvaTax suggestion</h3>
                {group.suggestion ? (
                  <>
                    <address data-testid="suggested-address">{formatAddress(group.suggestion)}</address>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setForm({ ...EMPTY, ...group.suggestion })}
                    >
                      Use suggestion
                    </button>
                  </>
                ) : (
                  <p className="muted">
                    No suggestion (AvaTax resolves US and Canadian addresses only). Edit the address below.
                  </p>
                )}
              </div>
            </div>
            <form
              className="address-form"
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
              aria-label="Corrected address"
            >
              <TextField
                id="addr-line1"
                label="Street"
                aria-required
                value={form.line1}
                onChange={(v) => set('line1', v)}
              />
              <TextField
                id="addr-line2"
                label="Street, second line"
                value={form.line2 ?? ''}
                onChange={(v) => set('line2', v)}
              />
              <TextField
                id="addr-postal"
                label="Postal code"
                aria-required
                value={form.postalCode}
                onChange={(v) => set('postalCode', v)}
              />
              <TextField id="addr-city" label="City" aria-required value={form.city} onChange={(v) => set('city', v)} />
              <TextField
                id="addr-region"
                label="State / region"
                hint="US states and Canadian provinces, e.g. CA"
                value={form.region ?? ''}
                onChange={(v) => set('region', v)}
              />
              <TextField
                id="addr-country"
                label="Country (ISO code)"
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
                {busy ? 'Saving…' : 'Save to Visma and reprocess'}
              </button>
            </form>
            <h3>Waiting documents</h3>
            <table className="small-table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Select</span>
                  </th>
                  <th scope="col">Number</th>
                  <th scope="col">Date</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.documents.map((d) => (
                  <tr key={d.key}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${d.referenceNumber}`}
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
        ) : null}
      </div>
    </section>
  );
}

function formatAddress(a: ShipTo | undefined): string {
  if (!a) return '(no address)';
  return [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country]
    .filter((x) => x && String(x).trim())
    .join(', ');
}
