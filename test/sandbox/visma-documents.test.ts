import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { toMinor } from '../../shared/money.js';
import { startVisma, type VismaWorld } from './http.js';

let w: VismaWorld;
beforeAll(async () => {
  w = await startVisma({ invoices: 80, creditNotes: 10 });
});
afterAll(() => w.close());

function pick(predicate: (d: SandboxDocument) => boolean, exclude: string[] = []): SandboxDocument {
  const doc = w.visma.state.documents.find((d) => predicate(d) && !exclude.includes(d.referenceNumber));
  if (!doc) throw new Error('no such document in the seed');
  return doc;
}
const used: string[] = [];
/** A fresh invoice of a status, never handed out twice (tests change them). */
function invoice(status: SandboxDocument['status'], extra: (d: SandboxDocument) => boolean = () => true) {
  const d = pick((x) => x.kind === 'invoice' && x.status === status && extra(x), used);
  used.push(d.referenceNumber);
  return d;
}
const path = (d: SandboxDocument) =>
  `/v1/${d.kind === 'invoice' ? 'customerinvoice' : 'customerCreditNote'}/${d.referenceNumber}`;

describe('customer debit notes (/v1/customerDebitNote)', () => {
  const debit = () => pick((d) => d.kind === 'debit-note' && d.status === 'Balanced', used);

  it('list (with the invoices’ filters and paging) and GET with an ETag; lines are invoiceLines', async () => {
    const list = await w.get('/v1/customerDebitNote?pageSize=3&pageNumber=1&expandTaxDetails=true');
    expect(list.status).toBe(200);
    const all = w.visma.state.documents.filter((d) => d.kind === 'debit-note');
    expect(list.body).toHaveLength(Math.min(3, all.length));
    expect(list.body[0].metadata.totalCount).toBe(all.length);
    for (const d of list.body) {
      expect(d.documentType).toBe('DebitNote');
      expect(Array.isArray(d.invoiceLines)).toBe(true);
      expect('lines' in d).toBe(false);
    }
    const d = debit();
    const one = await w.get(`/v1/customerDebitNote/${d.referenceNumber}`);
    expect(one.headers.get('etag')).toBe(`"${d.timeStamp}"`);
    expect((await w.get(`/v1/customerinvoice/${d.referenceNumber}`)).status).toBe(404);
    expect((await w.get('/v1/customerDebitNote?status=Nope')).status).toBe(400);
  });

  it('PUT with If-Match (invoiceLines, taxDetailLines), then release', async () => {
    const d = debit();
    used.push(d.referenceNumber);
    const p = `/v1/customerDebitNote/${d.referenceNumber}`;
    const stale = await w.put(
      p,
      { note: { value: 'x' } },
      { 'if-match': '"AAAAAAAAAAE="', 'erp-api-background': 'none' },
    );
    expect((await w.get(`/v1/background/${stale.body.id}`)).body.statusCode).toBe(412);
    const body = { invoiceLines: [{ operation: 'Update', lineNumber: { value: 1 }, vatCodeId: { value: 'FOOD' } }] };
    const put = await w.put(p, body, { 'if-match': `"${w.visma.find('debit-note', d.referenceNumber)!.timeStamp}"` });
    expect(put.status).toBe(204);
    expect(w.visma.find('debit-note', d.referenceNumber)!.lines[0]!.vatCode?.id).toBe('FOOD');
    expect((await w.put(p, { lines: body.invoiceLines })).status).toBe(400);
    const released = await w.post(`${p}/action/release`);
    expect(released.body.actionResult).toBe('Queued');
    expect((await w.get(p)).body.status).toBe('Open');
  });
});

