import { useRef, useState } from 'react';
import type { VatMappingRow } from '../../../../shared/settings.js';
import type { Edit } from './types.js';

/**
 * The VAT mapping table: ship-to country + AvaTax rate → Visma VAT category and VAT id. Rows get a key of
 * their own here, so removing one does not shift what the others show; the rate is typed in percent.
 */
export function VatMappingTable({ rows, edit }: { rows: VatMappingRow[]; edit: Edit }) {
  const next = useRef(0);
  const [keys, setKeys] = useState<number[]>(() => rows.map(() => next.current++));
  if (keys.length !== rows.length) setKeys(rows.map(() => next.current++));
  const change = (i: number, patch: Partial<VatMappingRow>) => edit((d) => void Object.assign(d.vatMapping[i]!, patch));

  return (
    <fieldset>
      <legend>VAT mapping</legend>
      <p className="hint">
        AvaTax's rate and the ship-to country pick the Visma VAT category and VAT id. Leave the rate empty to match
        every rate of a country (US sales tax). A rate with no row puts the document in Needs attention.
      </p>
      <table className="small-table mapping">
        <thead>
          <tr>
            <th scope="col">Country</th>
            <th scope="col">Rate %</th>
            <th scope="col">VAT category</th>
            <th scope="col">VAT id</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={keys[i]}>
              <td>
                <input
                  aria-label={`Row ${i + 1} country`}
                  value={row.country}
                  maxLength={2}
                  onChange={(e) => change(i, { country: e.target.value.toUpperCase() })}
                />
              </td>
              <td>
                <input
                  aria-label={`Row ${i + 1} rate in percent`}
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
                  aria-label={`Row ${i + 1} VAT category`}
                  value={row.vatCategoryId}
                  onChange={(e) => change(i, { vatCategoryId: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`Row ${i + 1} VAT id`}
                  value={row.vatId}
                  onChange={(e) => change(i, { vatId: e.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove row ${i + 1}`}
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
          edit((d) => void d.vatMapping.push({ country: '', vatCategoryId: '', vatId: '' }));
        }}
      >
        Add mapping row
      </button>
    </fieldset>
  );
}
