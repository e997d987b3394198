import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VatLists } from '../../../../shared/ipc-channels.js';
import type { VatMappingRow } from '../../../../shared/settings.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formattingLocale, type Locale } from '../../i18n/locale.js';
import { describeRefusal } from '../../stores/settings.js';
import { decimalSignOf, fractionToPercentText, percentToFraction, refusalOf, vatIdsFor } from '../../vat-mapping.js';
import type { Edit } from './types.js';

/**
 * The VAT mapping table: AvaTax's result for a line (destination country, taxing country, rate in percent,
 * reverse charge) → Visma's VAT zone, category and VAT id, picked from Visma's own lists (typed by hand when
 * Visma cannot be reached). A row Visma's lists refuse is marked with the reason as soon as it is typed. Rows
 * get a key of their own here, so removing one does not shift what the others show.
 */
export function VatMappingTable({
  rows,
  edit,
  lists,
  listsError,
  locale,
}: {
  rows: VatMappingRow[];
  edit: Edit;
  lists?: VatLists;
  listsError?: string;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const next = useRef(0);
  const [keys, setKeys] = useState<number[]>(() => rows.map(() => next.current++));
  if (keys.length !== rows.length) setKeys(rows.map(() => next.current++));
  const decimal = decimalSignOf(formattingLocale(locale));
  /** What is typed in each rate cell, by row key: "25," while typing is not yet a number. */
  const [rateText, setRateText] = useState<Record<number, string>>({});
  const change = (i: number, patch: Partial<VatMappingRow>) => edit((d) => void Object.assign(d.vatMapping[i]!, patch));

  return (
    <>
      <p className="hint">{t('settings.vatMapping.hint')}</p>
      {listsError ? (
        <div className="alert warn" role="note" data-testid="vat-lists-unavailable">
          {t('settings.vatMapping.listsUnavailable')} <ErrorText message={listsError} service="Visma" />
        </div>
      ) : null}
      <div className="mapping-scroll">
        <table className="small-table mapping" data-testid="vat-mapping">
          <thead>
            <tr>
              <th scope="col">{t('settings.vatMapping.country')}</th>
              <th scope="col">{t('settings.vatMapping.taxCountry')}</th>
              <th scope="col">{t('settings.vatMapping.rate')}</th>
              <th scope="col">{t('settings.vatMapping.reverseCharge')}</th>
              <th scope="col">{t('settings.vatMapping.vatZoneId')}</th>
              <th scope="col">{t('settings.vatMapping.vatCategoryId')}</th>
              <th scope="col">{t('settings.vatMapping.vatId')}</th>
              <th scope="col">
                <span className="sr-only">{t('settings.vatMapping.remove')}</span>
              </th>
            </tr>
          </thead>
          {rows.map((row, i) => {
            const key = keys[i]!;
            const n = i + 1;
            const refusal = lists ? refusalOf(row, lists) : undefined;
            const rate = rateText[key] ?? fractionToPercentText(row.rate, decimal);
            const anyRate = row.rate === undefined;
            return (
              <tbody key={key} className={refusal ? 'refused' : undefined} data-testid={`mapping-row-${n}`}>
                <tr>
                  <td>
                    <input
                      aria-label={t('settings.vatMapping.rowCountry', { row: n })}
                      value={row.country}
                      maxLength={2}
                      size={3}
                      onChange={(e) => change(i, { country: e.target.value.toUpperCase() })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={t('settings.vatMapping.rowTaxCountry', { row: n })}
                      value={row.taxCountry ?? ''}
                      maxLength={2}
                      size={3}
                      placeholder={t('settings.vatMapping.any')}
                      onChange={(e) => change(i, { taxCountry: e.target.value.toUpperCase() || undefined })}
                    />
                  </td>
                  <td>
                    <span className="rate-cell">
                      <input
                        aria-label={t('settings.vatMapping.rowRate', { row: n })}
                        inputMode="decimal"
                        size={6}
                        value={anyRate ? '' : rate}
                        disabled={anyRate}
                        onChange={(e) => {
                          const text = e.target.value;
                          setRateText((r) => ({ ...r, [key]: text }));
                          const parsed = percentToFraction(text);
                          // Empty or not a percentage: the schema says so ("must be a percentage from 0 to 100").
                          // Every rate is a choice of its own (the box beside), never what an empty field means.
                          change(i, { rate: parsed === 'invalid' || parsed === undefined ? Number.NaN : parsed });
                        }}
                      />
                      <label className="inline-check">
                        <input
                          type="checkbox"
                          aria-label={t('settings.vatMapping.rowAnyRate', { row: n })}
                          checked={anyRate}
                          onChange={(e) => {
                            setRateText((r) => ({ ...r, [key]: '' }));
                            change(i, { rate: e.target.checked ? undefined : Number.NaN });
                          }}
                        />
                        {t('settings.vatMapping.anyRate')}
                      </label>
                    </span>
                  </td>
                  <td className="center">
                    <input
                      type="checkbox"
                      aria-label={t('settings.vatMapping.rowReverseCharge', { row: n })}
                      checked={row.reverseCharge ?? false}
                      onChange={(e) => change(i, { reverseCharge: e.target.checked || undefined })}
                    />
                  </td>
                  <td>
                    <Picker
                      label={t('settings.vatMapping.rowZone', { row: n })}
                      value={row.vatZoneId ?? ''}
                      options={lists?.zones.map((z) => ({ id: z.id, text: `${z.id} — ${z.description}` }))}
                      none={t('settings.vatMapping.noZone')}
                      onChange={(v) => change(i, { vatZoneId: v || undefined })}
                    />
                  </td>
                  <td>
                    <Picker
                      label={t('settings.vatMapping.rowCategory', { row: n })}
                      value={row.vatCategoryId}
                      options={lists?.categories
                        .filter((c) => c.active || c.id === row.vatCategoryId)
                        .map((c) => ({ id: c.id, text: `${c.id} — ${c.description}` }))}
                      onChange={(v) => change(i, { vatCategoryId: v })}
                    />
                  </td>
                  <td>
                    <Picker
                      label={t('settings.vatMapping.rowVatId', { row: n })}
                      value={row.vatId}
                      options={
                        lists
                          ? (() => {
                              const allowed = new Set(vatIdsFor(row, lists));
                              return lists.vats
                                .filter((v) => allowed.has(v.id) || v.id === row.vatId)
                                .map((v) => ({
                                  id: v.id,
                                  text: `${v.id} — ${v.description}${v.rate === undefined ? '' : ` (${String(v.rate).replace('.', decimal)} %)`}`,
                                }));
                            })()
                          : undefined
                      }
                      onChange={(v) => change(i, { vatId: v })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon"
                      aria-label={t('settings.vatMapping.removeRow', { row: n })}
                      onClick={() => {
                        setKeys((k) => k.filter((_, j) => j !== i));
                        edit((d) => void d.vatMapping.splice(i, 1));
                      }}
                    >
                      ×
                    </button>
                  </td>
                </tr>
                {refusal ? (
                  <tr className="refusal">
                    <td colSpan={8} role="note">
                      {t('settings.vatMapping.refused', { reason: describeRefusal(refusal) })}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            );
          })}
        </table>
      </div>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setKeys((k) => [...k, next.current++]);
          // A new row's rate is to be typed (NaN until it is), or "any rate" ticked: never "any" by default.
          edit((d) => void d.vatMapping.push({ country: '', rate: Number.NaN, vatCategoryId: '', vatId: '' }));
        }}
      >
        {t('settings.vatMapping.add')}
      </button>
    </>
  );
}

/**
 * A select of Visma's ids when its lists could be read (the value kept even when Visma no longer has it, so
 * the row can say why it is refused); a text field when they could not.
 */
function Picker({
  label,
  value,
  options,
  none,
  onChange,
}: {
  label: string;
  value: string;
  options?: { id: string; text: string }[];
  none?: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  if (!options)
    return <input aria-label={label} value={value} size={10} onChange={(e) => onChange(e.target.value.trim())} />;
  const known = options.some((o) => o.id === value);
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {none !== undefined ? <option value="">{none}</option> : null}
      {none === undefined && !value ? <option value="">{t('settings.vatMapping.pick')}</option> : null}
      {value && !known ? <option value={value}>{t('settings.vatMapping.notInVisma', { id: value })}</option> : null}
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.text}
        </option>
      ))}
    </select>
  );
}
