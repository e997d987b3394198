import { afterEach, describe, expect, it } from 'vitest';
import { correctionOf } from '../../electron/engine/decide.js';
import { KeyedLock } from '../../electron/engine/keyed-lock.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * One writer per document (issue 14, item 3): an invoice and the credit note that corrects it, processed in one
 * run, never overwrite each other's ledger row. The credit note's outcome asks for a follow-up on the invoice
 * ("resolve it by the correction"), which runs through the same pipeline, after the invoice's own processing,
 * from the row as it is then: never from a snapshot taken before the run touched it.
 */
describe('an invoice and its correction in one run', () => {
  let w: EngineWorld;
  afterEach(() => w?.close());

  it('the correction is kept although the invoice was processed at the same time', async () => {
    w = await startEngineWorld({ invoices: 120, creditNotes: 10 });
    await w.engine.run('scheduler');
    const invoice = (await w.store.ledger.byState('needs-attention')).find(
      (d) => d.documentType === 'invoice' && d.vismaStatus === 'Open' && /VAT differs/.test(text(d.reasons[0])),
    )!;
    expect(invoice).toBeDefined();
    const key = invoice.key;
    // Visma corrects the invoice (a reversing credit note and a corrected copy); someone also touches the invoice
    // itself, so the next run lists it beside its credit note.
    const { creditNote } = w.sandboxes.visma.correctDocument(invoice.referenceNumber);
    w.sandboxes.visma.editDocument('invoice', invoice.referenceNumber, () => {}, { recomputeVat: false });

    // The invoice's own write is held until the correction has been written (or two seconds passed): the
    // interleaving in which a writer working from an old snapshot loses the correction.
    const put = w.store.ledger.put.bind(w.store.ledger);
    let corrected = false;
    w.store.ledger.put = async (row: LedgerDocument) => {
      if (row.key === key && row.acceptance?.origin?.kind === 'correction') corrected = true;
      else if (row.key === key)
        for (let waited = 0; !corrected && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      return put(row);
    };
    await w.engine.run('scheduler');
    w.store.ledger.put = put;

    const after = (await w.store.ledger.get(key))!;
    expect((await w.store.ledger.get(`credit-note:${creditNote.referenceNumber}`))?.state).toBe('posted');
    expect(after.state).toBe('posted');
    expect(after.acceptance?.origin).toEqual({ kind: 'correction', creditNote: creditNote.referenceNumber });
    // What the invoice's own processing learnt (Visma's new stamp) is kept too.
    expect(after.vismaTimeStamp).toBe(w.sandboxes.visma.find('invoice', invoice.referenceNumber)!.timeStamp);
  }, 60_000);
});

describe('the pieces', () => {
  it('work on one key waits for the work before it; other keys run beside it', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const a1 = lock.run('a', async () => {
      await gate;
      order.push('a1');
    });
    const a2 = lock.run('a', async () => {
      order.push('a2');
    });
    await lock.run('b', async () => {
      order.push('b');
    });
    open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['b', 'a1', 'a2']);
    expect(lock.busy).toBe(0);
    // A failure releases the key.
    await expect(lock.run('a', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await lock.run('a', async () => order.push('a3'));
    expect(order.at(-1)).toBe('a3');
  });

  it('a correction is judged on the invoice as it is: an invoice already posted, or booked otherwise, is left', () => {
    const booked = [{ vatId: 'MP1', rate: 0.25, taxable: 10_000, vat: 2_500 }];
    const invoice = {
      key: 'invoice:1',
      referenceNumber: '1',
      state: 'needs-attention',
      booked,
      bookedTax: 2_500,
      recordedTax: 2_500,
      calculatedTax: 0,
      fingerprint: 'f',
    } as unknown as LedgerDocument;
    const followUp = {
      kind: 'correction' as const,
      key: 'invoice:1',
      creditNote: '9',
      reversed: [{ vatId: 'MP1', rate: 0.25, taxable: -10_000, vat: -2_500 }],
    };
    expect(correctionOf(invoice, followUp, '2026-11-28T12:00:00.000Z')?.origin).toEqual({
      kind: 'correction',
      creditNote: '9',
    });
    expect(correctionOf({ ...invoice, state: 'posted' }, followUp, '2026-11-28T12:00:00.000Z')).toBeUndefined();
    expect(
      correctionOf({ ...invoice, booked: [{ ...booked[0]!, vat: 2_400 }] }, followUp, '2026-11-28T12:00:00.000Z'),
    ).toBeUndefined();
    expect(correctionOf(undefined, followUp, '2026-11-28T12:00:00.000Z')).toBeUndefined();
  });
});