describe('document DTO', () => {
  it('lists carry taxDetails only with expandTaxDetails=true; a single GET always', async () => {
    const plain = await w.get('/v1/customerinvoice?pageSize=5');
    expect(plain.body).toHaveLength(5);
    for (const d of plain.body) expect('taxDetails' in d).toBe(false);
    const expanded = await w.get('/v1/customerinvoice?pageSize=5&expandTaxDetails=true');
    for (const d of expanded.body) expect(Array.isArray(d.taxDetails)).toBe(true);
    expect(expanded.body.some((d: { taxDetails: unknown[] }) => d.taxDetails.length > 0)).toBe(true);
    expect((await w.get('/v1/customerinvoice?expandTaxDetails=yes')).status).toBe(400);
    const one = await w.get(`/v1/customerinvoice/${plain.body[0].referenceNumber}`);
    expect(Array.isArray(one.body.taxDetails)).toBe(true);
  });

  it('a list page shapes only its own documents (a page of 100 out of 50,000 costs 100)', async () => {
    const invoices = w.visma.state.documents.filter((d) => d.kind === 'invoice');
    const outside = invoices.at(-1)!;
    const lines = outside.lines;
    // A document that cannot be shaped into its DTO, far outside the first page: reading page 1 never touches it.
    (outside as { lines: unknown }).lines = null;
    try {
      const first = await w.get('/v1/customerinvoice?pageSize=5&pageNumber=1&expandTaxDetails=true');
      expect(first.status).toBe(200);
      expect(first.body).toHaveLength(5);
      expect(first.body[0].metadata.totalCount).toBe(invoices.length);
    } finally {
      outside.lines = lines;
    }
  });

  it('zone, location, exchange rate, base and document-currency amounts; credit notes carry applications', async () => {
    const doc = pick(
      (d) => d.kind === 'invoice' && d.currencyId === 'EUR' && d.taxDetails.some((t) => t.vatAmount !== 0),
    );
    const r = await w.get(path(doc));
    const b = r.body;
    expect(b.exchangeRate).toBe(11.45);
    expect(b.customerVatZone).toEqual({ id: doc.customerVatZoneId, description: expect.any(String) });
    expect(b.location === null || typeof b.location.countryId === 'string').toBe(true);
    const sumCur = b.taxDetails.reduce((s: number, t: { vatAmount: number }) => s + toMinor(t.vatAmount), 0);
    expect(toMinor(b.vatTotalInCurrency)).toBe(sumCur);
    expect(toMinor(b.vatTotal)).toBe(Math.round(sumCur * 11.45));
    expect(toMinor(b.amountInCurrency)).toBe(toMinor(b.detailTotalInCurrency) + toMinor(b.vatTotalInCurrency));
    expect(toMinor(b.amount)).toBe(toMinor(b.detailTotal) + toMinor(b.vatTotal));
    expect(b.invoiceLines[0]).toHaveProperty('amountInCurrency');
    expect(b.applications).toBeUndefined();
    const credit = await w.get('/v1/customerCreditNote?pageSize=100&expandApplications=true');
    for (const c of credit.body) expect(Array.isArray(c.applications)).toBe(true);
  });

  it('applications come only with expandApplications=true, in a list as in a single GET (stricter reading)', async () => {
    const named = pick((d) => d.kind === 'credit-note' && d.applications.length > 0);
    const plain = await w.get('/v1/customerCreditNote?pageSize=100');
    for (const c of plain.body) expect('applications' in c).toBe(false);
    const one = await w.get(`/v1/customerCreditNote/${named.referenceNumber}`);
    expect('applications' in one.body).toBe(false);
    const asked = await w.get(`/v1/customerCreditNote/${named.referenceNumber}?expandApplications=true`);
    expect(asked.body.applications[0].refNbr).toBe(named.applications[0]!.refNbr);
    expect((await w.get('/v1/customerCreditNote?expandApplications=maybe')).status).toBe(400);
  });

  it("taxDetailsCurrency 'base' reports tax detail amounts in SEK (the product must notice)", async () => {
    const doc = pick((d) => d.currencyId === 'DKK' && d.taxDetails.some((t) => t.vatAmount !== 0));
    w.visma.taxDetailsCurrency = 'base';
    try {
      const r = await w.get(path(doc));
      expect(toMinor(r.body.taxDetails[0].vatAmount)).toBe(Math.round(toMinor(doc.taxDetails[0]!.vatAmount) * 1.52));
    } finally {
      w.visma.taxDetailsCurrency = 'document';
    }
  });
});

