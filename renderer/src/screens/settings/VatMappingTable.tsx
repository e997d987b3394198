import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VatMappingRow } from '../../../../shared/settings.js';
import type { Edit } from './types.js';

/**
 * The VAT mapping table: ship-to country + AvaTax rate → Visma VAT category and VAT id. Rows get a key of
 * their own here, so removing one does not shift what the others show; the rate is typed in percent.
 */
export function VatMappingTable({ rows, edit }: { rows: VatMappingRow[]; edit: Edit }) {
  const { t } = useTranslation();
  const next = useRef(0);
  const [keys, setKeys] = useState<number[]>(() => rows.map(() => next.current++));
  if (keys.length !== rows.length) setKeys(rows.map(() => next.current++));
  const change = (i: number, patch: Partial<VatMappingRow>) => edit((d) => void Object.assign(d.vatMapping[i]!, patch));

  return (
    <fieldset>
      <legend>{t('settings.vatMapping.legend')}</legend>
      <p className="hint">{t('settings.vatMapping.hint')}</p>
      <table className="small-table mapping">
        <thead>
          <tr>
            <th scope="col">{t('settings.vatMapping.country')}</th>
            <th scope="col">{t('settings.vatMapping.rate')}</th>
            <th scope="col">{t('settings.vatMapping.vatCategoryId')}</th>
            <th scope="col">{t('settings.vatMapping.vatId')}</th>
            <th scope="col">
              <span className="sr-only">{t('settings.vatMapping.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={keys[i]}>
              <td>
                <input
                  aria-label={t('settings.vatMapping.rowCountry', { row: i + 1 })}
                  value={row.country}
                  maxLength={2}
                  onChange={(e) => change(i, { country: e.target.value.toUpperCase() })}
                />
              </td>
              <td>
                <input
                  aria-label={t('settings.vatMapping.rowRate', { row: i + 1 })}
                  inputMode="decimal"
                  defaultValue={row.rate === undefined ? '' : String(Math.round(row.rate * 1_000_000) / 10_000)}
                  onBlur={(e) => {
                    const text = e.target.value.trim().replace(',', '.');
                    change(i, { rate: text === '' ? undefined : Number(text) / 100 });
                  }}
                />
              </td>
              <td>
                <input
                  aria-label={t('settings.vatMapping.rowCategory', { row: i + 1 })}
                  value={row.vatCategoryId}
                  onChange={(e) => change(i, { vatCategoryId: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={t('settings.vatMapping.rowVatId', { row: i + 1 })}
                  value={row.vatId}
                  onChange={(e) => change(i, { vatId: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={t('settings.vatMapping.removeRow', { row: i + 1 })}
                  onClick={() => {
                    setKeys((k) => k.filter((_, j) => j !== i));
                    edit((d) => void d.vatMapping.splice(i, 1));
                  }}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setKeys((k) => [...k, next.current++]);
          edit((d) => void d.vatMapping.push({ country: '', vatCategoryId: '', vatId: '', reverseCharge: false }));
        }}
      >
        {t('settings.vatMapping.add')}
      </button>
    </fieldset>
  );
}
