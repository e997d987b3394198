import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setApi } from '../../renderer/src/api.js';
import { syncBusy, useApp } from '../../renderer/src/stores/app.js';
import {
  backfillNow,
  blockers,
  bucketTotals,
  firstBucket,
  previousMonth,
  recentMonths,
  rowVariance,
  useMonth,
} from '../../renderer/src/stores/month.js';
import type { BackfillView, ReconciledDocument, Reconciliation } from '../../shared/month.js';
import { emptyBucketCounts } from '../../shared/month.js';
import { fakeApi } from '../helpers/fake-api.js';

const side = (vat: number, vatBase: number | undefined, currency = 'SEK') => ({
  status: 'Open',
  date: '2026-11-03',
  currency,
  net: vat * 4,
  vat,
  gross: vat * 5,
  vatBase,
  lines: [],
  reported: true,
  inMonth: true,
});

function doc(code: string, bucket: ReconciledDocument['bucket'], visma?: number, avatax?: number): ReconciledDocument {
  return {
    key: `invoice:${code}`,
    code: `VN-INV-${code}`,
    documentType: 'invoice',
    referenceNumber: code,
    customerNumber: '10001',
    customerName: 'Kärnhuset Göteborg AB',
    bucket,
    differences: [],
    why: bucket === 'matched' ? [] : [{ code: 'month-never-sent', params: { status: 'Open' } }],
    actions: bucket === 'matched' ? [] : ['reprocess'],
    visma: visma === undefined ? undefined : side(visma, visma),
    avatax: avatax === undefined ? undefined : side(avatax, avatax),
    variance: {
      visma: visma ?? 0,
      avatax: avatax ?? 0,
      difference: (visma ?? 0) - (avatax ?? 0),
      vismaBase: visma ?? 0,
      avataxBase: avatax ?? 0,
      differenceBase: (visma ?? 0) - (avatax ?? 0),
      avataxFigure: 'recorded',
    },
  };
}

function reconciliation(documents: ReconciledDocument[], month = '2026-11'): Reconciliation {
  const counts = emptyBucketCounts();
  for (const d of documents) counts[d.bucket]++;
  const clean = counts.differs + counts.onlyInVisma + counts.onlyInAvatax + counts.uncommitted === 0;
  return {
    month,
    from: `${month}-01`,
    to: `${month}-30`,
    generatedAt: '2026-12-01T08:00:00.000Z',
    baseCurrency: 'SEK',
    tolerance: 1,
    counts,
    clean,
    documents,
    totals: [],
    vatBase: { visma: 0, avatax: 0, difference: 0 },
    vatReturn: {
      domestic: { taxable: 0, vat: 0, documents: 0, byVatId: [] },
      oss: { taxable: 0, vat: 0, documents: 0, byCountry: [] },
      intraEuB2b: { taxable: 0, vat: 0, documents: 0, byCountry: [] },
      exports: { taxable: 0, vat: 0, documents: 0, byCountry: [] },
      unknown: { taxable: 0, vat: 0, documents: 0 },
    },
    withoutRate: 0,
    problems: [],
    incomplete: [],
  };
}

const blocked = reconciliation([doc('260002', 'onlyInVisma', 2500), doc('260001', 'matched', 10, 10)]);
const clean = reconciliation([doc('260001', 'matched', 10, 10)]);