describe('list filters', () => {
  const refs = (body: { referenceNumber: string }[]) => body.map((d) => d.referenceNumber).sort();
  const invoices = () => w.visma.state.documents.filter((d) => d.kind === 'invoice');

  it('documentDate with its condition selects by document date, inclusive with >= and <=', async () => {
    const dates = invoices()
      .map((d) => d.documentDate)
      .sort();
    const pivot = dates[Math.floor(dates.length / 2)]!;
    const from = await w.get(`/v1/customerinvoice?pageSize=100&documentDate=${pivot}&documentDateCondition=%3E%3D`);
    expect(from.status).toBe(200);
    expect(refs(from.body)).toEqual(refs(invoices().filter((d) => d.documentDate >= pivot)));
    const to = await w.get(`/v1/customerinvoice?pageSize=100&documentDate=${pivot}&documentDateCondition=%3C%3D`);
    expect(refs(to.body)).toEqual(refs(invoices().filter((d) => d.documentDate <= pivot)));
    const after = await w.get(`/v1/customerinvoice?pageSize=100&documentDate=${pivot}&documentDateCondition=%3E`);
    expect(refs(after.body)).toEqual(refs(invoices().filter((d) => d.documentDate > pivot)));
  });

  it('a documentDate without its condition, with an unknown condition, or not a real date, is a 400', async () => {
    for (const query of [
      'documentDate=2026-11-01',
      'documentDate=2026-11-01&documentDateCondition=%3D%3D',
      'documentDate=2026-11-01&documentDateCondition=between',
      'documentDate=2026-02-30&documentDateCondition=%3E%3D',
      'documentDate=yesterday&documentDateCondition=%3E%3D',
    ]) {
      const r = await w.get(`/v1/customerinvoice?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.ExceptionMessage, query).toMatch(/documentDate/);
    }
  });

  it('status and customer filter; an unknown status is a 400, not an empty list', async () => {
    const doc = invoices().find((d) => d.status === 'Balanced')!;
    const c = doc.customer.number;
    const r = await w.get(`/v1/customerinvoice?pageSize=100&status=Balanced&customer=${c}`);
    expect(refs(r.body)).toEqual(refs(invoices().filter((d) => d.status === 'Balanced' && d.customer.number === c)));
    expect(refs(r.body)).toContain(doc.referenceNumber);
    const bad = await w.get('/v1/customerinvoice?status=Unreleased');
    expect(bad.status).toBe(400);
    expect(bad.body.ExceptionMessage).toMatch(/status/);
  });
});

describe('remembered listings (the bench host asks for them)', () => {
  it('serve every page as an unremembered listing would, and forget on a write, an addition or a deletion', async () => {
    const own = await startVisma({ invoices: 30, creditNotes: 0 });
    try {
      const list = async (page: number) =>
        (await own.get(`/v1/customerinvoice?status=Balanced&pageSize=5&pageNumber=${page}`)).body.map(
          (d: { referenceNumber: string; timeStamp: string }) => `${d.referenceNumber} ${d.timeStamp}`,
        );
      const plain = [await list(1), await list(2)];
      own.visma.rememberListings = true;
      expect([await list(1), await list(2)]).toEqual(plain);
      // A write (a new timeStamp), a document added, one deleted: each is seen at once.
      const balanced = own.visma.state.documents.filter((d) => d.kind === 'invoice' && d.status === 'Balanced');
      own.visma.touch(balanced[0]!);
      expect((await list(1))[0]).not.toEqual(plain[0]![0]);
      const copy = { ...balanced[1]!, referenceNumber: '999001' };
      own.visma.touch(copy);
      own.visma.state.documents.unshift(copy);
      expect((await list(1))[0]).toMatch(/^999001 /);
      own.visma.state.documents.shift();
      expect((await list(1))[0]).not.toMatch(/^999001 /);
      own.visma.rememberListings = false;
      expect(own.visma.listings).toBeUndefined();
    } finally {
      await own.close();
    }
  });
});

describe('PUT on an unreleased document', () => {
  it('Visma recomputes the tax details in a computed zone: sent tax lines are ignored', async () => {
    const doc = invoice('Balanced', (d) => d.customerVatZoneId === '01' && d.currencyId === 'SEK');
    const lineNumber = doc.lines[0]!.lineNumber;
    const r = await w.put(path(doc), {
      invoiceLines: [{ operation: 'Update', lineNumber: { value: lineNumber }, vatCodeId: { value: 'BOOK' } }],
      taxDetailLines: [{ taxId: { value: 'MP1' }, taxableAmount: { value: 1 }, vatAmount: { value: 999 } }],
      note: { value: 'Ändrad av test' },
    });
    expect(r.status).toBe(204);
    const after = w.visma.find('invoice', doc.referenceNumber)!;
    expect(after.lines[0]!.vatCode?.id).toBe('BOOK');
    expect(after.taxDetails.some((t) => t.vatAmount === 999)).toBe(false);
    expect(after.taxDetails.find((t) => t.taxId === 'MP3')).toBeDefined();
    expect(after.note).toBe('Ändrad av test');
    expect(r.headers.get('etag')).toBe(`"${after.timeStamp}"`);
  });

  it('changing the zone recomputes; an unknown zone or category, or an inactive category, is a 400 that changes nothing', async () => {
    const doc = w.visma.editDocument(
      'invoice',
      invoice('Balanced', (d) => d.customerVatZoneId === '01').referenceNumber,
      (d) => {
        for (const l of d.lines) l.vatCode = { id: 'STD', description: 'Standard' };
      },
    );
    expect(doc.taxDetails.map((t) => t.taxId)).toEqual(['MP1']);
    expect((await w.put(path(doc), { customerVatZoneId: { value: 'OSSDE' } })).status).toBe(204);
    expect(w.visma.find('invoice', doc.referenceNumber)!.taxDetails.map((t) => t.taxId)).toEqual(['OSS-DE19']);
    const before = JSON.stringify(w.visma.find('invoice', doc.referenceNumber));
    const line = { operation: 'Update', lineNumber: { value: 1 } };
    for (const body of [
      { customerVatZoneId: { value: 'NOPE' } },
      { invoiceLines: [{ ...line, vatCodeId: { value: 'NOPE' } }] },
      { invoiceLines: [{ ...line, vatCodeId: { value: 'MOMS25-GML' } }], note: { value: 'x' } },
      { invoiceLines: [{ ...line, vatCodeId: { value: 'STD' }, quantity: { value: 2 } }] },
      { invoiceText: { value: 'x' } },
    ]) {
      const r = await w.put(path(doc), body);
      expect(r.status).toBe(400);
      expect(r.body.ExceptionType).toBe('IPPException');
    }
    const inactive = await w.put(path(doc), { invoiceLines: [{ ...line, vatCodeId: { value: 'MOMS25-GML' } }] });
    expect(inactive.body.ExceptionMessage).toMatch(/VatCodeId/);
    expect(JSON.stringify(w.visma.find('invoice', doc.referenceNumber))).toBe(before);
  });

  it("manual-entry zone keeps the sent amounts: 'replace' (default) and 'append'", async () => {
    const doc = invoice('Balanced');
    const lines = [
      { taxId: { value: 'US-SALESTAX' }, taxableAmount: { value: 1000 }, vatAmount: { value: 77.5 } },
      { taxId: { value: 'US-SALESTAX' }, taxableAmount: { value: 200 }, vatAmount: { value: 17.76 } },
    ];
    expect((await w.put(path(doc), { customerVatZoneId: { value: 'USMAN' }, taxDetailLines: lines })).status).toBe(204);
    let stored = w.visma.find('invoice', doc.referenceNumber)!;
    expect(stored.taxDetails.map((t) => [t.taxId, t.taxableAmount, t.vatAmount])).toEqual([
      ['US-SALESTAX', 1000, 77.5],
      ['US-SALESTAX', 200, 17.76],
    ]);
    expect(stored.vatTotalInCurrency).toBe(95.26);
    // Replace: the sent list becomes the list.
    await w.put(path(doc), { taxDetailLines: [lines[0]] });
    expect(w.visma.find('invoice', doc.referenceNumber)!.taxDetails).toHaveLength(1);
    // Without tax lines: kept, even when the line categories change.
    await w.put(path(doc), {
      invoiceLines: [{ operation: 'Update', lineNumber: { value: 1 }, vatCodeId: { value: 'FOOD' } }],
    });
    expect(w.visma.find('invoice', doc.referenceNumber)!.taxDetails.map((t) => t.vatAmount)).toEqual([77.5]);
    // Append: added after the existing ones, even for a taxId already there.
    w.visma.taxDetailsOnPut = 'append';
    try {
      await w.put(path(doc), { taxDetailLines: [lines[1]] });
    } finally {
      w.visma.taxDetailsOnPut = 'replace';
    }
    stored = w.visma.find('invoice', doc.referenceNumber)!;
    expect(stored.taxDetails.map((t) => t.vatAmount)).toEqual([77.5, 17.76]);
    expect(new Set(stored.taxDetails.map((t) => t.recordId)).size).toBe(2);
    // A VAT id outside the zone, or with more than two decimals, is refused.
    const outside = await w.put(path(doc), {
      taxDetailLines: [{ taxId: { value: 'MP1' }, taxableAmount: { value: 1 }, vatAmount: { value: 0.25 } }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.ExceptionMessage).toMatch(/TaxId/);
    const decimals = await w.put(path(doc), {
      taxDetailLines: [{ taxId: { value: 'US-SALESTAX' }, taxableAmount: { value: 1 }, vatAmount: { value: 0.255 } }],
    });
    expect(decimals.status).toBe(400);
    expect(w.visma.find('invoice', doc.referenceNumber)!.taxDetails.map((t) => t.vatAmount)).toEqual([77.5, 17.76]);
  });

  it('hold and the dates are accepted; every successful PUT bumps lastModifiedDateTime', async () => {
    const doc = invoice('Balanced');
    const before = doc.lastModifiedDateTime;
    const r = await w.put(path(doc), {
      hold: { value: true },
      documentDueDate: { value: '2027-01-31' },
      cashDiscountDate: { value: '2027-01-10T00:00:00' },
    });
    expect(r.status).toBe(204);
    const after = w.visma.find('invoice', doc.referenceNumber)!;
    expect([after.status, after.hold, after.documentDueDate, after.cashDiscountDate]).toEqual([
      'Hold',
      true,
      '2027-01-31',
      '2027-01-10',
    ]);
    expect(after.lastModifiedDateTime > before).toBe(true);
  });

  it("If-Match: by default ('background-only') checked only for a background request, when the job runs", async () => {
    const doc = invoice('Balanced');
    const stale = { 'if-match': '"AAAAAAAAAAE="' };
    expect(w.visma.enforceIfMatch).toBe('background-only');
    // Without erp-api-background the stale If-Match is ignored: the write overwrites whatever changed meanwhile.
    expect((await w.put(path(doc), { note: { value: 'b' } }, stale)).status).toBe(204);
    const accepted = await w.put(path(doc), { note: { value: 'c' } }, { ...stale, 'erp-api-background': 'none' });
    expect(accepted.status).toBe(202);
    expect(accepted.body.stateLocation).toMatch(new RegExp(`/v1/background/${accepted.body.id}$`));
    expect(w.visma.find('invoice', doc.referenceNumber)!.note).toBe('b');
    const state = await w.get(`/v1/background/${accepted.body.id}`);
    expect(state.body).toMatchObject({ status: 'Failed', statusCode: 412, hasResponseContent: true });
    expect(state.body.finishedUtc).toEqual(expect.any(String));
    const content = await w.get(`/v1/background/${accepted.body.id}/content`);
    expect(content.body.ExceptionMessage).toMatch(/If-Match/);
    expect(w.visma.find('invoice', doc.referenceNumber)!.note).toBe('b');
    // A callback URL is deprecated: refused.
    expect((await w.put(path(doc), {}, { 'erp-api-background': 'https://example.test/hook' })).status).toBe(400);
    w.visma.enforceIfMatch = 'always';
    try {
      expect((await w.put(path(doc), { note: { value: 'a' } }, stale)).status).toBe(412);
    } finally {
      w.visma.enforceIfMatch = 'background-only';
    }
  });

  it('a background write runs only when its state is read; an edit made before then is caught by If-Match', async () => {
    const doc = invoice('Balanced');
    const current = w.visma.find('invoice', doc.referenceNumber)!.timeStamp;
    const accepted = await w.put(
      path(doc),
      { note: { value: 'ours' } },
      { 'if-match': `"${current}"`, 'erp-api-background': 'none' },
    );
    expect(w.visma.find('invoice', doc.referenceNumber)!.note).not.toBe('ours');
    w.visma.editDocument('invoice', doc.referenceNumber, (d) => {
      d.note = 'a colleague’s';
    });
    const state = await w.get(`/v1/background/${accepted.body.id}`);
    expect(state.body.statusCode).toBe(412);
    expect(w.visma.find('invoice', doc.referenceNumber)!.note).toBe('a colleague’s');
  });
});

describe('released documents refuse VAT changes', () => {
  it('Open: only the due date and the cash discount date; anything else is a 400 that changes nothing', async () => {
    const doc = invoice('Open');
    const before = JSON.stringify(w.visma.find('invoice', doc.referenceNumber));
    for (const body of [
      { note: { value: 'x' } },
      { invoiceLines: [{ operation: 'Update', lineNumber: { value: 1 }, vatCodeId: { value: 'FOOD' } }] },
      { documentDueDate: { value: '2027-02-01' }, customerVatZoneId: { value: '01' } },
    ]) {
      const r = await w.put(path(doc), body);
      expect(r.status).toBe(400);
      expect(r.body.ExceptionMessage).toBe(
        `Error: Document ${doc.referenceNumber} is released: only the due date and the cash discount date can be changed.`,
      );
    }
    expect(JSON.stringify(w.visma.find('invoice', doc.referenceNumber))).toBe(before);
    const ok = await w.put(path(doc), { documentDueDate: { value: '2027-02-01' }, cashDiscountDate: { value: null } });
    expect(ok.status).toBe(204);
    expect(w.visma.find('invoice', doc.referenceNumber)!.documentDueDate).toBe('2027-02-01');
  });

  it('Closed and Voided: nothing', async () => {
    const doc = invoice('Closed');
    expect((await w.put(path(doc), { documentDueDate: { value: '2027-02-01' } })).status).toBe(400);
    const voided = w.visma.voidDocument('invoice', invoice('Balanced').referenceNumber);
    expect(voided.status).toBe('Voided');
    expect((await w.put(path(voided), { note: { value: 'x' } })).status).toBe(400);
  });
});

describe('correct, delete, release', () => {
  it('correct: a reversing credit note applied to the invoice, a corrected copy on hold, the original closed', async () => {
    const doc = invoice('Open', (d) => d.taxDetails.length > 0);
    const r = await w.post(`/v1/customerinvoice/${doc.referenceNumber}/action/correct`);
    expect(r.status).toBe(200);
    const copy = w.visma.find('invoice', r.body.referenceNumber)!;
    expect(r.headers.get('etag')).toBe(`"${copy.timeStamp}"`);
    expect(copy.referenceNumber).toMatch(/^26\d{4}$/);
    expect(copy.referenceNumber).not.toBe(doc.referenceNumber);
    expect([copy.status, copy.hold, copy.customerVatZoneId, copy.documentDate, copy.customer.number]).toEqual([
      'Hold',
      true,
      doc.customerVatZoneId,
      doc.documentDate,
      doc.customer.number,
    ]);
    expect(copy.lines).toEqual(doc.lines);
    expect(copy.location).toEqual(doc.location);
    expect(w.visma.find('invoice', doc.referenceNumber)!.status).toBe('Closed');
    const credit = w.visma.state.documents.find(
      (d) => d.kind === 'credit-note' && d.applications.some((a) => a.refNbr === doc.referenceNumber),
    )!;
    expect(credit.referenceNumber).toMatch(/^27\d{4}$/);
    expect([credit.status, credit.origInvoiceDate, credit.amountInCurrency]).toEqual([
      'Open',
      doc.documentDate,
      doc.amountInCurrency,
    ]);
    expect(credit.taxDetails.map((t) => t.vatAmount)).toEqual(doc.taxDetails.map((t) => t.vatAmount));
    expect(credit.applications[0]).toMatchObject({
      docType: 'Invoice',
      customerCd: doc.customer.number,
      refNbr: doc.referenceNumber,
      amountPaid: doc.amountInCurrency,
      balance: 0,
      released: true,
      status: 'Closed',
    });
    const listed = await w.get(`/v1/customerCreditNote/${credit.referenceNumber}?expandApplications=true`);
    expect(listed.body.applications[0].refNbr).toBe(doc.referenceNumber);
    // Only an open invoice can be corrected.
    expect((await w.post(`/v1/customerinvoice/${doc.referenceNumber}/action/correct`)).status).toBe(400);
    expect((await w.post(`/v1/customerinvoice/${copy.referenceNumber}/action/correct`)).status).toBe(400);
  });

  it('correctDocument does what a person does, and refuses what Visma refuses', () => {
    const doc = invoice('Open');
    const { creditNote, invoice: copy } = w.visma.correctDocument(doc.referenceNumber);
    expect(creditNote.kind).toBe('credit-note');
    expect(copy.status).toBe('Hold');
    expect(() => w.visma.correctDocument(doc.referenceNumber)).toThrow();
  });

  it('delete: Hold / Balanced go (204), released ones stay (400)', async () => {
    const balanced = invoice('Balanced');
    expect((await w.del(path(balanced))).status).toBe(204);
    expect(w.visma.find('invoice', balanced.referenceNumber)).toBeUndefined();
    expect((await w.get(path(balanced))).status).toBe(404);
    const open = invoice('Open');
    expect((await w.del(path(open))).status).toBe(400);
    expect(w.visma.find('invoice', open.referenceNumber)).toBeDefined();
    const credit = pick((d) => d.kind === 'credit-note' && d.status === 'Balanced');
    expect((await w.del(path(credit))).status).toBe(204);
  });

  it('release (queued by default): answers Queued, releases once the document is read; anything but Balanced 400', async () => {
    const doc = invoice('Balanced');
    const queued = await w.post(`${path(doc)}/action/release`);
    expect(queued.status).toBe(200);
    expect(queued.body).toMatchObject({ actionId: expect.any(String), actionResult: 'Queued', errorInfo: null });
    expect(w.visma.find('invoice', doc.referenceNumber)!.status).toBe('Balanced');
    expect((await w.get(path(doc))).body.status).toBe('Open');
    expect((await w.post(`${path(doc)}/action/release`)).status).toBe(400);
  });

  it("release: a queued one fails when the document changed meanwhile; 'immediate' answers Done or Failed", async () => {
    const held = invoice('Balanced');
    await w.post(`${path(held)}/action/release`);
    w.visma.editDocument('invoice', held.referenceNumber, (d) => {
      d.status = 'Hold';
      d.hold = true;
    });
    expect((await w.get(path(held))).body.status).toBe('Hold');
    w.visma.releaseAction = 'immediate';
    try {
      const done = invoice('Balanced');
      expect((await w.post(`${path(done)}/action/release`)).body.actionResult).toBe('Done');
      expect(w.visma.find('invoice', done.referenceNumber)!.status).toBe('Open');
      w.visma.releaseFailure = 'The financial period 202611 is closed.';
      const refused = invoice('Balanced');
      const failed = await w.post(`${path(refused)}/action/release`);
      expect(failed.body).toMatchObject({
        actionResult: 'Failed',
        errorInfo: 'The financial period 202611 is closed.',
      });
      expect(w.visma.find('invoice', refused.referenceNumber)!.status).toBe('Balanced');
    } finally {
      w.visma.releaseAction = 'queued';
      w.visma.releaseFailure = undefined;
    }
  });

  it('releaseDocument does what a person does: off hold first, VAT untouched; a released one is refused', () => {
    const held = invoice('Hold');
    const before = { vat: held.vatTotalInCurrency, details: structuredClone(held.taxDetails), ts: held.timeStamp };
    const released = w.visma.releaseDocument('invoice', held.referenceNumber);
    expect([released.status, released.hold]).toEqual(['Open', false]);
    expect([released.vatTotalInCurrency, released.taxDetails]).toEqual([before.vat, before.details]);
    expect(released.timeStamp).not.toBe(before.ts);
    expect(() => w.visma.releaseDocument('invoice', held.referenceNumber)).toThrow(
      /only unreleased documents can be released/,
    );
    expect(() => w.visma.releaseDocument('invoice', 'NOPE')).toThrow(/No invoice NOPE/);
  });
});
