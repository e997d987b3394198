import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty } from '../components/common.js';
import { useFlagged } from '../stores/flagged.js';
import { useUi } from '../stores/ui.js';
import { AddressEditor, type CustomerGroup } from './flagged/AddressEditor.js';

/** The flagged-address workbench: current address beside AvaTax's suggestion, fix, save to Visma, reprocess. */
export function Flagged() {
  const { rows, loading, load, reprocess, busy, error } = useFlagged();
  const { locale, toast } = useUi();
  const { t } = useTranslation();
  const [active, setActive] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());

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

  const reprocessSelected = async () => {
    const refs = [...selected];
    const results = await reprocess(refs);
    setSelected(new Set());
    const list = results
      .map((r) =>
        t('flagged.outcome', { number: r.referenceNumber, result: r.state ? t(`state.${r.state}`) : (r.error ?? '') }),
      )
      .join(', ');
    toast('info', t('flagged.reprocessed', { count: results.length, list }));
  };

  if (error) {
    return (
      <section className="screen" aria-labelledby="flagged-title">
        <h1 id="flagged-title">{t('flagged.title')}</h1>
        <div className="alert error" role="alert">
          {error}
        </div>
      </section>
    );
  }
  if (!loading && groups.length === 0) {
    return (
      <section className="screen" aria-labelledby="flagged-title">
        <h1 id="flagged-title">{t('flagged.title')}</h1>
        <Empty>{t('flagged.empty')}</Empty>
      </section>
    );
  }

  return (
    <section className="screen flagged" aria-labelledby="flagged-title">
      <header className="screen-head">
        <h1 id="flagged-title">{t('flagged.title')}</h1>
        <button
          type="button"
          className="secondary"
          disabled={selected.size === 0 || busy}
          onClick={() => void reprocessSelected()}
        >
          {t('flagged.reprocessSelected', { count: selected.size })}
        </button>
      </header>
      <div className="flag-layout">
        <ul className="flag-list" aria-label={t('flagged.customers')}>
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
                  {t('count.documents', { count: g.documents.length })} · {g.reasons[0]}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {group ? (
          <AddressEditor key={group.customerNumber} group={group} selected={selected} setSelected={setSelected} />
        ) : null}
      </div>
    </section>
  );
}
