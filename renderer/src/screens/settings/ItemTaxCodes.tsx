import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/common.js';
import type { ItemRow } from '../../stores/settings.js';
import type { Edit } from './types.js';

let nextId = 1_000_000;

/** Visma item number → AvaTax tax code, and the code for every item not in the table. */
export function ItemTaxCodes({
  items,
  setItems,
  defaultTaxCode,
  edit,
}: {
  items: ItemRow[];
  setItems: (items: ItemRow[]) => void;
  defaultTaxCode: string;
  edit: Edit;
}) {
  const { t } = useTranslation();
  const change = (id: number, patch: Partial<ItemRow>) =>
    setItems(items.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="item-codes">
      <h3>{t('settings.items.title')}</h3>
      <p className="hint">{t('settings.items.hint')}</p>
      <table className="small-table mapping" data-testid="item-tax-codes">
        <thead>
          <tr>
            <th scope="col">{t('settings.items.item')}</th>
            <th scope="col">{t('settings.items.code')}</th>
            <th scope="col">
              <span className="sr-only">{t('settings.vatMapping.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((r, i) => (
            <tr key={r.id}>
              <td>
                <input
                  aria-label={t('settings.items.rowItem', { row: i + 1 })}
                  value={r.item}
                  maxLength={30}
                  onChange={(e) => change(r.id, { item: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={t('settings.items.rowCode', { row: i + 1 })}
                  value={r.code}
                  maxLength={25}
                  placeholder="P0000000"
                  onChange={(e) => change(r.id, { code: e.target.value.toUpperCase() })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={t('settings.items.removeRow', { row: i + 1 })}
                  onClick={() => setItems(items.filter((x) => x.id !== r.id))}
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
        onClick={() => setItems([...items, { id: nextId++, item: '', code: '' }])}
      >
        {t('settings.items.add')}
      </button>
      <div className="grid2">
        <TextField
          id="default-tax-code"
          label={t('settings.other.defaultTaxCode')}
          hint={t('settings.items.defaultHint')}
          value={defaultTaxCode}
          onChange={(v) => edit((d) => void Object.assign(d, { defaultTaxCode: v.toUpperCase() }))}
        />
      </div>
    </div>
  );
}
