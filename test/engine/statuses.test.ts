import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VismaDocument } from '../../electron/connectors/visma/types.js';
import { wanted } from '../../electron/engine/sync-run.js';
import { RELEASED, UNRELEASED } from '../../electron/engine/visma-document.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { VISMA_STATUSES } from '../../shared/settings.js';
import { avataxCreates, type EngineWorld, startEngineWorld, vismaPuts } from '../helpers/engine.js';

/**
 * Visma's document statuses (CashSaleStatusEnum): `Scheduled` marks a recurring-invoice template, never a sale;
 * PendingPrint, PendingEmail and CreditHold are documents not yet released (they wait for printing, e-mailing or
 * a credit check before Visma releases them), so their VAT is set like any unreleased document's.
 */
const everyStatus = (s: EngineWorld['settingsNow']) => ({
  ...s,
  sync: { ...s.sync, statuses: [...VISMA_STATUSES] },
});

describe('which statuses are sales, and which are not released yet', () => {
  it('a template (Scheduled) is never wanted, whatever the settings or the ledger say', () => {
    const doc = { kind: 'invoice', referenceNumber: '1', status: 'Scheduled' } as VismaDocument;
    const settings = everyStatus({ sync: { statuses: [] } } as never);
    const known = { ledger: { entry: () => ({}) } } as never;
    expect(wanted(doc, settings, known)).toBe(false);
  });

  it('PendingPrint, PendingEmail and CreditHold are unreleased; Open and Closed are released', () => {
    for (const s of ['Hold', 'Balanced', 'PendingPrint', 'PendingEmail', 'CreditHold']) {
      expect(UNRELEASED.has(s), s).toBe(true);
      expect(RELEASED.has(s), s).toBe(false);
    }
    expect([...RELEASED]).toEqual(['Open', 'Closed']);
  });
});

describe('a sync over templates and documents waiting to be printed, e-mailed or credit-checked', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 0, settings: everyStatus });
  });
  afterEach(() => w.close());

  const swedish = (skip = 0): SandboxDocument =>
    w.sandboxes.visma.state.documents.filter(
      (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
    )[skip]!;

  it('a Scheduled template is never sent to AvaTax nor written to, with every status chosen in Settings', async () => {
    const template = w.sandboxes.visma.editDocument('invoice', swedish().referenceNumber, (x) => {
      x.status = 'Scheduled';
      x.hold = false;
      for (const l of x.lines) l.vatCode = null; // nothing booked: any sync would want to write to it
    });
    await w.engine.run('user');
    const code = `VN-INV-${template.referenceNumber}`;
    expect(avataxCreates(w).filter((c) => c.code === code)).toEqual([]);
    expect(vismaPuts(w).filter((p) => p.endsWith(`/${template.referenceNumber}`))).toEqual([]);
    expect(await w.store.ledger.get(`invoice:${template.referenceNumber}`)).toBeUndefined();
  });

  it.each(['PendingPrint', 'PendingEmail', 'CreditHold'] as const)(
    'a %s document is calculated, its VAT written back and read back, committed only once released',
    async (status) => {
      const d = w.sandboxes.visma.editDocument('invoice', swedish(1).referenceNumber, (x) => {
        x.status = status;
        x.hold = false;
        x.customerVatZoneId = '01';
        // A tool booked at the books' 6 %: the sync must write STD back.
        for (const l of x.lines) {
          l.inventoryNumber = 'VERKTYG-100';
          l.vatCode = { id: 'BOOK', description: 'BOOK' };
        }
      });
      await w.engine.reprocess([d.referenceNumber], 'user');
      const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
      expect(row.state).toBe('calculated');
      expect(row.writtenBack).toBe(true);
      expect(row.bookedTax).toBe(row.calculatedTax);
      expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Saved');
      w.sandboxes.visma.releaseDocument('invoice', d.referenceNumber);
      await w.engine.run('user');
      expect((await w.store.ledger.get(`invoice:${d.referenceNumber}`))!.state).toBe('posted');
      expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)!.status).toBe('Committed');
    },
  );
});
