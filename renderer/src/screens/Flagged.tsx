import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty } from '../components/common.js';
import { sayReason } from '../reasons.js';
import { useFlagged } from '../stores/flagged.js';
import { useUi } from '../stores/ui.js';
import { AddressEditor } from './flagged/AddressEditor.js';
import { flaggedGroups, groupOfDocument } from './flagged/groups.js';

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

  const groups = useMemo(() => flaggedGroups(rows, locale), [rows, locale]);
  // Sent here for one document (Month-end's Fix address): its customer's form opens, with a way back. Read once,
  // then cleared, so a later visit from the sidebar starts plain.
  const [sent] = useState(() => {
    const { focus, returnTo } = useFlagged.getState();
    return { focus, returnTo };
  });
  useEffect(() => void useFlagged.setState({ focus: undefined, returnTo: undefined }), []);
  const returnTo = sent.returnTo;

  const back = returnTo ? (
    <button type="button" className="secondary" onClick={() => useUi.getState().go(returnTo)}>
      {t('flagged.backTo', { screen: t(`nav.${returnTo}`) })}
    </button>
  ) : null;

  const group =
    groups.find((g) => g.key === active) ??
    groups.find((g) => g.key === groupOfDocument(groups, sent.focus)) ??
    groups[0];

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
        {back}
      </section>
    );
  }

  return (
    <section className="screen flagged" aria-labelledby="flagged-title">
      <header className="screen-head">
        <h1 id="flagged-title">{t('flagged.title')}</h1>
        <div className="actions">
          {back}
          <button
            type="button"
            className="secondary"
            disabled={selected.size === 0 || busy}
            onClick={() => void reprocessSelected()}
          >
            {t('flagged.reprocessSelected', { count: selected.size })}
          </button>
        </div>
      </header>
      <div className="flag-layout">
        <ul className="flag-list" aria-label={t('flagged.customers')}>
          {groups.map((g) => (
            <li key={g.key}>
              <button
                type="button"
                className={g.key === group?.key ? 'flag-item active' : 'flag-item'}
                onClick={() => setActive(g.key)}
                aria-pressed={g.key === group?.key}
              >
                <strong>
                  {/* Which address of the customer, always: it stays said when the customer's other card is fixed. */}
                  {g.customerName} ·{' '}
                  {g.locationId ? t('flagged.atLocation', { location: g.locationId }) : t('flagged.customerAddress')}
                </strong>
                <span className="muted">
                  {t('count.documents', { count: g.documents.length })}
                  {g.reasons[0] === undefined ? '' : ` · ${sayReason(g.reasons[0], locale)}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {group ? <AddressEditor key={group.key} group={group} selected={selected} setSelected={setSelected} /> : null}
      </div>
    </section>
  );
}
