import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../electron/engine/errors.js';
import type { DryRunResult } from '../../electron/month/dry-run.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/**
 * The dry run against the sandboxes: the sync's own reading and AvaTax's calculation as an estimate, compared
 * with what Visma booked; nothing recorded in AvaTax, nothing written to Visma or the ledger, one audit entry.
 */
const docs = (w: EngineWorld) => w.sandboxes.visma.state.documents;

/** Every file of the data folder's ledger, byte for byte. */
function ledgerFiles(w: EngineWorld): Record<string, string> {
  const dir = join(w.dir, 'ledger');
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

interface Snapshot {
  avatax: string;
  visma: string;
  ledger: Record<string, string>;
  audit: number;
  /** Where the sandboxes' request logs stood. */
  logs: { avatax: number; visma: number };
}

async function snapshot(w: EngineWorld): Promise<Snapshot> {
  await w.store.checkpoint();
  const { visma, avatax } = w.sandboxes;
  return {
    avatax: JSON.stringify(avatax.state),
    visma: JSON.stringify([visma.state.documents, visma.state.customers, visma.state.locations]),
    ledger: ledgerFiles(w),
    audit: (await auditEntries(w)).length,
    logs: { avatax: avatax.server.log.length, visma: visma.server.log.length },
  };
}

async function auditEntries(w: EngineWorld) {
  const out = [];
  for (const m of w.store.audit.months()) out.push(...(await w.store.audit.entries(m)));
  return out;
}

/**
 * Nothing recorded anywhere, exactly one audit entry (the dry run's), AvaTax asked only for estimates (and
 * address checks), Visma only read.
 */
async function expectNothingRecorded(w: EngineWorld, before: Snapshot, result: DryRunResult) {
  const after = await snapshot(w);
  expect(after.avatax).toBe(before.avatax);
  expect(after.visma).toBe(before.visma);
  expect(after.ledger).toEqual(before.ledger);
  const entries = (await auditEntries(w)).filter((e) => e.runId === result.runId);
  expect(entries.map((e) => e.action)).toEqual(['dry-run']);
  expect(after.audit).toBe(before.audit + 1);
  const sent = w.sandboxes.avatax.server.log.slice(before.logs.avatax).filter((e) => e.method === 'POST');
  const creates = sent.filter((e) => e.path === '/api/v2/transactions/create');
  expect(creates.length).toBeGreaterThan(0);
  expect(sent.filter((e) => !creates.includes(e)).map((e) => e.path)).toEqual(
    sent.filter((e) => e.path === '/api/v2/addresses/resolve').map((e) => e.path),
  );
  for (const e of creates) expect(['SalesOrder', 'ReturnOrder']).toContain(JSON.parse(e.body).type);
  const changes = w.sandboxes.visma.server.log
    .slice(before.logs.visma)
    .filter((e) => e.method !== 'GET' && e.path !== '/connect/token');
  expect(changes).toEqual([]);
  return entries[0]!;
}

describe('the dry run', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await startEngineWorld({ invoices: 40, creditNotes: 8 });
    await w.engine.run('user');
  }, 60_000);
  afterEach(() => w.close());

  it('a date range: every document dated in it, booked against calculated, per document and per currency', async () => {
    const dates = docs(w)
      .map((d) => d.documentDate)
      .sort();
    const credits = docs(w).filter((d) => d.kind === 'credit-note');
    const from = dates[5]!;
    const to = credits.map((d) => d.documentDate).sort()[0]!;
    // One credit note a day after the range: the range's end is cut on our side.
    const later = credits.find((d) => d.documentDate === to && d !== credits[0]) ?? credits.at(-1)!;
    const dayAfter = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    w.sandboxes.visma.editDocument('credit-note', later.referenceNumber, (x) => {
      x.documentDate = dayAfter;
    });
    const before = await snapshot(w);
    const result = await w.engine.dryRun({ range: { from, to } }, 'cli');
    const expected = docs(w).filter((d) => d.documentDate >= from && d.documentDate <= to && d.status !== 'Voided');
    expect(result.documents.map((d) => `${d.documentType}:${d.referenceNumber}`).sort()).toEqual(
      expected.map((d) => `${d.kind}:${d.referenceNumber}`).sort(),
    );
    expect(result.documents.map((d) => d.referenceNumber)).not.toContain(later.referenceNumber);
    expect(result.documents.map((d) => d.documentDate)).toEqual(result.documents.map((d) => d.documentDate).sort());
    // Listed by document date on Visma's side, never everything.
    const lists = w.sandboxes.visma.server.log
      .slice(before.logs.visma)
      .filter((e) => /^\/v1\/customer(invoice|CreditNote)$/i.test(e.path));
    expect(lists.length).toBeGreaterThan(1);
    for (const l of lists) expect(l.query).toContain(`documentDate=${from}`);
    for (const d of result.documents) {
      expect(Number.isInteger(d.bookedVat)).toBe(true);
      if (d.calculatedVat !== null) {
        expect(d.difference).toBe(d.bookedVat! - d.calculatedVat); // Visma − AvaTax, as everywhere
        expect(d.lines.reduce((s, l) => s + l.bookedVat, 0)).toBe(d.bookedVat);
        for (const l of d.lines) expect(l.difference).toBe(l.bookedVat - l.calculatedVat);
      } else expect(d.problems.length).toBeGreaterThan(0);
      if (d.documentType === 'credit-note' && d.bookedVat !== 0) expect(d.bookedVat).toBeLessThan(0);
    }
    // Released documents booked by Visma's defaults, some wrongly: the dry run shows them, with the cause.
    const differing = result.documents.filter((d) => d.differs);
    expect(differing.length).toBeGreaterThan(0);
    for (const d of differing) expect(d.explanations.length + d.problems.length).toBeGreaterThan(0);
    for (const t of result.totals) {
      const mine = result.documents.filter((d) => d.currency === t.currency);
      expect(t.documents).toBe(mine.length);
      const calculated = mine.filter((d) => d.calculatedVat !== null);
      expect(t.calculated).toBe(calculated.length);
      expect(t.bookedVat).toBe(calculated.reduce((s, d) => s + d.bookedVat!, 0));
      expect(t.calculatedVat).toBe(calculated.reduce((s, d) => s + d.calculatedVat!, 0));
      expect(t.difference).toBe(t.bookedVat - t.calculatedVat);
      expect(t.differing).toBe(mine.filter((d) => d.differs).length);
    }
    expect(result.documents.some((d) => d.documentType === 'credit-note')).toBe(true);
    const entry = await expectNothingRecorded(w, before, result);
    const [fy, fm, fd] = from.split('-');
    const [ty, tm, td] = to.split('-');
    expect(text(entry.detail)).toMatch(
      new RegExp(`^Dry run of ${fd}/${fm}/${fy} to ${td}/${tm}/${ty}: ${result.documents.length} documents`),
    );
    expect(entry.detail).toMatchObject({ code: expect.stringMatching(/^dry-run-done/) });
    expect(entry.data).toMatchObject({ documents: result.documents.length, from, to, differing: differing.length });
  });

  it('a customer: all of its documents, whatever their date', async () => {
    const before = await snapshot(w);
    const customer = docs(w)[0]!.customer.number;
    const result = await w.engine.dryRun({ customer }, 'cli');
    const expected = docs(w).filter((d) => d.customer.number === customer && d.status !== 'Voided');
    expect(expected.length).toBeGreaterThan(0);
    expect(result.documents.map((d) => d.referenceNumber).sort()).toEqual(
      expected.map((d) => d.referenceNumber).sort(),
    );
    expect(result.documents.every((d) => d.customerNumber === customer)).toBe(true);
    await expectNothingRecorded(w, before, result);
  });

  it('all unreleased: a changed mapping row shows as a difference, a flagged address as a problem', async () => {
    const visma = w.sandboxes.visma;
    const balanced = docs(w).filter((d) => d.kind === 'invoice' && d.status === 'Balanced');
    // A Danish consumer's invoice in the OSS zone: Visma books OSS-DK25.
    const dane = visma.state.customers.find((c) => c.name === 'Søren Møller Byg')!;
    const danish = visma.editDocument('invoice', balanced[0]!.referenceNumber, (x) => {
      x.customer = { number: dane.number, name: dane.name };
      x.location = { id: 'MAIN', name: dane.name, countryId: 'DK' };
      x.customerVatZoneId = 'OSSDK';
      x.currencyId = 'DKK';
      x.exchangeRate = 1.52;
      for (const l of x.lines) l.vatCode = { id: 'STD', description: 'STD' };
    });
    // A Swedish customer whose delivery location lost its postal code format.
    const swede = balanced.find(
      (d) => d !== balanced[0] && d.location?.id === 'MAIN' && d.customerVatZoneId === '01',
    ) as SandboxDocument;
    const location = visma.state.locations.find(
      (l) => l.customerNumber === swede.customer.number && l.locationId === 'MAIN',
    )!;
    location.address.postalCode = 'ABC';
    // The new mapping: Danish 25 % to MP1 (no zone) instead of OSS-DK25.
    w.settingsNow = {
      ...w.settingsNow,
      vatMapping: w.settingsNow.vatMapping.map((r) =>
        r.country === 'DK' && r.taxCountry === 'DK' ? { ...r, vatZoneId: undefined, vatId: 'MP1' } : r,
      ),
    };
    const before = await snapshot(w);
    const result = await w.engine.dryRun({ unreleased: true }, 'cli');
    expect(result.documents.length).toBe(docs(w).filter((d) => d.status === 'Hold' || d.status === 'Balanced').length);
    expect(result.documents.every((d) => d.status === 'Hold' || d.status === 'Balanced')).toBe(true);
    const dk = result.documents.find((d) => d.referenceNumber === danish.referenceNumber)!;
    expect(dk.differs).toBe(true);
    // The same 25 % under another VAT id: in total at most rounding apart (AvaTax rounds per line).
    expect(Math.abs(dk.difference!)).toBeLessThanOrEqual(dk.lines.length + 2);
    const byId = Object.fromEntries(dk.lines.map((l) => [l.vatId, l]));
    expect(Object.keys(byId).sort()).toEqual(['MP1', 'OSS-DK25']);
    expect(byId['OSS-DK25']).toMatchObject({ calculatedVat: 0, bookedVat: dk.bookedVat, difference: dk.bookedVat! });
    expect(byId.MP1).toMatchObject({ bookedVat: 0, calculatedVat: dk.calculatedVat, difference: -dk.calculatedVat! });
    expect(dk.explanations.map(text).join(' ')).toMatch(/MP1: Visma booked/);
    const se = result.documents.find((d) => d.referenceNumber === swede.referenceNumber)!;
    expect(se.calculatedVat).toBeNull();
    expect(se.problems.map(text).join(' ')).toMatch(/Address flagged.*Postal code "ABC"/);
    expect(se.ledgerState).toBe('calculated');
    const dkk = result.totals.find((t) => t.currency === 'DKK')!;
    expect(dkk.differing).toBeGreaterThan(0);
    expect(result.totals.find((t) => t.currency === 'SEK')!.withProblems).toBeGreaterThan(0);
    await expectNothingRecorded(w, before, result);
  });

  it('wrong credentials stop it as a configuration error, as they stop a sync', async () => {
    w.sandboxes.visma.state.clients[0]!.clientSecret = 'rotated';
    const error = await w.engine.dryRun({ unreleased: true }, 'cli').catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/invalid_client/);
  });

  it('runs in the job slot, never beside a sync, and says nothing was chosen when nothing was', async () => {
    let syncDone = false;
    const seen: string[] = [];
    const sync = w.engine.run('user').then(() => {
      syncDone = true;
    });
    const dry = w.engine.dryRun({ unreleased: true }, 'user', {
      onProgress: () => seen.push(`${syncDone} ${w.engine.runningJob}`),
    });
    await Promise.all([sync, dry]);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set(['true dry-run']));
    await expect(w.engine.dryRun({}, 'user')).rejects.toThrow(/Say which documents/);
  });
});
