import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, DOCUMENT_COLUMNS, documentVatRows, exportMonth } from '../../electron/report/month-export.js';
import { taxOn } from '../../shared/money.js';
import { taxMinor } from '../../shared/tax-details.js';
import { type EngineWorld, startEngineWorld, tempDir } from '../helpers/engine.js';
import { parseCsv } from '../helpers/parse-csv.js';

/** How the CSV names each kind of document (a debit note is its own kind, never an invoice or a credit note). */
const TYPE = { invoice: 'Invoice', 'credit-note': 'Credit note', 'debit-note': 'Debit note' } as const;
const KIND = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));

describe("the month's audit CSV matches what happened", () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 5, debitNotes: 6 });
  });
  afterEach(() => w.close());

  it('has one row per audit entry and one per document, with the ledger amounts', async () => {
    await w.engine.run('user');
    const month = w.clock.month();
    const out = tempDir('taxsync-export-');
    const entries = [...(await w.store.audit.entries(month))];
    const result = await exportMonth(w.store, month, out, ',', { runId: 'export', actor: 'user' });
    const audit = parseCsv(readFileSync(result.auditFile, 'utf8'));
    expect(audit[0]).toEqual(AUDIT_COLUMNS.map((c) => c.header));
    expect(audit.length - 1).toBe(entries.length);
    expect(audit.slice(1).map((r) => r[3])).toEqual(entries.map((e) => e.action));
    const hash = audit[0]!.indexOf('entry_hash');
    expect(audit.slice(1).map((r) => r[hash])).toEqual(entries.map((e) => e.hash));

    const docs = parseCsv(readFileSync(result.documentsFile, 'utf8'));
    expect(docs.some((r) => r.includes('Debit note'))).toBe(true);
    expect(docs[0]).toEqual(DOCUMENT_COLUMNS.map((c) => c.header));
    const inMonth = (await w.store.ledger.all()).filter((d) => d.documentDate.startsWith(month));
    // One row per document and VAT id: a pivot by VAT id adds up.
    expect(result.documentRows).toBe(inMonth.length);
    expect(docs.length - 1).toBe(inMonth.reduce((s, d) => s + documentVatRows(d).length, 0));
    expect(result.documentLines).toBe(docs.length - 1);
    const header = docs[0]!;
    const col = (name: string) => header.indexOf(name);
    const num = (text: string | undefined) => (text ? Math.round(Number(text) * 100) : undefined);
    for (const d of inMonth.filter((x) => x.booked?.length)) {
      const rows = docs
        .slice(1)
        .filter(
          (r) => r[col('reference_number')] === d.referenceNumber && r[col('document_type')] === TYPE[d.documentType],
        );
      expect(rows.map((r) => r[col('vat_id')]).sort()).toEqual(documentVatRows(d).map((r) => r.vatId));
      const vat = rows.reduce((s, r) => s + (num(r[col('vat')]) ?? 0), 0);
      expect(vat, d.referenceNumber).toBe(d.bookedTax);
      for (const r of rows) {
        expect(num(r[col('gross')])).toBe((num(r[col('net')]) ?? 0) + (num(r[col('vat')]) ?? 0));
        expect(r[col('ship_to_country')]).toBe(d.country);
        expect(r[col('customer_vat_number')]).toBe(d.vatNumber ?? '');
        if (d.exchangeRate !== undefined)
          expect(num(r[col('vat_base')])).toBe(taxOn(num(r[col('vat')]) ?? 0, d.exchangeRate));
        const booked = num(r[col('booked_vat')]);
        const calculated = num(r[col('calculated_vat')]);
        if (booked !== undefined && calculated !== undefined) expect(num(r[col('variance')])).toBe(booked - calculated);
      }
    }
    expect(docs.slice(1).some((r) => r[col('vat_id')] === '')).toBe(
      inMonth.some((d) => documentVatRows(d)[0]!.vatId === undefined),
    );
    // Timestamps Excel reads as dates.
    for (const r of docs.slice(1))
      expect(r[col('first_processed_utc')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const r of audit.slice(1)) expect(r[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const seen = new Set<string>();
    for (const row of docs.slice(1)) {
      if (seen.has(row[col('reference_number')]! + row[col('document_type')]!)) continue;
      seen.add(row[col('reference_number')]! + row[col('document_type')]!);
      const kind = KIND[row[col('document_type')]!];
      expect(kind, row[col('document_type')]).toBeDefined();
      const ledger = (await w.store.ledger.get(`${kind}:${row[col('reference_number')]}`))!;
      const tax = taxMinor(ledger);
      expect(row[col('tax')]).toBe(tax === undefined ? '' : (tax / 100).toFixed(2));
      expect(row[col('avatax_code')]).toBe(ledger.avataxCode);
      if (ledger.state === 'posted') expect(row[col('avatax_status')]).toBe('Committed');
    }
    const posted = [
      ...new Set(
        docs
          .slice(1)
          .filter((r) => r[col('state_code')] === 'posted')
          .map((r) => r[col('document_type')]! + r[col('reference_number')]!),
      ),
    ];
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
