import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncEngine } from '../../electron/app/sync-engine.js';
import { openStore } from '../../electron/store/index.js';
import { avataxCreates, type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { invariantViolations } from '../helpers/invariants.js';

/**
 * repair --month: a ledger month emptied, cut or edited outside the app is rebuilt from Visma and AvaTax. Every
 * document comes back in the state it had, a person's acceptance comes back from the audit trail, nothing is
 * sent to AvaTax twice, and the audit trail is only added to.
 */
describe('repairing a damaged ledger month', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 4 });
  });
  afterEach(() => w.close());

  async function reopenForRepair(month: string): Promise<void> {
    w.store = await openStore(w.dir, { now: w.clock.now, repairMonth: month });
    w.engine = new SyncEngine({
      now: w.clock.now,
      settings: () => w.settingsNow,
      connectors: () => w.connectors(),
      store: w.store,
    });
  }

  it('an emptied month comes back: same states and VAT, the acceptance restored, nothing sent twice', async () => {
    await w.engine.run('user');
    const variance = (await w.store.ledger.byState('needs-attention'))[0];
    expect(variance, 'the demo company has a variance to accept').toBeDefined();
    const [accepted] = await w.engine.accept(variance!.referenceNumber, 'Agreed with the customer by phone', 'user');
    expect(accepted!.state).toBe('posted');
    const month = w.clock.month();
    const before = new Map((await w.store.ledger.inMonth(month)).map((d) => [d.key, d]));
    expect(before.size).toBeGreaterThan(10);
    const created = avataxCreates(w).length;
    await w.store.close();

    const file = join(w.dir, 'ledger', `${month}.jsonl`);
    writeFileSync(file, '');
    await expect(openStore(w.dir, { now: w.clock.now })).rejects.toThrow(/repair --month/);

    await reopenForRepair(month);
    const report = await w.engine.repair(month, 'cli');
    expect(report.known).toBe(before.size);
    expect(report.gone).toEqual([]);
    expect(report.acceptancesRestored).toBe(1);
    expect(readdirSync(join(w.dir, 'ledger')).some((f) => f.startsWith(`${month}.jsonl.damaged-`))).toBe(true);
    const after = new Map((await w.store.ledger.inMonth(month)).map((d) => [d.key, d]));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, was] of before) {
      const now = after.get(key)!;
      expect({ key, state: now.state, booked: now.bookedTax, recorded: now.recordedTax }).toEqual({
        key,
        state: was.state,
        booked: was.bookedTax,
        recorded: was.recordedTax,
      });
    }
    expect(after.get(variance!.key)!.acceptance).toMatchObject({
      reason: 'Agreed with the customer by phone',
      at: before.get(variance!.key)!.acceptance!.at,
    });
    // No committed document was created again (AvaTax holds each code once, live), and every invariant of
    // "nothing lost, nothing wrong" holds.
    const committed = new Set(
      [...before.values()].filter((d) => d.avataxStatus === 'Committed').map((d) => d.avataxCode),
    );
    const again = avataxCreates(w).slice(created);
    expect(again.filter((c) => committed.has(c.code))).toEqual([]);
    expect(
      await invariantViolations({ sandboxes: w.sandboxes, store: w.store, statuses: w.settingsNow.sync.statuses }),
    ).toEqual([]);
    for (const m of w.store.audit.months()) expect((await w.store.audit.verify(m)).problems).toEqual([]);
    const repaired = (await w.store.audit.entries(month)).filter((e) => e.action === 'repaired');
    expect(repaired).toHaveLength(1);
    await w.store.close();
    // And the folder opens normally afterwards.
    await w.reopen();
    expect((await w.store.ledger.inMonth(month)).length).toBe(before.size);
  }, 120_000);
});
