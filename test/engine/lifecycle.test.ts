import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { toMinor } from '../../shared/money.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { committedMismatches, hiddenVariances, watchPuts } from '../helpers/promise.js';
import { text } from '../helpers/reasons.js';
import { SANDBOX_VARIANTS, type SandboxVariant } from '../helpers/sandboxes.js';

/**
 * The promise against the sandboxes, which follow Visma's rules (VAT from category ∩ zone, released documents
 * refuse VAT changes, read back what was booked) and AvaTax's (TaxAmount overrides report both figures):
 * the VAT Visma books for a document is the tax AvaTax records for it, or the document is in front of the user
 * with both figures.
 */
const row = async (w: EngineWorld, kind: string, ref: string): Promise<LedgerDocument> =>
  (await w.store.ledger.get(`${kind}:${ref}`))!;
const visma = (w: EngineWorld) => w.sandboxes.visma;
const docs = (w: EngineWorld) => visma(w).state.documents;
/**
 * The end-to-end suite runs once per sandbox variant (docs/api-assumptions.md): the strict readings of what the real
 * services leave open, and the lenient ones. Tests that do not depend on the variant run once, on the strict one.
 */
const VARIANTS = Object.keys(SANDBOX_VARIANTS) as SandboxVariant[];

describe.each(VARIANTS)('a sync of the seeded company (%s sandboxes)', (variant) => {
  let w: EngineWorld;
  let puts: ReturnType<typeof watchPuts>;
  const notes = new Map<string, string | null>();
  // One sync per variant, read by every test below (the last one runs a second sync, and comes last).
  beforeAll(async () => {
    w = await startEngineWorld({ invoices: 160, creditNotes: 20, debitNotes: 10, variant });
    for (const d of docs(w)) notes.set(`${d.kind}:${d.referenceNumber}`, d.note);
    puts = watchPuts(w);
    await w.engine.run('user');
  }, 60_000);
  afterAll(() => w.close());

  it('never sends a PUT to a released document', () => {
    expect(puts.puts.length).toBeGreaterThan(0);
    expect(puts.released).toEqual([]);
  });

  it('for every committed AvaTax document, its tax equals the VAT Visma booked', () => {
    expect(w.sandboxes.avatax.state.transactions.filter((t) => t.status === 'Committed').length).toBeGreaterThan(10);
    expect(committedMismatches(w)).toEqual([]);
  });

  it('every variance is in needs attention with both amounts', async () => {
    expect(await hiddenVariances(w.store)).toEqual([]);
    const variances = (await w.store.ledger.byState('needs-attention')).filter((d) =>
      /VAT differs/.test(text(d.reasons[0])),
    );
    expect(variances.length).toBeGreaterThan(0);
    for (const d of variances) {
      expect(text(d.reasons[0])).toMatch(
        /Visma booked -?[A-Z]{3}\u00a0[\d,]+\.\d{2}, AvaTax calculates -?[A-Z]{3}\u00a0[\d,]+\.\d{2}/,
      );
      expect(d.bookedTax).not.toBe(d.calculatedTax);
      // Released documents: AvaTax already records, committed, exactly what Visma booked.
      if (d.vismaStatus === 'Open' || d.vismaStatus === 'Closed') expect(d.recordedTax).toBe(d.bookedTax);
    }
  });

  it('finds each way Visma booked wrong by its defaults: released ones shown, unreleased ones put right', async () => {
    const seen = { german: 0, us: 0, released: 0, fixed: 0 };
    for (const d of docs(w).filter((x) => x.kind === 'invoice')) {
      const german = d.customer.number === '10024';
      const us = d.currencyId === 'USD';
      if (!german && !us) continue;
      const r = await row(w, 'invoice', d.referenceNumber);
      if (!r || r.state === 'flagged') continue;
      if (german) seen.german++;
      if (us) seen.us++;
      if (d.status === 'Open' || d.status === 'Closed') {
        seen.released++;
        // German B2C booked at Swedish rates, US with no sales tax: AvaTax records it as booked, the user decides.
        if (r.bookedTax !== r.calculatedTax) expect(r.state, r.key).toBe('needs-attention');
      } else {
        seen.fixed++;
        expect(r.state, r.key).toBe('calculated');
        expect(d.customerVatZoneId).toBe(german ? 'OSSDE' : 'USMAN');
        expect(r.bookedTax).toBe(r.calculatedTax);
      }
    }
    expect(seen.german).toBeGreaterThan(0);
    expect(seen.us).toBeGreaterThan(0);
    expect(seen.released).toBeGreaterThan(0);
    expect(seen.fixed).toBeGreaterThan(0);
  });

  it('user notes survive: nothing a person wrote is replaced', () => {
    for (const d of docs(w)) {
      const before = notes.get(`${d.kind}:${d.referenceNumber}`);
      if (before !== undefined) expect(d.note, `${d.kind} ${d.referenceNumber}`).toBe(before);
    }
  });

  it('a location abroad is taxed where it is', async () => {
    const oslo = docs(w).filter((d) => d.location?.id === 'OSLO' && d.kind === 'invoice');
    expect(oslo.length).toBeGreaterThan(0);
    for (const d of oslo) {
      const r = await row(w, 'invoice', d.referenceNumber);
      expect(r.country).toBe('NO');
      expect(r.shipToSource).toBe('location');
      const tx = w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`);
      if (tx) expect((tx.model.addresses as { country: string }[]).at(-1)?.country).toBe('NO');
      if (r.state === 'calculated' || r.state === 'posted') expect(r.calculatedTax).toBe(0);
    }
  });

  it('a second run changes nothing: our own writes are recognised without a ledger write or an audit entry', async () => {
    const putsBefore = puts.puts.length;
    const second = await w.engine.run('user');
    expect(second.writtenBack + second.posted + second.calculated + second.needsAttention).toBe(0);
    expect(puts.puts.length).toBe(putsBefore);
    const entries = await w.store.audit.entries(w.clock.month());
    const ofSecond = entries.filter((e) => e.runId === w.store.state.lastRun()!.runId);
    expect(
      ofSecond
        .map((e) => e.action)
        .filter((a) => !['run-started', 'fetched', 'run-finished', 'watermark-advanced'].includes(a)),
    ).toEqual([]);
  });
});

describe.each(VARIANTS)('the lifecycle, one document at a time (%s sandboxes)', (variant) => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 6, variant });
  });
  /** A test the variant makes no difference to: run once, on the strict sandboxes. */
  const once = variant === 'strict' ? it : it.skip;
  afterEach(() => w.close());

  /** A Balanced invoice of a Swedish customer with a good address, set to the lines given (category STD). */
  function balanced(amounts: number[], category = 'STD'): SandboxDocument {
    const d = docs(w).find(
      (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
    )!;
    return visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      x.status = 'Balanced';
      x.hold = false;
      x.customerVatZoneId = '01';
      x.lines = amounts.map((amount, i) => ({
        ...x.lines[0]!,
        lineNumber: i + 1,
        inventoryNumber: 'VERKTYG-100',
        quantity: 1,
        unitPrice: amount,
        unitPriceInCurrency: amount,
        amount,
        amountInCurrency: amount,
        vatCode: { id: category, description: category },
      }));
    });
  }

  once('one öre of rounding: AvaTax records exactly what Visma booked, and says so', async () => {
    // AvaTax rounds each line (3 × 0.5 öre → 3 öre), Visma the document total (6 öre × 25 % → 2 öre).
    const d = balanced([0.02, 0.02, 0.02]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    const r = await row(w, 'invoice', d.referenceNumber);
    expect(r.state).toBe('calculated');
    expect([r.bookedTax, r.calculatedTax, r.recordedTax]).toEqual([2, 3, 2]);
    const tx = w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!;
    expect([toMinor(tx.model.totalTax as number), toMinor(tx.model.totalTaxCalculated as number)]).toEqual([2, 3]);
    const audit = await w.store.audit.forDocument(r.key, w.store.audit.months());
    expect(audit.map((e) => text(e.detail)).join(' ')).toMatch(/rounding of -SEK\u00a00\.01 on MP1/);
  });

  once('commits on release; AvaTax commits exactly what Visma booked', async () => {
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('calculated');
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Saved');
    visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      x.status = 'Open';
    });
    await w.engine.run('user');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('posted');
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Committed');
    expect(committedMismatches(w)).toEqual([]);
  });

  it('VAT changed by hand before the release: AvaTax records what Visma finally booked, and the variance is shown', async () => {
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      for (const l of x.lines) l.vatCode = { id: 'BOOK', description: 'BOOK' };
      x.status = 'Open';
    });
    await w.engine.run('user');
    const r = await row(w, 'invoice', d.referenceNumber);
    expect(r.state).toBe('needs-attention');
    expect(text(r.reasons[0])).toBe('VAT differs: Visma booked SEK\u00a060.00, AvaTax calculates SEK\u00a0250.00');
    expect(committedMismatches(w)).toEqual([]);
  });

  it('accept as booked: posted, audited with its reason; AvaTax keeps Visma’s figure', async () => {
    await w.engine.run('user');
    const variance = (await w.store.ledger.byState('needs-attention')).find((d) =>
      /VAT differs/.test(text(d.reasons[0])),
    )!;
    const [result] = await w.engine.accept(
      variance.referenceNumber,
      'Agreed with the customer; credit next month',
      'user',
    );
    expect(result!.state).toBe('posted');
    const r = await row(w, variance.documentType, variance.referenceNumber);
    expect(r.acceptance).toMatchObject({
      reason: 'Agreed with the customer; credit next month',
      bookedTax: r.bookedTax,
    });
    const audit = await w.store.audit.forDocument(r.key, w.store.audit.months());
    expect(audit.some((e) => e.action === 'accepted' && /Agreed with the customer/.test(text(e.detail)))).toBe(true);
    await w.engine.run('scheduler');
    expect((await row(w, variance.documentType, variance.referenceNumber)).state).toBe('posted');
    expect(committedMismatches(w)).toEqual([]);
  });

  it('correct in Visma: the reversal resolves the variance and the corrected invoice syncs normally', async () => {
    await w.engine.run('user');
    const variance = (await w.store.ledger.byState('needs-attention')).find(
      (d) => d.documentType === 'invoice' && d.vismaStatus === 'Open' && /VAT differs/.test(text(d.reasons[0])),
    )!;
    expect(variance).toBeDefined();
    const { creditNote, invoice } = visma(w).correctDocument(variance.referenceNumber);
    await w.engine.run('user');
    expect((await row(w, 'credit-note', creditNote.referenceNumber)).state).toBe('posted');
    const original = await row(w, 'invoice', variance.referenceNumber);
    expect(original.state).toBe('posted');
    expect(original.acceptance?.reason).toMatch(new RegExp(`credit note ${creditNote.referenceNumber} reverses it`));
    const corrected = await row(w, 'invoice', invoice.referenceNumber);
    expect(['calculated', 'flagged']).toContain(corrected.state);
    expect(committedMismatches(w)).toEqual([]);
  });

  it('a voided AvaTax document is never posted: needs attention, and a reprocess records it again', async () => {
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    const tx = w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!;
    tx.status = 'Cancelled';
    (tx.model as { status: string }).status = 'Cancelled';
    visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      x.status = 'Open';
    });
    await w.engine.run('user');
    const r = await row(w, 'invoice', d.referenceNumber);
    expect(r.state).toBe('needs-attention');
    expect(text(r.reasons[0])).toMatch(/voided in AvaTax/);
    const [again] = await w.engine.reprocess([d.referenceNumber], 'user');
    expect(again!.state).toBe('posted');
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Committed');
  });

  it('a document changed after its commit needs attention; only Adjust in AvaTax adjusts it', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, commit: 'immediately' } };
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('posted');
    visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      x.lines[0]!.amount = 2000;
      x.lines[0]!.amountInCurrency = 2000;
    });
    await w.engine.run('scheduler');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('needs-attention');
    await w.engine.reprocess([d.referenceNumber], 'user');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('needs-attention');
    expect(w.sandboxes.avatax.state.transactions.filter((t) => t.code === `VN-INV-${d.referenceNumber}`)).toHaveLength(
      1,
    );
    const [adjusted] = await w.engine.adjust(d.referenceNumber, 'Price corrected before release', 'user');
    expect(adjusted!.state).toBe('posted');
    const versions = w.sandboxes.avatax.state.transactions.filter((t) => t.code === `VN-INV-${d.referenceNumber}`);
    expect(versions.map((t) => t.status)).toEqual(['Adjusted', 'Committed']);
    expect(committedMismatches(w)).toEqual([]);
    // Through AdjustTransaction, with the user's words as its description: never createoradjust, never the words
    // in a tax override.
    const log = w.sandboxes.avatax.server.log.filter((e) => e.method === 'POST' && e.body.includes(d.referenceNumber));
    const adjustCalls = log.filter((e) => e.path.endsWith('/adjust'));
    expect(adjustCalls).toHaveLength(1);
    expect(JSON.parse(adjustCalls[0]!.body)).toMatchObject({
      adjustmentReason: 'ReconciledWithGeneralLedger',
      adjustmentDescription: 'Price corrected before release',
    });
    expect(log.filter((e) => e.path.endsWith('/createoradjust'))).toEqual([]);
    expect(log.some((e) => /"reason":"[^"]*Price corrected/.test(e.body))).toBe(false);
    expect(versions.at(-1)!.model).toMatchObject({
      adjustmentReason: 'ReconciledWithGeneralLedger',
      adjustmentDescription: 'Price corrected before release',
    });
    const audit = await w.store.audit.forDocument(`invoice:${d.referenceNumber}`, w.store.audit.months());
    expect(
      audit.some(
        (e) =>
          e.action === 'adjusted' && /ReconciledWithGeneralLedger.*Price corrected before release/.test(text(e.detail)),
      ),
    ).toBe(true);
  });

  /** A US invoice to a customer whose address resolves, unreleased. */
  function usInvoice(): SandboxDocument {
    const d = docs(w).find((x) => x.kind === 'invoice' && /Pacific|Hudson|Emerald/.test(x.customer.name))!;
    return visma(w).editDocument('invoice', d.referenceNumber, (x) => {
      x.status = 'Balanced';
      x.hold = false;
    });
  }

  once('US sales tax goes through the manual-entry zone: Visma keeps the amounts sent', async () => {
    const us = usInvoice();
    await w.engine.reprocess([us.referenceNumber], 'user');
    const r = await row(w, 'invoice', us.referenceNumber);
    expect(r.state).toBe('calculated');
    expect(visma(w).find('invoice', us.referenceNumber)!.customerVatZoneId).toBe('USMAN');
    expect(r.bookedTax).toBe(r.calculatedTax);
    expect(r.bookedTax).toBeGreaterThan(0);
  });

  once(
    'when a PUT adds tax detail lines instead of replacing them, the doubling is caught by the read-back',
    async () => {
      visma(w).taxDetailsOnPut = 'append';
      const us = usInvoice();
      visma(w).editDocument(
        'invoice',
        us.referenceNumber,
        (x) => {
          x.customerVatZoneId = 'USMAN';
          x.taxDetails = [
            {
              taxId: 'US-SALESTAX',
              recordId: 1,
              vatId: { number: 'US-SALESTAX', description: '' },
              vatRate: 0,
              taxableAmount: 1,
              vatAmount: 1,
            },
          ];
        },
        { recomputeVat: false },
      );
      await w.engine.reprocess([us.referenceNumber], 'user');
      const r = await row(w, 'invoice', us.referenceNumber);
      expect(r.state).toBe('needs-attention');
      expect(text(r.reasons[0])).toMatch(/Visma did not book what was sent/);
    },
  );

  it('a colleague’s change right after our write (too late for If-Match) is caught by the read-back', async () => {
    const d = balanced([1000], 'BOOK');
    const path = `/v1/customerinvoice/${d.referenceNumber}`;
    let edited = false;
    w.sandboxes.visma.server.onHandled = (entry) => {
      const ran = visma(w).background.jobs.find((j) => j.originalUri === path && j.statusCode === 204);
      if (!edited && ran && entry.path === `/v1/background/${ran.id}`) {
        edited = true;
        visma(w).editDocument('invoice', d.referenceNumber, (x) => {
          for (const l of x.lines) l.vatCode = { id: 'BOOK', description: 'BOOK' };
        });
      }
    };
    await w.engine.reprocess([d.referenceNumber], 'user');
    const r = await row(w, 'invoice', d.referenceNumber);
    expect(r.state).toBe('needs-attention');
    expect(r.reasons.map(text).join(' ')).toMatch(/Visma booked SEK\u00a060\.00|did not book what was sent/);
  });

  once('tax details reported in the base currency are noticed, never compared as if they were EUR', async () => {
    visma(w).taxDetailsCurrency = 'base';
    await w.engine.run('user');
    const eur = (await w.store.ledger.all()).filter((d) => d.currency === 'EUR' && d.state !== 'flagged');
    expect(eur.length).toBeGreaterThan(0);
    for (const d of eur) {
      expect(d.state).toBe('needs-attention');
      expect(d.reasons.map(text).join(' ')).toMatch(/base currency/);
    }
  });

  once('a queued release is never taken for done: not committed until Visma shows it released', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, releaseAfterVerify: true } };
    visma(w).releaseQueueReads = 1_000; // Visma's background has not got to it by the last look
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    const waiting = await row(w, 'invoice', d.referenceNumber);
    expect(visma(w).find('invoice', d.referenceNumber)!.status).toBe('Balanced');
    expect(waiting.state).toBe('pending-retry');
    expect(text(waiting.reasons[0])).toMatch(/queued the release .*not released it yet/);
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Saved');
    visma(w).settleReleases();
    await w.engine.run('user');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('posted');
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Committed');
    expect(committedMismatches(w)).toEqual([]);
  });

  once('a release Visma answers Failed is in front of the user with Visma’s words; nothing is committed', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, releaseAfterVerify: true } };
    visma(w).releaseAction = 'immediate';
    visma(w).releaseFailure = 'The financial period 202611 is closed.';
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    const r = await row(w, 'invoice', d.referenceNumber);
    expect(visma(w).find('invoice', d.referenceNumber)!.status).toBe('Balanced');
    expect(r.state).toBe('needs-attention');
    expect(text(r.reasons[0])).toMatch(/could not release invoice .*financial period 202611 is closed/);
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Saved');
  });

  it('releases in Visma after the VAT is verified when asked to, and commits', async () => {
    w.settingsNow = { ...w.settingsNow, sync: { ...w.settingsNow.sync, releaseAfterVerify: true } };
    const d = balanced([1000]);
    await w.engine.reprocess([d.referenceNumber], 'user');
    expect(visma(w).find('invoice', d.referenceNumber)!.status).toBe('Open');
    expect((await row(w, 'invoice', d.referenceNumber)).state).toBe('posted');
    expect(committedMismatches(w)).toEqual([]);
  });
});
