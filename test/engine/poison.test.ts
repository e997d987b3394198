import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * Defect: a document the engine could not even describe (a reference of spaces, one longer than a document
 * code allows, an amount of 1e20) made the failure handler throw again, so the run ended and every later
 * document waited forever. A bad document is recorded as needing attention, with the reason; the run goes on.
 */
describe('one poison document', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 25, creditNotes: 3 });
  });
  afterEach(() => w.close());

  function poison(
    copyOf: string,
    ref: string,
    edit?: (d: { lines: { amount: number; amountInCurrency: number }[] }) => void,
  ) {
    const doc = w.sandboxes.visma.createDocument('invoice', copyOf, ref);
    doc.status = 'Balanced';
    // Stored as Visma sent it: the sandbox's own arithmetic would refuse such an amount.
    if (edit) {
      edit(doc as never);
      w.sandboxes.visma.touch(doc);
    }
    return doc;
  }

  it.each([
    ['a reference of spaces', '   ', undefined],
    ['a reference longer than a document code allows', `2026-${'9'.repeat(60)}`, undefined],
    [
      'an amount of 1e20',
      '269001',
      (d: { lines: { amount: number; amountInCurrency: number }[] }) => {
        d.lines[0]!.amount = 1e20;
        d.lines[0]!.amountInCurrency = 1e20;
      },
    ],
    ['a reference with a space at its end, beside the same number without', '260001 ', undefined],
  ])('%s needs attention and the run goes on', async (_what, ref, edit) => {
    const source = w.sandboxes.visma.state.documents.find(
      (d) => d.kind === 'invoice' && /^1000[1-9]$/.test(d.customer.number),
    )!;
    poison(source.referenceNumber, ref, edit);
    const summary = await w.engine.run('user');
    expect(summary.outcome).toBe('completed');
    const row = await w.store.ledger.get(`invoice:${ref}`);
    expect(row?.state).toBe('needs-attention');
    expect(row?.reasons.join(' ')).not.toBe('');
    const selected = w.sandboxes.visma.state.documents.filter((d) => d.status !== 'Voided');
    expect(await w.store.ledger.all()).toHaveLength(selected.length);
    // Nothing reached AvaTax under a code another document owns.
    const codes = w.sandboxes.avatax.state.transactions.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('a company code AvaTax does not know', () => {
  it('stops the run as a configuration error instead of putting every document in needs attention', async () => {
    const { ConfigurationError } = await import('../../electron/engine/errors.js');
    const w = await startEngineWorld({ invoices: 10, creditNotes: 0 });
    try {
      w.settingsNow = { ...w.settingsNow, avalara: { ...w.settingsNow.avalara, companyCode: 'NO-SUCH-COMPANY' } };
      await expect(w.engine.run('scheduler')).rejects.toBeInstanceOf(ConfigurationError);
      expect(w.store.ledger.counts()['needs-attention']).toBe(0);
      expect(w.store.state.watermark('invoice')).toBeUndefined();
    } finally {
      await w.close();
    }
  });
});

describe('a document AvaTax refused with a data error', () => {
  it('waits in needs attention: the next runs do not send it again until it changes', async () => {
    const w = await startEngineWorld({ invoices: 12, creditNotes: 0 });
    try {
      const d = w.sandboxes.visma.state.documents.find(
        (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number),
      )!;
      const code = `VN-INV-${d.referenceNumber}`;
      w.sandboxes.avatax.server.onRequest = (method, path) => {
        if (method === 'POST' && /\/transactions\/create$/.test(path))
          w.sandboxes.avatax.server.injectFault({
            path: /\/transactions\/create$/,
            fault: {
              kind: 'status',
              status: 400,
              body: { error: { code: 'InvalidAddress', message: 'Address not geocoded' } },
            },
          });
      };
      const sent = () =>
        w.sandboxes.avatax.server.log.filter((e) => /\/transactions\/create/.test(e.path) && e.body.includes(code))
          .length;
      await w.engine.reprocess([d.referenceNumber], 'user');
      w.sandboxes.avatax.server.onRequest = undefined;
      w.sandboxes.avatax.server.clearFaults();
      expect((await w.store.ledger.get(`invoice:${d.referenceNumber}`))?.state).toBe('needs-attention');
      const before = sent();
      await w.engine.run('scheduler');
      await w.engine.run('scheduler');
      expect(sent()).toBe(before);
    } finally {
      await w.close();
    }
  });
});

describe('an accept or adjust AvaTax refuses', () => {
  it('is not reported as done: the result carries AvaTax’s reason (the CLI exits 1 with it)', async () => {
    const w = await startEngineWorld({ invoices: 12, creditNotes: 0 });
    try {
      await w.engine.run('user');
      const posted = (await w.store.ledger.byState('posted'))[0]!;
      w.sandboxes.avatax.server.injectFault({
        path: /\/transactions\/(createoradjust|create|.*\/adjust)$/,
        fault: {
          kind: 'status',
          status: 400,
          body: { error: { code: 'CannotModifyLockedTransaction', message: 'The transaction is locked' } },
        },
        times: 10,
      });
      const [result] = await w.engine.adjust(posted.referenceNumber, 'Corrected after the customer called', 'cli');
      expect(text(result!.error)).toMatch(/locked/i);
      expect(result!.state).not.toBe('posted');
    } finally {
      await w.close();
    }
  });
});
