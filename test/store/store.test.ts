import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/store/index.js';
import type { LedgerDocument } from '../../shared/domain.js';
import { tempDir } from '../helpers/engine.js';

/** A clock that moves one second per reading. */
function ticking(start: string): () => Date {
  let t = Date.parse(start);
  return () => {
    t += 1000;
    return new Date(t);
  };
}

function doc(ref: string, date: string): LedgerDocument {
  return {
    key: `invoice:${ref}`,
    documentType: 'invoice',
    referenceNumber: ref,
    customerNumber: '10001',
    customerName: 'Åkesson & Söner AB',
    documentDate: date,
    currency: 'SEK',
    amount: 10000,
    totalTax: 2500,
    state: 'posted',
    reasons: [],
    fingerprint: 'f',
    vismaStatus: 'Open',
    vismaTimeStamp: 'AAAA',
    vismaLastModified: `${date}T10:00:00.000`,
    avataxCode: `VN-INV-${ref}`,
    country: 'SE',
    lines: [],
    writtenBack: true,
    attempts: 1,
    firstProcessedAt: `${date}T10:00:00.000Z`,
    lastProcessedAt: `${date}T10:00:00.000Z`,
  };
}

describe('the lowdb store', () => {
  it('partitions the ledger by document month and rewrites only the months a checkpoint touched', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.ledger.put(doc('1', '2026-09-03'));
    await store.ledger.put(doc('2', '2026-10-03'));
    await store.checkpoint();
    const september = join(dir, 'ledger', '2026-09.json');
    const before = statSync(september).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await store.ledger.put(doc('3', '2026-11-03'));
    await store.checkpoint();
    expect(statSync(september).mtimeMs).toBe(before);
    expect(
      JSON.parse(readFileSync(join(dir, 'ledger', '2026-11.json'), 'utf8')).documents['invoice:3'].customerName,
    ).toBe('Åkesson & Söner AB');
    expect(readFileSync(september, 'utf8')).not.toContain('\n  '); // compact JSON

    const reopened = await openStore(dir);
    expect(
      reopened.ledger
        .all()
        .map((d) => d.referenceNumber)
        .sort(),
    ).toEqual(['1', '2', '3']);
  });

  it('moves a document to its new month when its date changes', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.ledger.put(doc('1', '2026-09-30'));
    await store.ledger.put(doc('1', '2026-10-01'));
    await store.checkpoint();
    const reopened = await openStore(dir);
    expect(reopened.ledger.all()).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'ledger', '2026-09.json'), 'utf8')).documents).toEqual({});
  });

  it('moves a corrupt file aside and reports it, never silently replacing it', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    await store.ledger.put(doc('1', '2026-11-01'));
    await store.checkpoint();
    writeFileSync(join(dir, 'ledger', '2026-11.json'), '{"documents": {"invoice:1": {');
    const reopened = await openStore(dir);
    expect(reopened.corrupt).toHaveLength(1);
    expect(reopened.corrupt[0]!.movedTo).toMatch(/2026-11\.json\.corrupt-/);
    expect(readFileSync(reopened.corrupt[0]!.movedTo, 'utf8')).toContain('invoice:1');
  });

  it('chains the audit trail so that an edited entry is detected', async () => {
    const dir = tempDir();
    const store = await openStore(dir, ticking('2026-11-20T08:00:00Z'));
    for (let i = 0; i < 5; i++)
      await store.audit.append({ runId: 'r', actor: 'user', action: 'calculated', detail: `entry ${i}` });
    await store.checkpoint();
    expect(await store.audit.verify('2026-11')).toBe(-1);
    const file = join(dir, 'audit', '2026-11.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('entry 2', 'entry 2 (edited)'));
    const reopened = await openStore(dir);
    expect(await reopened.audit.verify('2026-11')).toBe(2);
  });

  it('partitions the audit by the UTC month of the entry', async () => {
    const dir = tempDir();
    const store = await openStore(dir, ticking('2026-10-31T23:59:59Z'));
    await store.audit.append({ runId: 'r', actor: 'cli', action: 'run-started', detail: 'a' });
    await store.checkpoint();
    expect(store.audit.months()).toEqual(['2026-11']);
    expect((await store.audit.entries('2026-11'))[0]!.at).toBe('2026-11-01T00:00:00.000Z');
  });
});
