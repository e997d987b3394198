import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncEngine } from '../../electron/app/sync-engine.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * Who accepted what, truthfully: an acceptance the sync derives (a credit note reversing an invoice as Visma
 * booked it, an invoice settled by its correction) is not put in the name of the person at the computer, nor
 * given a reason they never wrote. A reversal of an invoice someone accepted carries that acceptance over, and
 * says whose and when.
 */
const row = async (w: EngineWorld, kind: string, ref: string): Promise<LedgerDocument> =>
  (await w.store.ledger.get(`${kind}:${ref}`))!;

describe('acceptances the sync derives', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 160, creditNotes: 20 });
    // The person at this computer: what a user's acceptance is recorded under.
    w.engine = new SyncEngine({
      now: w.clock.now,
      settings: () => w.settingsNow,
      connectors: () => w.connectors(),
      store: w.store,
      person: () => 'root',
    });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  const variance = async () =>
    (await w.store.ledger.byState('needs-attention')).find(
      (d) => d.documentType === 'invoice' && d.vismaStatus === 'Open' && /VAT differs/.test(text(d.reasons[0])),
    )!;

  it('a correction in Visma nobody accepted is not put in the name of the person at the computer', async () => {
    const invoice = await variance();
    const { creditNote } = w.sandboxes.visma.correctDocument(invoice.referenceNumber);
    await w.engine.run('scheduler');
    const cn = await row(w, 'credit-note', creditNote.referenceNumber);
    expect(cn.state).toBe('posted');
    expect(cn.acceptance?.by).not.toBe('root');
    expect(cn.acceptance?.origin).toEqual({ kind: 'reversal', invoice: invoice.referenceNumber });
    const original = await row(w, 'invoice', invoice.referenceNumber);
    expect(original.acceptance?.by).not.toBe('root');
    expect(original.acceptance?.origin).toEqual({ kind: 'correction', creditNote: creditNote.referenceNumber });
    const audit = await w.store.audit.forDocument(cn.key, w.store.audit.months());
    expect(audit.map((e) => text(e.detail)).join('\n')).not.toMatch(/by root/);
  });

  it('a reversal of an accepted invoice carries that acceptance over: whose, of which invoice, and when', async () => {
    const invoice = await variance();
    await w.engine.accept(invoice.referenceNumber, 'Agreed with the customer', 'user');
    const accepted = (await row(w, 'invoice', invoice.referenceNumber)).acceptance!;
    expect(accepted.by).toBe('root');
    // Someone else at the computer when the correction comes in.
    w.engine = new SyncEngine({
      now: w.clock.now,
      settings: () => w.settingsNow,
      connectors: () => w.connectors(),
      store: w.store,
      person: () => 'someone-else',
    });
    const { creditNote } = w.sandboxes.visma.correctDocument(invoice.referenceNumber);
    await w.engine.run('scheduler');
    const cn = await row(w, 'credit-note', creditNote.referenceNumber);
    expect(cn.state).toBe('posted');
    expect(cn.acceptance).toMatchObject({
      by: 'root',
      reason: 'Agreed with the customer',
      origin: {
        kind: 'reversal',
        invoice: invoice.referenceNumber,
        accepted: { by: 'root', at: accepted.at, reason: 'Agreed with the customer' },
      },
    });
    const audit = await w.store.audit.forDocument(cn.key, w.store.audit.months());
    const said = audit.map((e) => text(e.detail)).join('\n');
    expect(said).not.toMatch(/someone-else/);
    expect(said).toMatch(new RegExp(`Carried over from root's acceptance of ${invoice.referenceNumber}`));
  });
});
