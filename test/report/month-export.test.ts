import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, DOCUMENT_COLUMNS, exportMonth } from '../../electron/report/month-export.js';
import { taxMinor } from '../../shared/tax-details.js';
import { type EngineWorld, startEngineWorld, tempDir } from '../helpers/engine.js';
import { parseCsv } from '../helpers/parse-csv.js';

describe("the month's audit CSV matches what happened", () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 5 });
  });
  afterEach(() => w.close());

  it('has one row per audit entry and one per document, with the ledger amounts', async () => {
    await w.engine.run('user');
    const month = new Date().toISOString().slice(0, 7);
    const out = tempDir('taxsync-export-');
    const entries = [...(await w.store.audit.entries(month))];
    const result = await exportMonth(w.store, month, out, ',', { runId: 'export', actor: 'user' });
    const audit = parseCsv(readFileSync(result.auditFile, 'utf8'));
    expect(audit[0]).toEqual(AUDIT_COLUMNS.map((c) => c.header));
    expect(audit.length - 1).toBe(entries.length);
    expect(audit.slice(1).map((r) => r[3])).toEqual(entries.map((e) => e.action));
    expect(audit.slice(1).map((r) => r.at(-1))).toEqual(entries.map((e) => e.hash));

    const docs = parseCsv(readFileSync(result.documentsFile, 'utf8'));
    expect(docs[0]).toEqual(DOCUMENT_COLUMNS.map((c) => c.header));
    const inMonth = (await w.store.ledger.all()).filter((d) => d.documentDate.startsWith(month));
    expect(docs.length - 1).toBe(inMonth.length);
    const header = docs[0]!;
    const col = (name: string) => header.indexOf(name);
    for (const row of docs.slice(1)) {
      const kind = row[col('document_type')] === 'Invoice' ? 'invoice' : 'credit-note';
      const ledger = (await w.store.ledger.get(`${kind}:${row[col('reference_number')]}`))!;
      const tax = taxMinor(ledger);
      expect(row[col('tax')]).toBe(tax === undefined ? '' : (tax / 100).toFixed(2));
      expect(row[col('avatax_code')]).toBe(ledger.avataxCode);
      if (ledger.state === 'posted') expect(row[col('avatax_status')]).toBe('Committed');
    }
    const posted = docs.slice(1).filter((r) => r[col('state')] === 'Posted');
    expect(posted.length).toBe(
      (await w.store.ledger.byState('posted')).filter((d) => d.documentDate.startsWith(month)).length,
    );
    // The export itself is audited.
    expect((await w.store.audit.entries(month)).at(-1)!.action).toBe('exported');
    expect(join(out, `audit-${month}.csv`)).toBe(result.auditFile);
  });

  it('refuses a malformed month', async () => {
    await expect(exportMonth(w.store, '2026-13', tempDir(), ',', { runId: 'x', actor: 'user' })).rejects.toThrow(
      /2026-11/,
    );
  });
});