describe('the Month-end store', () => {
  beforeEach(() => {
    useMonth.setState({
      month: '2026-11',
      reconciliation: undefined,
      exported: undefined,
      error: undefined,
      working: undefined,
      backfill: undefined,
      backfillProgress: undefined,
      backfillError: undefined,
      dryRun: undefined,
      dryRunError: undefined,
    });
  });

  it("opens on the month that just ended in the company's calendar, and offers the last two years", () => {
    expect(previousMonth('2026-12-01')).toBe('2026-11');
    expect(previousMonth('2027-01-15')).toBe('2026-12');
    const months = recentMonths('2026-11-25');
    expect(months).toHaveLength(24);
    expect(months[0]).toBe('2026-11');
    expect(months.at(-1)).toBe('2024-12');
  });

  it("at 00:30 on 1 December in Stockholm it opens on November: the company's day comes from main", async () => {
    const { api } = fakeApi({
      reconcileMonth: vi.fn(async () => blocked),
      getStatus: vi.fn(async () => ({ today: '2026-12-01', timeZone: 'Europe/Stockholm' })),
    });
    setApi(api);
    useApp.setState({ status: undefined });
    useMonth.setState({ month: '' });
    await useMonth.getState().load();
    expect(useMonth.getState().month).toBe('2026-11');
    expect(api.reconcileMonth).toHaveBeenCalledWith({ month: '2026-11' });
  });

  it('sums VAT per bucket in integer minor units, never floats', () => {
    // 0.1 + 0.2 in kronor is 30 öre exactly, not 0.30000000000000004.
    const r = reconciliation([doc('1', 'matched', 10, 10), doc('2', 'matched', 20, 20), doc('3', 'differs', 101, 100)]);
    const totals = bucketTotals(r);
    expect(totals.map((t) => t.bucket)).toEqual([
      'matched',
      'differs',
      'onlyInVisma',
      'onlyInAvatax',
      'uncommitted',
      'accepted',
    ]);
    expect(totals[0]).toMatchObject({ documents: 2, vismaVat: 30, avataxVat: 30, difference: 0 });
    expect(totals[1]).toMatchObject({ documents: 1, vismaVat: 101, avataxVat: 100, difference: 1 });
    for (const t of totals) expect(Number.isInteger(t.vismaVat) && Number.isInteger(t.difference)).toBe(true);
    // A document without an exchange rate is counted, not summed.
    const noRate = doc('4', 'matched', 50, 50);
    noRate.variance.vismaBase = undefined;
    expect(bucketTotals(reconciliation([noRate]))[0]).toMatchObject({ documents: 1, vismaVat: 0, withoutRate: 1 });
  });

  it('a row’s variance is the document’s, Visma − AvaTax, as the bucket summary sums them', () => {
    // Released in Visma, Saved in AvaTax: the same VAT on both sides; the return's gap is what its why says.
    const waiting = doc('5', 'uncommitted', 1235_41, 1235_41);
    waiting.avatax!.reported = false;
    expect(rowVariance(waiting)).toBe(0);
    expect(rowVariance(doc('6', 'differs', 101, 100))).toBe(1);
    expect(rowVariance(doc('7', 'onlyInVisma', 100))).toBeUndefined();
    expect(rowVariance(doc('8', 'onlyInAvatax', undefined, 100))).toBeUndefined();
    // A side AvaTax dates in another month is not in this month's sums (issue 15 #4).
    const moved = doc('9', 'differs', 300, 300);
    moved.avatax!.inMonth = false;
    expect(bucketTotals(reconciliation([moved]))[1]).toMatchObject({ vismaVat: 300, avataxVat: 0, difference: 300 });
  });

  it('names what blocks the month, and shows the first blocking bucket first', () => {
    expect(blockers(blocked).map((d) => d.referenceNumber)).toEqual(['260002']);
    expect(blockers(clean)).toEqual([]);
    expect(blockers(undefined)).toEqual([]);
    expect(firstBucket(blocked)).toBe('onlyInVisma');
    expect(firstBucket(clean)).toBe('matched');
  });

  it('reads the month, keeps the bucket the user is in while it has documents, and says a failure in words', async () => {
    const { api } = fakeApi({ reconcileMonth: vi.fn(async () => blocked) });
    setApi(api);
    await useMonth.getState().setMonth('2026-11');
    expect(api.reconcileMonth).toHaveBeenCalledWith({ month: '2026-11' });
    expect(useMonth.getState()).toMatchObject({ reconciliation: blocked, bucket: 'onlyInVisma', loading: false });
    useMonth.getState().setBucket('matched');
    await useMonth.getState().load();
    expect(useMonth.getState().bucket).toBe('matched');

    api.reconcileMonth.mockRejectedValueOnce(new Error('AvaTax did not answer'));
    await useMonth.getState().load();
    expect(useMonth.getState().error).toBe('AvaTax did not answer');
    expect(useMonth.getState().reconciliation).toBe(blocked);
  });

  it('only the newest read wins when the month changes while one is under way', async () => {
    let answerOctober: (r: Reconciliation) => void = () => undefined;
    const october = reconciliation([], '2026-10');
    const { api } = fakeApi({
      reconcileMonth: vi.fn(({ month }: { month: string }) =>
        month === '2026-10' ? new Promise((r) => (answerOctober = r)) : Promise.resolve(blocked),
      ),
    });
    setApi(api);
    const slow = useMonth.getState().setMonth('2026-10');
    await useMonth.getState().setMonth('2026-11');
    answerOctober(october);
    await slow;
    expect(useMonth.getState().reconciliation?.month).toBe('2026-11');
  });

  it('close: refused with the reconciliation that says why, or closed; a note goes with it', async () => {
    const closedRec = {
      ...clean,
      closed: { month: '2026-11', closedAt: 'x', by: 'anna', counts: clean.counts, vatBase: 0 },
    };
    const { api } = fakeApi({
      closeMonth: vi
        .fn()
        .mockResolvedValueOnce({ closed: false, reconciliation: blocked })
        .mockResolvedValueOnce({ closed: true, reconciliation: closedRec }),
    });
    setApi(api);
    expect(await useMonth.getState().close()).toBe(false);
    expect(useMonth.getState().reconciliation).toBe(blocked);
    expect(await useMonth.getState().close('Checked with the auditor')).toBe(true);
    expect(api.closeMonth).toHaveBeenLastCalledWith({ month: '2026-11', note: 'Checked with the auditor' });
    expect(useMonth.getState().reconciliation?.closed?.by).toBe('anna');
    expect(useMonth.getState().working).toBeUndefined();
  });

  it('reopen, accept, adjust and void answer with the problem for their dialog, or read the month again', async () => {
    const { api } = fakeApi({
      reconcileMonth: vi.fn(async () => clean),
      reopenMonth: vi.fn().mockRejectedValueOnce(new Error('2026-11 is not closed')).mockResolvedValue({}),
      acceptDocument: vi.fn(async () => [{ referenceNumber: '260002', error: 'Only a variance can be accepted' }]),
      adjustDocument: vi.fn(async () => [{ referenceNumber: '260002', state: 'posted' }]),
      voidInAvaTax: vi.fn(async () => ({ code: 'X', error: 'Visma still has 260002 (Open)' })),
    });
    setApi(api);
    expect(await useMonth.getState().reopen('Late credit note')).toBe('2026-11 is not closed');
    expect(api.reconcileMonth).not.toHaveBeenCalled();
    expect(await useMonth.getState().reopen('Late credit note')).toBeUndefined();
    expect(api.reopenMonth).toHaveBeenLastCalledWith({ month: '2026-11', reason: 'Late credit note' });
    expect(api.reconcileMonth).toHaveBeenCalledTimes(1);
    expect(await useMonth.getState().accept('260002', 'Agreed')).toBe('Only a variance can be accepted');
    expect(await useMonth.getState().adjust('260002', 'Price corrected')).toBeUndefined();
    expect(await useMonth.getState().voidInAvaTax('X', 'Deleted in Visma')).toMatch(/Visma still has/);
    expect(api.voidInAvaTax).toHaveBeenCalledWith({ code: 'X', reason: 'Deleted in Visma' });
  });

  it('exports: keeps where the files went; a cancelled save dialog keeps nothing', async () => {
    const files = [{ file: '/x/reconciliation-2026-11.csv', rows: 12 }];
    const { api } = fakeApi({
      exportReconciliation: vi
        .fn()
        .mockResolvedValueOnce({ files })
        .mockResolvedValueOnce({ cancelled: true, files: [] }),
      exportVatReport: vi.fn(async () => ({
        files,
        baseCurrency: 'SEK',
        total: { taxable: 100, vat: 25, documents: 1 },
      })),
    });
    setApi(api);
    await useMonth.getState().exportReconciliation();
    expect(useMonth.getState().exported).toEqual({ kind: 'reconciliation', outcome: { files } });
    await useMonth.getState().exportReconciliation();
    expect(useMonth.getState().exported?.kind).toBe('reconciliation');
    await useMonth.getState().exportVatReport();
    expect(useMonth.getState().exported).toMatchObject({ kind: 'vat', outcome: { total: { vat: 25 } } });
  });

  it('a dry run sends only what the form says; its error stays in its panel', async () => {
    const { api } = fakeApi({
      dryRun: vi
        .fn()
        .mockResolvedValueOnce({ runId: 'r', at: 'x', selection: {}, documents: [], totals: [], notes: [] })
        .mockRejectedValueOnce(new Error('Give both ends of the range')),
    });
    setApi(api);
    await useMonth.getState().runDryRun({ from: '', to: '', customer: ' 10001 ', unreleased: true });
    expect(api.dryRun).toHaveBeenCalledWith({ customer: '10001', unreleased: true });
    expect(useMonth.getState().dryRun?.runId).toBe('r');
    await useMonth.getState().runDryRun({ from: '2026-11-01', to: '', customer: '', unreleased: false });
    expect(api.dryRun).toHaveBeenLastCalledWith({
      from: '2026-11-01',
      to: '',
      customer: undefined,
      unreleased: undefined,
    });
    expect(useMonth.getState().dryRunError).toMatch(/both ends/);
    expect(useMonth.getState().error).toBeUndefined();
  });

  it('a backfill follows main: progress, then its end, even when the end comes before the start answers', async () => {
    const view = (over: Partial<BackfillView>): BackfillView => ({
      id: 'b1',
      from: '2026-11-01',
      to: '2026-11-30',
      perMinute: 60,
      status: 'running',
      startedAt: 'x',
      done: 0,
      total: 10,
      counts: {},
      running: true,
      ...over,
    });
    let answer: (v: BackfillView) => void = () => undefined;
    const { api, emit } = fakeApi({
      startBackfill: vi.fn(() => new Promise((r) => (answer = r))),
      pauseBackfill: vi.fn(async () => ({ pausing: true })),
      resumeBackfill: vi.fn(async () => view({ done: 4 })),
      getBackfill: vi.fn(async () => view({ status: 'paused', running: false, done: 4 })),
    });
    setApi(api);
    const ended = vi.fn();
    const off = useMonth.getState().listen(ended);
    const starting = useMonth.getState().startBackfill('2026-11-01', '2026-11-30', 60);
    emit('month:backfill-ended', { backfill: view({ status: 'completed', running: false, done: 10 }) });
    answer(view({}));
    await starting;
    expect(useMonth.getState().backfill).toMatchObject({ status: 'completed', running: false });
    expect(ended).toHaveBeenCalledTimes(1);

    await useMonth.getState().loadBackfill();
    expect(useMonth.getState().backfill).toMatchObject({ status: 'paused', done: 4 });
    await useMonth.getState().resumeBackfill(120);
    expect(api.resumeBackfill).toHaveBeenCalledWith({ perMinute: 120 });
    emit('month:backfill-progress', { done: 5, total: 10, etaSeconds: 300, reference: '260005' });
    expect(useMonth.getState().backfillProgress).toMatchObject({ done: 5, etaSeconds: 300 });
    expect(useMonth.getState().backfill).toMatchObject({ running: true, done: 5 });
    await useMonth.getState().pauseBackfill();
    emit('month:backfill-ended', { backfill: view({ status: 'paused', running: false, done: 5 }), error: undefined });
    expect(useMonth.getState().backfill).toMatchObject({ status: 'paused', running: false });
    emit('month:backfill-ended', { backfill: view({ status: 'paused', running: false }), error: 'Visma refused' });
    expect(useMonth.getState().backfillError).toBe('Visma refused');
    off();
    emit('month:backfill-progress', { done: 9, total: 10, etaSeconds: 1 });
    expect(useMonth.getState().backfillProgress?.done).toBe(5);
  });

  it('the Backfill panel says what runs: the month and how far, the jobs it lets go first, Pause or Resume', async () => {
    const view = (over: Partial<BackfillView>): BackfillView => ({
      id: 'b1',
      from: '2026-01-01',
      to: '2026-11-30',
      perMinute: 1,
      status: 'running',
      startedAt: 'x',
      done: 40,
      total: 300,
      counts: {},
      running: true,
      ...over,
    });
    const progress = { done: 41, total: 300, etaSeconds: 259 * 60, reference: '260041', month: '2026-03' };
    // Running alone: month, how far, Pause.
    expect(backfillNow(view({}), progress, { running: 'backfill', waiting: [] })).toEqual({
      running: true,
      month: '2026-03',
      done: 41,
      total: 300,
      etaSeconds: 259 * 60,
      givingWay: [],
      offer: 'pause',
    });
    // A Sync now and a Reconcile asked for: they run at its next batch boundary, then it goes on.
    expect(backfillNow(view({}), progress, { running: 'backfill', waiting: ['sync', 'reconcile'] }).givingWay).toEqual([
      'sync',
      'reconcile',
    ]);
    // Between batches: the sync runs, the backfill waits behind the reconcile; still running, still pausable.
    expect(backfillNow(view({}), progress, { running: 'sync', waiting: ['reconcile', 'backfill'] })).toMatchObject({
      running: true,
      givingWay: ['sync', 'reconcile'],
      offer: 'pause',
    });
    // Paused: Resume, and nothing said of other jobs.
    expect(
      backfillNow(view({ status: 'paused', running: false }), undefined, { running: 'sync', waiting: [] }),
    ).toMatchObject({ running: false, done: 40, total: 300, givingWay: [], offer: 'resume' });
    expect(backfillNow(view({ status: 'completed', running: false, done: 300 }), undefined, undefined)).toMatchObject({
      offer: undefined,
      done: 300,
    });
    expect(backfillNow(null, undefined, undefined)).toMatchObject({ running: false, offer: undefined });

    // The Overview's Sync now stays open while only a backfill runs (it gives way), and is busy once a sync is asked.
    const { api } = fakeApi();
    const status = await api.getStatus({});
    expect(syncBusy({ ...status, running: true, jobs: { running: 'backfill', waiting: [] } })).toBe(false);
    expect(syncBusy({ ...status, running: true, jobs: { running: 'backfill', waiting: ['sync'] } })).toBe(true);
    expect(syncBusy({ ...status, running: true, jobs: { running: 'sync', waiting: ['backfill'] } })).toBe(true);
    expect(syncBusy({ ...status, running: true, jobs: { running: 'reprocess', waiting: [] } })).toBe(true);
    expect(syncBusy({ ...status, running: false, jobs: { waiting: [] } })).toBe(false);
    api.getStatus = vi.fn(async () => ({
      ...status,
      running: true,
      jobs: { running: 'backfill' as const, waiting: [] },
    }));
    setApi(api);
    await useApp.getState().refresh();
    expect(useApp.getState().syncing).toBe(false);
  });
});
