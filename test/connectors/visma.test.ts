import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryableHttpError } from '../../electron/connectors/http.js';
import { LIST_PAGES_IN_FLIGHT } from '../../electron/connectors/visma/client.js';
import { parseVismaError, VismaError } from '../../electron/connectors/visma/errors.js';
import { VismaTokenProvider } from '../../electron/connectors/visma/token.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { formatReason } from '../../shared/reason-format.js';
import { TEST_NOW } from '../helpers/clock.js';
import { readApiFixture } from '../helpers/fixtures.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';

/** Two Balanced debit notes charging extra to the customers of the first two invoices. */
function seedDebitNotes(invoices: SandboxDocument[]): SandboxDocument[] {
  return invoices.slice(0, 2).map((inv, i) => ({
    ...structuredClone(inv),
    kind: 'debit-note' as const,
    documentType: 'DebitNote' as const,
    referenceNumber: String(280001 + i),
    status: 'Balanced' as const,
    hold: false,
  }));
}

describe('Visma.net client against the sandbox', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startWorld({ invoices: 45, creditNotes: 6 });
  });
  afterEach(() => world.close());

  it('gets a client-credentials token once and shares it between parallel calls', async () => {
    const { visma, tokens } = world.connectors();
    await Promise.all([visma.getCustomer('10001'), visma.getCustomer('10002'), visma.getCustomer('10003')]);
    expect(tokens.fetchCount).toBe(1);
    expect(world.sandboxes.visma.tokensIssued).toBe(1);
    const tokenRequest = world.sandboxes.visma.server.log.find((e) => e.path === '/connect/token')!;
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('tenant_id')).toBe(world.settings.visma.tenantId);
    expect(form.get('scope')).toBe('vismanet_erp_service_api:read vismanet_erp_service_api:update');
  });

  it('renews the token before it expires (proactively, with a margin)', async () => {
    let t = Date.parse(TEST_NOW);
    const { visma, tokens } = world.connectors({ now: () => t });
    await visma.getCustomer('10001');
    t += 3600_000 - 60_000; // inside the 2-minute margin
    await visma.getCustomer('10001');
    expect(tokens.fetchCount).toBe(2);
    expect(world.sandboxes.visma.server.log.filter((e) => e.status === 401)).toHaveLength(0);
  });

  it('refreshes and retries once after a 401', async () => {
    const { visma, tokens } = world.connectors();
    await visma.getCustomer('10001');
    world.sandboxes.visma.expireAllTokens();
    const { customer } = await visma.getCustomer('10002');
    expect(customer.number).toBe('10002');
    expect(tokens.fetchCount).toBe(2);
    expect(world.sandboxes.visma.server.log.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('reports wrong credentials as an auth error that names the likely cause', async () => {
    const { visma } = world.connectors();
    world.sandboxes.visma.state.clients[0]!.clientSecret = 'rotated';
    const error = await visma.getCustomer('10001').catch((e) => e);
    expect(error).toBeInstanceOf(VismaError);
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/invalid_client/);
  });

  it('asks for a credit note’s applications (listing and GET): the invoice it credits comes only when asked', async () => {
    const named = world.sandboxes.visma.state.documents.find(
      (d) => d.kind === 'credit-note' && d.applications.length > 0,
    )!;
    const { visma } = world.connectors();
    const listed = await visma.listModifiedSince('credit-note', '2000-01-01T00:00:00.000');
    const fromList = listed.documents.find((d) => d.referenceNumber === named.referenceNumber)!;
    expect(fromList.appliesToInvoice).toBe(named.applications[0]!.refNbr);
    const { document } = await visma.getDocument('credit-note', named.referenceNumber);
    expect(document.appliesToInvoice).toBe(named.applications[0]!.refNbr);
    const lists = world.sandboxes.visma.server.log.filter((e) => /^\/v1\/customerCreditNote/i.test(e.path));
    for (const e of lists) expect(e.query).toMatch(/expandApplications=true/);
  });

  it('reads debit notes from /v1/customerDebitNote, writes them back with If-Match and releases them', async () => {
    world.sandboxes.visma.state.documents.push(
      ...seedDebitNotes(world.sandboxes.visma.state.documents.filter((d) => d.kind === 'invoice')),
    );
    const { visma } = world.connectors();
    const listed = await visma.listModifiedSince('debit-note', '2000-01-01T00:00:00.000');
    expect(listed.documents.length).toBe(2);
    for (const d of listed.documents) {
      expect(d.kind).toBe('debit-note');
      expect(d.lines.length).toBeGreaterThan(0);
    }
    const ref = listed.documents[0]!.referenceNumber;
    const { document, etag } = await visma.getDocument('debit-note', ref);
    expect(etag).toBe(document.timeStamp);
    await visma.writeBack('debit-note', ref, etag, { lines: [{ lineNumber: 1, vatCodeId: 'FOOD' }] });
    expect(world.sandboxes.visma.find('debit-note', ref)!.lines[0]!.vatCode?.id).toBe('FOOD');
    const paths = world.sandboxes.visma.server.log.filter((e) => e.method !== 'POST').map((e) => e.path);
    expect(paths).toContain(`/v1/customerDebitNote/${ref}`);
    expect(paths).toContain('/v1/customerDebitNote');
  });

  it('pages through every document when the server caps the page size', async () => {
    world.sandboxes.visma.maxPageSize = 7;
    const { visma } = world.connectors();
    const result = await visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000', { pageSize: 500 });
    expect(result.documents).toHaveLength(45);
    expect(result.pages).toBe(7);
    expect(new Set(result.documents.map((d) => d.referenceNumber)).size).toBe(45);
    const first = world.sandboxes.visma.server.log.find((e) => e.path === '/v1/customerinvoice')!;
    expect(first.query).toContain('lastModifiedDateTimeCondition=%3E%3D');
  });

  it('retries a page that comes back empty before totalCount is reached (a truncated answer)', async () => {
    world.sandboxes.visma.maxPageSize = 10;
    world.sandboxes.visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/,
      query: /pageNumber=2(&|$)/,
      fault: { kind: 'status', status: 200, body: [] },
    });
    world.sandboxes.visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/,
      query: /pageNumber=3(&|$)/,
      fault: { kind: 'status', status: 200 },
    });
    const result = await world.connectors().visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000');
    expect(result.documents).toHaveLength(45);
  });

  it('refuses an incomplete listing rather than return fewer documents than totalCount', async () => {
    world.sandboxes.visma.maxPageSize = 10;
    world.sandboxes.visma.server.injectFault({
      method: 'GET',
      path: /^\/v1\/customerinvoice$/,
      query: /pageNumber=2(&|$)/,
      fault: { kind: 'status', status: 200, body: [] },
      times: 100,
    });
    const error = await world
      .connectors()
      .visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000')
      .catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.message).toMatch(/10 of 45/);
  });

  it('pages past 200 pages: no fixed cap on how many documents a listing may hold', async () => {
    world.sandboxes.visma.maxPageSize = 1;
    const result = await world.connectors().visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000');
    expect(result.documents).toHaveLength(45);
    expect(result.pages).toBe(45);
    const many = await startWorld({ invoices: 230, creditNotes: 0 });
    try {
      many.sandboxes.visma.maxPageSize = 1;
      const all = await many.connectors().visma.listModifiedSince('invoice', '2000-01-01T00:00:00.000');
      expect(all.documents).toHaveLength(230);
    } finally {
      await many.close();
    }
  }, 60_000);

  it('asks for the pages after the first several at a time, once totalCount says how many there are', async () => {
    const sandbox = world.sandboxes.visma;
    sandbox.maxPageSize = 5;
    sandbox.server.injectFault({ path: /^\/v1\/customerinvoice$/, fault: { kind: 'delay', ms: 30 }, times: Infinity });
    const order = (await world.connectors().visma.listModifiedSince('invoice', '2000-01-01')).documents;
    let now = 0;
    let peak = 0;
    sandbox.server.onRequest = (_m, path) => {
      if (path === '/v1/customerinvoice') peak = Math.max(peak, ++now);
    };
    sandbox.server.onHandled = (e) => {
      if (e.path === '/v1/customerinvoice') now--;
    };
    const result = await world.connectors().visma.listModifiedSince('invoice', '2000-01-01');
    expect(peak).toBe(LIST_PAGES_IN_FLIGHT);
    expect(result.pages).toBe(9);
    // Taken in page order, each once: the same listing as one page at a time.
    expect(result.documents.map((d) => d.referenceNumber)).toEqual(order.map((d) => d.referenceNumber));
    expect(new Set(result.documents.map((d) => d.referenceNumber)).size).toBe(45);
  });

  it('reads the window again when a document appears while it pages (totalCount moved)', async () => {
    const sandbox = world.sandboxes.visma;
    sandbox.maxPageSize = 10;
    let created = false;
    sandbox.server.onRequest = (method, path) => {
      if (
        !created &&
        method === 'GET' &&
        path === '/v1/customerinvoice' &&
        sandbox.server.log.filter((e) => e.path === '/v1/customerinvoice').length === 2
      ) {
        created = true;
        sandbox.createDocument('invoice', '260001', '269999');
      }
    };
    const result = await world.connectors().visma.listModifiedSince('invoice', '2000-01-01');
    expect(created).toBe(true);
    expect(result.documents.map((d) => d.referenceNumber)).toContain('269999');
    expect(result.documents).toHaveLength(46);
    expect(new Set(result.documents.map((d) => d.referenceNumber)).size).toBe(46);
    expect(sandbox.server.log.filter((e) => e.path === '/v1/customerinvoice').length).toBeGreaterThan(5);
  });

  it('filters by lastModifiedDateTime with >= (inclusive) on the server clock', async () => {
    const docs = world.sandboxes.visma.state.documents.filter((d) => d.kind === 'invoice');
    const sorted = docs.map((d) => d.lastModifiedDateTime).sort();
    const pivot = sorted[30]!;
    const { visma } = world.connectors();
    const result = await visma.listModifiedSince('invoice', pivot);
    expect(result.documents.length).toBe(sorted.filter((s) => s >= pivot).length);
    expect(result.documents.every((d) => d.lastModifiedDateTime >= pivot)).toBe(true);
    expect(result.documents.map((d) => d.lastModifiedDateTime)).toContain(pivot);
  });

  it('lists by document date (>=), of one status and one customer, paging like every listing', async () => {
    world.sandboxes.visma.maxPageSize = 4;
    const docs = world.sandboxes.visma.state.documents.filter((d) => d.kind === 'invoice');
    const dates = docs.map((d) => d.documentDate).sort();
    const from = dates[20]!;
    const { visma } = world.connectors();
    const all = await visma.listByDocumentDate('invoice', from);
    expect(all.documents.map((d) => d.referenceNumber).sort()).toEqual(
      docs
        .filter((d) => d.documentDate >= from)
        .map((d) => d.referenceNumber)
        .sort(),
    );
    const query = world.sandboxes.visma.server.log.find((e) => e.path === '/v1/customerinvoice')!.query;
    expect(query).toContain(`documentDate=${from}`);
    expect(query).toContain('documentDateCondition=%3E%3D');
    expect(query).toContain('expandTaxDetails=true');
    const one = docs.find((d) => d.documentDate >= from)!;
    const narrowed = await visma.listByDocumentDate('invoice', from, {
      status: one.status,
      customer: one.customer.number,
    });
    expect(narrowed.documents.map((d) => d.referenceNumber)).toContain(one.referenceNumber);
    for (const d of narrowed.documents) {
      expect(d.status).toBe(one.status);
      expect(d.customerNumber).toBe(one.customer.number);
    }
  });

  it('reads credit notes with their `lines` and original invoice date', async () => {
    const { visma } = world.connectors();
    const result = await visma.listModifiedSince('credit-note', '2000-01-01');
    expect(result.documents).toHaveLength(6);
    expect(result.documents[0]!.lines.length).toBeGreaterThan(0);
    expect(result.documents[0]!.origInvoiceDate).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it('reports unreadable list items instead of dropping them silently', async () => {
    world.sandboxes.visma.state.documents[0]!.customer = undefined as never;
    const { visma } = world.connectors();
    const result = await visma.listModifiedSince('invoice', '2000-01-01');
    expect(result.documents).toHaveLength(44);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.referenceNumber).toBe('260001');
    // Said as a code: the reader's words around the schema's own field names.
    expect(result.rejected[0]!.reason).toMatchObject({ code: 'visma-unreadable-number' });
    expect(formatReason(result.rejected[0]!.reason, 'sv')).toMatch(/^dokument 260001 kan inte läsas: customer/);
  });

  it('round-trips the ETag: write with If-Match, new ETag back, stale ETag gets 412', async () => {
    const { visma } = world.connectors();
    const ref = world.sandboxes.visma.state.documents.find(
      (d) => d.kind === 'invoice' && d.status === 'Balanced',
    )!.referenceNumber;
    const { document, etag } = await visma.getDocument('invoice', ref);
    expect(etag).toBe(document.timeStamp);
    const change = {
      vatZoneId: '01',
      lines: document.lines.map((l) => ({ lineNumber: l.lineNumber, vatCodeId: 'BOOK' })),
      taxDetails: [{ taxId: 'MP3', taxableAmount: 100, vatAmount: 6 }],
    };
    const newEtag = await visma.writeBack('invoice', ref, etag, change);
    expect(newEtag).toBeTruthy();
    expect(newEtag).not.toBe(etag);
    const put = world.sandboxes.visma.server.log.find((e) => e.method === 'PUT')!;
    expect(put.headers['if-match']).toBe(`"${etag}"`);
    const body = JSON.parse(put.body);
    expect(body.customerVatZoneId).toEqual({ value: '01' });
    expect(body.invoiceLines[0]).toEqual({
      operation: 'Update',
      lineNumber: { value: 1 },
      vatCodeId: { value: 'BOOK' },
    });
    expect(body.taxDetailLines[0]).toEqual({
      taxId: { value: 'MP3' },
      taxableAmount: { value: 100 },
      vatAmount: { value: 6 },
    });
    const after = await visma.getDocument('invoice', ref);
    expect(after.etag).toBe(newEtag);
    // Visma computes the VAT itself (zone 01 is not manual-entry): what it booked is read back, not assumed.
    expect(after.document.taxDetails?.map((t) => t.taxId)).toEqual(['MP3']);
    const stale = await visma.writeBack('invoice', ref, etag, change).catch((e) => e);
    expect(stale).toBeInstanceOf(VismaError);
    expect(stale.kind).toBe('precondition-failed');
    expect(stale.status).toBe(412);
    expect(stale.message).toMatch(/If-Match/);
  });

  it('writes in the background (erp-api-background) so If-Match is checked, and follows the job to its end', async () => {
    const sandbox = world.sandboxes.visma;
    expect(sandbox.enforceIfMatch).toBe('background-only');
    sandbox.background.pollsBeforeRun = 3;
    const { visma } = world.connectors();
    const ref = sandbox.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Balanced')!.referenceNumber;
    const { etag } = await visma.getDocument('invoice', ref);
    await visma.writeBack('invoice', ref, etag, { vatZoneId: '01' });
    const put = sandbox.server.log.find((e) => e.method === 'PUT')!;
    expect([put.status, put.headers['erp-api-background'], put.headers['if-match']]).toEqual([
      202,
      'none',
      `"${etag}"`,
    ]);
    // It came back only once the job had run: three reads of its state, the last one finished.
    const job = sandbox.background.jobs.at(-1)!;
    expect([job.status, job.statusCode, job.reads]).toEqual(['Succeeded', 204, 3]);
    expect(sandbox.find('invoice', ref)!.customerVatZoneId).toBe('01');

    // A colleague edits the document after Visma accepted the write and before it runs: caught, never overwritten.
    sandbox.background.pollsBeforeRun = 1;
    const now = await visma.getDocument('invoice', ref);
    sandbox.background.onRun = () => {
      sandbox.background.onRun = undefined;
      sandbox.editDocument('invoice', ref, (d) => {
        d.note = 'Edited by a colleague';
      });
    };
    const stale = await visma.writeBack('invoice', ref, now.etag, { vatZoneId: 'EU' }).catch((e) => e);
    expect(stale).toBeInstanceOf(VismaError);
    expect([stale.kind, stale.status]).toEqual(['precondition-failed', 412]);
    expect(sandbox.find('invoice', ref)!.customerVatZoneId).toBe('01');
    expect(sandbox.find('invoice', ref)!.note).toBe('Edited by a colleague');
  });

  it('release: followed through the background job and the queued action until Visma has released it', async () => {
    const sandbox = world.sandboxes.visma;
    expect(sandbox.releaseAction).toBe('queued');
    sandbox.releaseQueueReads = 2;
    const { visma } = world.connectors();
    const ref = sandbox.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Balanced')!.referenceNumber;
    const { etag } = await visma.getDocument('invoice', ref);
    await visma.release('invoice', ref, etag);
    // Never taken for done while queued: it returns only once the document is Open.
    expect(sandbox.find('invoice', ref)!.status).toBe('Open');
    const release = sandbox.server.log.find((e) => e.path.endsWith('/action/release'))!;
    expect(release.headers['erp-api-background']).toBe('none');
    expect(sandbox.background.jobs.at(-1)!.reply?.body).toMatchObject({ actionResult: 'Queued' });
  });

  it('release: a Failed action is an error with Visma’s words; one still queued after the checks is retried later', async () => {
    const sandbox = world.sandboxes.visma;
    const { visma } = world.connectors();
    const [a, b] = sandbox.state.documents.filter((d) => d.kind === 'invoice' && d.status === 'Balanced');
    sandbox.releaseAction = 'immediate';
    sandbox.releaseFailure = 'The financial period 202611 is closed.';
    const failed = await visma.release('invoice', a!.referenceNumber, a!.timeStamp).catch((e) => e);
    expect(failed).toBeInstanceOf(VismaError);
    expect(failed.kind).toBe('validation');
    expect(failed.message).toMatch(/could not release invoice .*financial period 202611 is closed/);
    expect(sandbox.find('invoice', a!.referenceNumber)!.status).toBe('Balanced');

    sandbox.releaseAction = 'queued';
    sandbox.releaseFailure = undefined;
    sandbox.releaseQueueReads = 1_000;
    const queued = await visma.release('invoice', b!.referenceNumber, b!.timeStamp).catch((e) => e);
    expect(queued).toBeInstanceOf(RetryableHttpError);
    expect(queued.message).toMatch(/queued .*not released it yet/);
    expect(sandbox.find('invoice', b!.referenceNumber)!.status).toBe('Balanced');
  });

  it('sends only the fields a change carries: never the note unless asked, and every name a real Visma DTO field', async () => {
    const { visma } = world.connectors();
    const dtos = readApiFixture<{ dtos: Record<string, { name: string; wrapped?: boolean }[]> }>(
      'visma-dtos.json',
    ).dtos;
    const fieldsOf = (dto: string) => new Map(dtos[dto]!.map((f) => [f.name, f]));
    const credit = world.sandboxes.visma.state.documents.find(
      (d) => d.kind === 'credit-note' && d.status === 'Balanced',
    )!;
    const { document, etag } = await visma.getDocument('credit-note', credit.referenceNumber);
    await visma.writeBack('credit-note', credit.referenceNumber, etag, {
      lines: document.lines.map((l) => ({ lineNumber: l.lineNumber, vatCodeId: 'STD' })),
    });
    const body = JSON.parse(world.sandboxes.visma.server.log.find((e) => e.method === 'PUT')!.body);
    expect(Object.keys(body)).toEqual(['lines']);
    const header = fieldsOf('CustomerCreditNoteUpdateDto');
    const line = fieldsOf('CustomerCreditNoteLineUpdateDto');
    for (const key of Object.keys(body)) expect(header.has(key), key).toBe(true);
    for (const [key, value] of Object.entries(body.lines[0] as Record<string, unknown>)) {
      expect(line.has(key), key).toBe(true);
      if (line.get(key)!.wrapped) expect(value).toHaveProperty('value');
    }
    const invoice = fieldsOf('CustomerInvoiceUpdateDto');
    for (const key of ['customerVatZoneId', 'invoiceLines', 'taxDetailLines', 'note'])
      expect(invoice.has(key), key).toBe(true);
  });

  it('reads VAT categories, zones and VAT ids, and a customer location', async () => {
    const { visma } = world.connectors();
    const vat = await visma.getVatData();
    expect(vat.categories.find((c) => c.vatCategoryId === 'BOOK')?.vatCategoryLines?.map((l) => l.vatId)).toContain(
      'MP3',
    );
    expect(vat.zones.map((z) => z.id)).toContain('USMAN');
    expect(vat.vats.find((v) => v.vatId === 'OSS-DE19')?.zones?.map((z) => z.id)).toEqual(['OSSDE']);
    const { location, etag } = await visma.getLocation('10001', 'OSLO');
    expect(location.address?.country?.id).toBe('NO');
    expect(etag).toBeTruthy();
  });

  it('tells a 400 (validation) apart from 412 and 204; a released document refuses VAT changes', async () => {
    const { visma } = world.connectors();
    const docs = world.sandboxes.visma.state.documents;
    const balanced = docs.find((d) => d.kind === 'invoice' && d.status === 'Balanced')!.referenceNumber;
    const { etag } = await visma.getDocument('invoice', balanced);
    const error = await visma
      .writeBack('invoice', balanced, etag, { lines: [{ lineNumber: 1, vatCodeId: 'NOPE' }] })
      .catch((e) => e);
    expect(error.kind).toBe('validation');
    expect(error.status).toBe(400);
    expect(error.exceptionType).toBe('IPPException');
    expect(error.message).toMatch(/VatCodeId/);
    const open = docs.find((d) => d.kind === 'invoice' && d.status === 'Open')!.referenceNumber;
    const openEtag = (await visma.getDocument('invoice', open)).etag;
    const refused = await visma.writeBack('invoice', open, openEtag, { vatZoneId: '01' }).catch((e) => e);
    expect([refused.kind, refused.status]).toEqual(['validation', 400]);
    expect(refused.message).toMatch(/released/);
  });

  it('updates a customer address, always sending county, with If-Match', async () => {
    const { visma } = world.connectors();
    const { customer, etag } = await visma.getCustomer('10010');
    expect(customer.mainAddress?.postalCode).toBe('5463');
    await visma.updateCustomer(
      '10010',
      {
        which: 'mainAddress',
        address: { addressLine1: 'Ängsbacka 1', postalCode: '546 31', city: 'Mölltorp', countryId: 'SE' },
      },
      etag,
    );
    const body = JSON.parse(world.sandboxes.visma.server.log.find((e) => e.method === 'PUT')!.body);
    expect(body.mainAddress.value.county).toEqual({ value: null });
    expect(body.mainAddress.value.countryId).toEqual({ value: 'SE' });
    const after = await visma.getCustomer('10010');
    expect(after.customer.mainAddress?.postalCode).toBe('546 31');
    expect(after.etag).not.toBe(etag);
    const stale = await visma
      .updateCustomer(
        '10010',
        { which: 'mainAddress', address: { addressLine1: 'x', postalCode: '546 31', city: 'y', countryId: 'SE' } },
        etag,
      )
      .catch((e) => e);
    expect(stale.kind).toBe('precondition-failed');
  });

  it('backs off on 429 with Retry-After and succeeds', async () => {
    world.sandboxes.visma.server.injectFault({
      path: /^\/v1\/customer\//,
      fault: { kind: 'status', status: 429, retryAfter: '0' },
      times: 2,
    });
    const { visma } = world.connectors();
    const { customer } = await visma.getCustomer('10001');
    expect(customer.number).toBe('10001');
  });

  it('leaves a replayable failure when 429s outlast the attempts', async () => {
    world.sandboxes.visma.server.injectFault({
      path: /^\/v1\/customer\//,
      fault: { kind: 'status', status: 429 },
      times: 99,
    });
    const { visma } = world.connectors({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await visma.getCustomer('10001').catch((e) => e);
    expect(error).toBeInstanceOf(RetryableHttpError);
    expect(error.attempts).toBe(3);
  });

  it('paces by X-RateLimit-Remaining/Reset, and waits for Retry-After on a 429', async () => {
    const sandbox = world.sandboxes.visma;
    sandbox.rateLimit = 2;
    const slept: number[] = [];
    const options = {
      retry: { maxAttempts: 2, maxRetryAfterMs: 10_000_000 },
      sleep: async (ms: number) => {
        slept.push(ms);
        sandbox.rateLimit = 100;
      },
    };
    const paced = world.connectors(options).visma;
    await paced.getCustomer('10001');
    await paced.getCustomer('10002'); // remaining hits 0 here
    await paced.getCustomer('10003'); // the client waits for the reset first: no 429
    const statuses = () => sandbox.server.log.filter((e) => e.path.startsWith('/v1/')).map((e) => e.status);
    expect(statuses()).toEqual([200, 200, 200]);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(3_000_000);
    expect(sandbox.server.log.at(-1)!.status).toBe(200);

    sandbox.rateLimit = 3; // spent: a client that has not seen the headers gets a 429 with Retry-After
    const fresh = world.connectors(options).visma;
    await fresh.getCustomer('10004');
    expect(statuses().slice(-2)).toEqual([429, 200]);
    expect(slept).toHaveLength(2);
  });

  it('parses all four error-body shapes into one typed error', () => {
    const ipp = parseVismaError(
      400,
      {
        ExceptionType: 'IPPException',
        ExceptionMessage: 'No license for this company.',
        ExceptionFaultCode: '12027',
        ExceptionMessageID: '12027_x',
        ExceptionDetails: '',
      },
      '',
    );
    expect([ipp.kind, ipp.message, ipp.faultCode, ipp.messageId]).toEqual([
      'validation',
      'No license for this company.',
      '12027',
      '12027_x',
    ]);
    const message = parseVismaError(401, { Message: 'Authorization has been denied for this request.' }, '');
    expect([message.kind, message.message]).toEqual(['auth', 'Authorization has been denied for this request.']);
    const text = parseVismaError(502, 'Bad Gateway', 'Bad Gateway');
    expect([text.kind, text.message, text.retryable]).toEqual(['server', 'Bad Gateway', true]);
    const empty = parseVismaError(404, undefined, '');
    expect([empty.kind, empty.message]).toEqual(['not-found', 'Visma.net answered HTTP 404 with no explanation']);
  });

  it('surfaces a plain-text and an empty error body from the wire', async () => {
    const { visma } = world.connectors({ retry: { maxAttempts: 1 } });
    world.sandboxes.visma.server.injectFault({
      path: /^\/v1\/customer\//,
      fault: { kind: 'status', status: 403, body: 'Forbidden by policy' },
    });
    const plain = await visma.getCustomer('10001').catch((e) => e);
    expect([plain.kind, plain.message]).toEqual(['forbidden', 'Forbidden by policy']);
    const missing = await visma.getCustomer('99999').catch((e) => e);
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toMatch(/Customer 99999 not found/);
  });

  it('refuses to ask for a token with incomplete credentials', async () => {
    const provider = new VismaTokenProvider({} as never, { clientId: '', clientSecret: 'x', tenantId: 't' });
    await expect(provider.get()).rejects.toThrow(/incomplete/);
  });
});
