import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setApi } from '../../renderer/src/api.js';
import { latestSync, useApp } from '../../renderer/src/stores/app.js';
import { useAudit } from '../../renderer/src/stores/audit.js';
import { EMPTY_FILTERS, hasFilters, invertedRange, useDocuments } from '../../renderer/src/stores/documents.js';
import { useFlagged } from '../../renderer/src/stores/flagged.js';
import { useSettings } from '../../renderer/src/stores/settings.js';
import { settingsSchema } from '../../shared/settings.js';
import { fakeApi, summary } from '../helpers/fake-api.js';

describe('renderer stores', () => {
  beforeEach(() => {
    useDocuments.setState({ tab: 'all', filters: EMPTY_FILTERS, selectedKey: undefined, detail: undefined });
  });

  it('Sync now: syncing while it runs, the summary after, status refreshed', async () => {
    const { api } = fakeApi();
    let release: () => void = () => undefined;
    api.runSyncNow.mockImplementation(() => new Promise((r) => (release = () => r(summary({ posted: 7 })))));
    setApi(api);
    const running = useApp.getState().runNow();
    expect(useApp.getState().syncing).toBe(true);
    release();
    await running;
    expect(useApp.getState().syncing).toBe(false);
    expect(useApp.getState().lastSummary?.posted).toBe(7);
    expect(api.getStatus).toHaveBeenCalled();
  });

  it('the Last run card shows the newest sync it knows of, never an older one nor a user’s action', () => {
    const answered = summary({ runId: 'a', finishedAt: '2026-11-25T10:01:00.000Z' });
    const later = summary({ runId: 'b', finishedAt: '2026-11-25T11:00:00.000Z', outcome: 'failed' });
    const accept = summary({ runId: 'c', finishedAt: '2026-11-25T12:00:00.000Z', kind: 'accept' });
    expect(latestSync(answered, later)?.runId).toBe('b');
    expect(latestSync(later, answered)?.runId).toBe('b');
    expect(latestSync(answered, accept)?.runId).toBe('a');
    expect(latestSync(undefined, undefined)).toBeUndefined();
  });

  it('shows a failed run as an error, not a crash', async () => {
    const { api } = fakeApi({
      runSyncNow: vi.fn(async () =>
        Promise.reject(new Error('Visma Connect refused the token request (invalid_client)')),
      ),
    });
    setApi(api);
    expect(await useApp.getState().runNow()).toBeUndefined();
    expect(useApp.getState().error).toMatch(/invalid_client/);
  });

  it('follows progress pushed from main', async () => {
    const { api, emit } = fakeApi();
    setApi(api);
    const changed = vi.fn();
    const off = useApp.getState().listen(changed);
    emit('sync:progress', { runId: 'r', done: 3, total: 10, step: '3 of 10 documents' });
    expect(useApp.getState().progress).toEqual({ runId: 'r', done: 3, total: 10, step: '3 of 10 documents' });
    expect(useApp.getState().syncing).toBe(true);
    emit('documents:changed', { at: 'now' });
    expect(changed).toHaveBeenCalled();
    off();
  });

  it('refreshes the state cards’ counts while a sync runs, at most once a second', async () => {
    vi.useFakeTimers();
    try {
      const { api, emit } = fakeApi();
      setApi(api);
      const off = useApp.getState().listen(() => undefined);
      const before = api.getStatus.mock.calls.length;
      for (const done of [1, 2, 3]) emit('sync:progress', { runId: 'r', done, total: 10, step: '' });
      expect(api.getStatus.mock.calls.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1000);
      expect(api.getStatus.mock.calls.length).toBe(before + 1);
      expect(useApp.getState().status?.counts.posted).toBe(5);
      emit('sync:progress', { runId: 'r', done: 4, total: 10, step: '' });
      await vi.advanceTimersByTimeAsync(1000);
      expect(api.getStatus.mock.calls.length).toBe(before + 2);
      off();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks main for the states of a tab and the filters, never filtering 50,000 rows itself', async () => {
    const { api } = fakeApi();
    setApi(api);
    await useDocuments.getState().setTab('pending');
    expect(api.listDocuments).toHaveBeenLastCalledWith({
      states: ['pending', 'pending-retry', 'calculated'],
      search: undefined,
      country: undefined,
      currency: undefined,
      dateFrom: undefined,
      dateTo: undefined,
    });
    await useDocuments.getState().setFilters({ country: 'DK', search: 'Ørsted' });
    expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ country: 'DK', search: 'Ørsted' }));
    await useDocuments.getState().setTab('all');
    expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ states: undefined }));
    await useDocuments.getState().setFilters({ documentType: 'debit-note' });
    expect(api.listDocuments).toHaveBeenLastCalledWith(expect.objectContaining({ documentType: 'debit-note' }));
    expect(hasFilters({ ...EMPTY_FILTERS, documentType: 'debit-note' })).toBe(true);
  });

  it('refuses a From date after the To date instead of asking main, and knows when filters are set', async () => {
    const { api } = fakeApi();
    setApi(api);
    await useDocuments.getState().setFilters({ dateFrom: '2026-11-20' });
    const asked = api.listDocuments.mock.calls.length;
    await useDocuments.getState().setFilters({ dateTo: '2026-11-01' });
    expect(api.listDocuments.mock.calls.length).toBe(asked);
    expect(invertedRange(useDocuments.getState().filters)).toBe(true);
    await useDocuments.getState().setFilters({ dateTo: '2026-11-20' });
    expect(api.listDocuments).toHaveBeenLastCalledWith(
      expect.objectContaining({ dateFrom: '2026-11-20', dateTo: '2026-11-20' }),
    );
    expect(hasFilters(useDocuments.getState().filters)).toBe(true);
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
  });

  it('keeps only the newest answer when filters change quickly', async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    const { api } = fakeApi({ listDocuments: vi.fn(() => new Promise((r) => resolvers.push(r))) });
    setApi(api);
    const first = useDocuments.getState().setFilters({ search: 'a' });
    const second = useDocuments.getState().setFilters({ search: 'ab' });
    resolvers[1]!({ total: 1, rows: [{ key: 'new' }], countries: [], currencies: [], customers: [] });
    resolvers[0]!({ total: 2, rows: [{ key: 'old' }, { key: 'old2' }], countries: [], currencies: [], customers: [] });
    await Promise.all([first, second]);
    expect(useDocuments.getState().page.total).toBe(1);
  });

  it('reprocesses and fixes addresses through main, then reloads', async () => {
    const { api } = fakeApi({
      reprocessDocuments: vi.fn(async () => [{ referenceNumber: '260001', state: 'posted' }]),
      fixAddress: vi.fn(async () => [{ referenceNumber: '260002', state: 'calculated' }]),
    });
    setApi(api);
    expect(await useDocuments.getState().reprocess(['260001'])).toEqual([
      { referenceNumber: '260001', state: 'posted' },
    ]);
    const address = { line1: '1999 Marilla St', city: 'Dallas', region: 'TX', postalCode: '75201', country: 'US' };
    await useFlagged.getState().fixAddress('10038', { address });
    expect(api.fixAddress).toHaveBeenCalledWith({ customerNumber: '10038', address });
    await useFlagged.getState().fixAddress('10027', { vatNumber: 'DE123456789' });
    expect(api.fixAddress).toHaveBeenLastCalledWith({ customerNumber: '10027', vatNumber: 'DE123456789' });
    // The flagged list is its own: it ignores the Transactions filters.
    expect(api.listDocuments).toHaveBeenLastCalledWith({ states: ['flagged'] });
    expect(useFlagged.getState().busy).toBe(false);
  });

  it('audit: picks the current month when present and exports it', async () => {
    const { api } = fakeApi();
    setApi(api);
    useAudit.setState({ month: '2026-11' });
    await useAudit.getState().init();
    expect(api.listAudit).toHaveBeenLastCalledWith({
      month: '2026-11',
      action: undefined,
      search: undefined,
      locale: expect.stringMatching(/^en/),
    });
    const result = await useAudit.getState().exportMonth(';');
    expect(api.exportAuditMonth).toHaveBeenCalledWith({
      month: '2026-11',
      delimiter: ';',
      locale: expect.stringMatching(/^en/),
    });
    expect(result?.auditRows).toBe(3);
  });

  const settingsView = (settings: ReturnType<typeof settingsSchema.parse>, over: object = {}) => ({
    settings,
    saved: { visma: false, avalara: false, company: false, mapping: false, sync: false, display: false },
    secrets: { vismaClientSecret: { set: true }, avalaraLicenseKey: { set: false } },
    secretsBackend: { available: true, backend: 'x' },
    lastTests: {},
    mode: 'demo',
    ...over,
  });
  // A ship-from left blank: the other sections save all the same.
  const blankShipFrom = settingsSchema.parse({
    visma: {},
    avalara: {},
    company: { shipFrom: { line1: 'x', city: 'x', postalCode: '411 24', country: 'SE' } },
  });
  blankShipFrom.company.shipFrom = { line1: '', city: '', postalCode: '', country: 'SE' };

  it('settings: each section is checked on its own, main’s refusal shown under it, a secret sent with its section only', async () => {
    const { api } = fakeApi({
      getSettings: vi.fn(async () => settingsView(blankShipFrom)),
      saveSettings: vi.fn(async () => ({
        ok: false,
        errors: ['Secrets cannot be stored: no keyring on this computer'],
      })),
    });
    setApi(api);
    await useSettings.getState().load();
    useSettings.getState().edit((d) => ({ ...d, sync: { ...d.sync, concurrency: 0 } }));
    expect(await useSettings.getState().save('sync')).toBe('invalid');
    expect(api.saveSettings).not.toHaveBeenCalled();
    expect(useSettings.getState().issues.sync).toEqual([
      expect.objectContaining({ path: ['sync', 'concurrency'], code: 'too_small', minimum: 1 }),
    ]);
    // The language does not wait for the ship-from address, nor for the sync section's problem.
    useSettings.getState().edit((d) => ({ ...d, ui: { locale: 'de-DE' } }));
    api.saveSettings.mockImplementationOnce(async () => ({ ok: true, view: settingsView(blankShipFrom) }));
    expect(await useSettings.getState().save('display')).toBe('saved');
    expect(api.saveSettings).toHaveBeenLastCalledWith({
      section: 'display',
      settings: expect.objectContaining({ ui: { locale: 'de-DE' } }),
    });
    // What main answered replaces only the saved section: the sync edit is still there.
    expect(useSettings.getState().draft?.sync.concurrency).toBe(0);

    useSettings.getState().edit((d) => ({ ...d, visma: { ...d.visma, tenantId: 't-1' } }));
    useSettings.getState().setSecret('avalaraLicenseKey', 'KEY-1');
    expect(await useSettings.getState().save('visma')).toBe('failed');
    expect(useSettings.getState().errors.visma).toEqual(['Secrets cannot be stored: no keyring on this computer']);
    expect(api.saveSettings).toHaveBeenLastCalledWith({
      section: 'visma',
      settings: expect.objectContaining({ visma: expect.objectContaining({ tenantId: 't-1' }) }),
    });
    await useSettings.getState().save('avalara');
    expect(api.saveSettings).toHaveBeenLastCalledWith(
      expect.objectContaining({ section: 'avalara', secrets: { avalaraLicenseKey: 'KEY-1' } }),
    );
  });

  it('settings: Save warns when the section’s connection test just failed, and saves only when told to', async () => {
    const { api } = fakeApi({
      getSettings: vi.fn(async () => settingsView(blankShipFrom)),
      saveSettings: vi.fn(async () => ({ ok: true, view: settingsView(blankShipFrom) })),
      testConnection: vi.fn(async () => ({ ok: false, kind: 'network', message: 'timeout', testedAt: 'now' })),
    });
    setApi(api);
    await useSettings.getState().load();
    await useSettings.getState().test('avatax');
    expect(await useSettings.getState().save('avalara')).toBe('warn');
    expect(useSettings.getState().confirm).toBe('avalara');
    expect(api.saveSettings).not.toHaveBeenCalled();
    // Another section is not held back by AvaTax's test.
    expect(await useSettings.getState().save('display')).toBe('saved');
    expect(await useSettings.getState().save('avalara', { force: true })).toBe('saved');
    expect(api.saveSettings).toHaveBeenLastCalledWith(expect.objectContaining({ section: 'avalara' }));
  });

  it('settings: a mapping row Visma’s lists refuse, or an item twice, keeps the mapping from saving, with the reason', async () => {
    const settings = {
      ...blankShipFrom,
      vatMapping: [{ country: 'SE', rate: 0.25, vatCategoryId: 'BOOK', vatId: 'MP1' }],
    };
    const { api } = fakeApi({
      getSettings: vi.fn(async () => settingsView(settings)),
      getVatLists: vi.fn(async () => ({
        categories: [{ id: 'BOOK', description: 'Böcker', active: true, vatIds: ['MP3'] }],
        zones: [],
        vats: [
          { id: 'MP1', description: '25 %', rate: 25 },
          { id: 'MP3', description: '6 %', rate: 6 },
        ],
      })),
      saveSettings: vi.fn(async () => ({ ok: true, view: settingsView(settings) })),
    });
    setApi(api);
    await useSettings.getState().load();
    await useSettings.getState().loadLists();
    useSettings.getState().setItems([
      { id: 1, item: 'BOOK-1', code: 'PB100000' },
      { id: 2, item: 'BOOK-1', code: 'P0000000' },
    ]);
    expect(await useSettings.getState().save('mapping')).toBe('invalid');
    expect(useSettings.getState().errors.mapping).toEqual([
      'Item tax codes › row 2: BOOK-1 is in the table twice',
      'VAT mapping › row 1: VAT category BOOK does not carry VAT id MP1',
    ]);
    useSettings.getState().setItems([{ id: 1, item: 'BOOK-1', code: 'PB100000' }]);
    useSettings.getState().edit((d) => ({ ...d, vatMapping: [{ ...d.vatMapping[0]!, vatId: 'MP3', rate: 0.06 }] }));
    expect(await useSettings.getState().save('mapping')).toBe('saved');
    expect(api.saveSettings).toHaveBeenLastCalledWith({
      section: 'mapping',
      settings: expect.objectContaining({
        itemTaxCodes: { 'BOOK-1': 'PB100000' },
        vatMapping: [{ country: 'SE', rate: 0.06, vatCategoryId: 'BOOK', vatId: 'MP3' }],
      }),
    });
  });

  it('settings: a problem leaves the “Please fix” list as soon as the field is fixed, without saving again', async () => {
    const settings = settingsSchema.parse({
      visma: {},
      avalara: {},
      company: { shipFrom: { line1: 'Storgatan 1', city: 'Umeå', postalCode: '903 26', country: 'SE' } },
    });
    const { api } = fakeApi({ getSettings: vi.fn(async () => settingsView(settings)) });
    setApi(api);
    await useSettings.getState().load();
    const set = (patch: Partial<typeof settings.sync>) =>
      useSettings.getState().edit((d) => ({ ...d, sync: { ...d.sync, ...patch } }));
    set({ concurrency: 0, statuses: [] });
    expect(useSettings.getState().issues).toEqual({}); // nothing shown before the first save
    await useSettings.getState().save('sync');
    const paths = () => useSettings.getState().issues.sync?.map((i) => i.path.join('.'));
    expect(paths()).toEqual(['sync.statuses', 'sync.concurrency']);
    set({ concurrency: 4 });
    expect(paths()).toEqual(['sync.statuses']);
    set({ statuses: ['Open'] });
    expect(paths()).toEqual([]);
    expect(api.saveSettings).not.toHaveBeenCalled();
  });

  it('settings: the Language select says "Automatic" when none was saved, so saving keeps following the computer', async () => {
    const valid = { line1: 'Storgatan 1', city: 'Umeå', postalCode: '903 26', country: 'SE' };
    const view = (locale: string) => ({
      settings: { ...settingsSchema.parse({ visma: {}, avalara: {}, company: { shipFrom: valid } }), ui: { locale } },
      secrets: { vismaClientSecret: { set: false }, avalaraLicenseKey: { set: false } },
      secretsBackend: { available: true, backend: 'x' },
      lastTests: {},
      mode: 'demo',
    });
    setApi(fakeApi({ getSettings: vi.fn(async () => view('en')) }).api);
    await useSettings.getState().load();
    expect(useSettings.getState().draft?.ui.locale).toBe('auto');
    setApi(fakeApi({ getSettings: vi.fn(async () => view('auto')) }).api);
    await useSettings.getState().load();
    expect(useSettings.getState().draft?.ui.locale).toBe('auto');
    setApi(fakeApi({ getSettings: vi.fn(async () => view('de-DE')) }).api);
    await useSettings.getState().load();
    expect(useSettings.getState().draft?.ui.locale).toBe('de-DE');
  });
});
