import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings as SettingsShape } from '../../../shared/settings.js';
import { matching, useSettings } from '../stores/settings.js';
import { useUi } from '../stores/ui.js';
import { AvaTaxFields, ShipFromFields, VismaFields } from './settings/ConnectionFields.js';
import { ItemTaxCodes } from './settings/ItemTaxCodes.js';
import { SectionFooter } from './settings/SectionFooter.js';
import { DisplayFields, SyncFields } from './settings/SyncFields.js';
import { VatMappingTable } from './settings/VatMappingTable.js';

/**
 * Settings in sections, each checked and saved on its own (Visma, AvaTax, company, VAT mapping and item tax
 * codes, sync, display and export): a problem in one never holds another back.
 */
export function Settings() {
  const { t } = useTranslation();
  const { view, draft, secrets, tests, items, lists, listsError, load, loadLists, edit, setItems, setSecret, test } =
    useSettings();
  const { locale } = useUi();
  useEffect(() => {
    void load();
    void loadLists();
  }, [load, loadLists]);
  if (!view || !draft) return <p>{t('settings.loading')}</p>;
  const change = (patch: (d: SettingsShape) => void) =>
    edit((d) => {
      patch(d);
      return d;
    });
  const backend = view.secretsBackend;
  const shownTests = { visma: matching(tests.visma, 'visma', draft), avatax: matching(tests.avatax, 'avatax', draft) };
  const connection = {
    draft,
    view,
    secrets,
    setSecret,
    tests: shownTests,
    test: (x: 'visma' | 'avatax') => void test(x),
  };

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      {view.mode === 'demo' ? <p className="alert info">{t('settings.demo')}</p> : null}
      {!backend.available ? (
        <div className="alert warn" role="alert">
          <strong>{t('settings.noSecrets')}</strong> {backend.reason}
        </div>
      ) : null}
      <VismaFields {...connection} edit={change} locale={locale} />
      <AvaTaxFields {...connection} edit={change} locale={locale} />
      <ShipFromFields draft={draft} edit={change} locale={locale} />
      <fieldset data-section="mapping">
        <legend>{t('settings.vatMapping.legend')}</legend>
        <VatMappingTable rows={draft.vatMapping} edit={change} lists={lists} listsError={listsError} locale={locale} />
        <ItemTaxCodes items={items} setItems={setItems} defaultTaxCode={draft.defaultTaxCode} edit={change} />
        <SectionFooter section="mapping" legend={t('settings.vatMapping.legend')} />
      </fieldset>
      <SyncFields draft={draft} edit={change} />
      <DisplayFields draft={draft} edit={change} />
    </section>
  );
}
