import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMonth } from '../../electron/month/read-month.js';
import { reconcile } from '../../electron/month/reconcile.js';
import type { Reconciliation } from '../../shared/month.js';
import { TEST_NOW } from '../helpers/clock.js';
import { type Expected, oracle } from './differential/oracle.js';
import { render } from './differential/render.js';
import { MONTH, monthArb, TOLERANCE, type TruthMonth } from './differential/truth.js';

/**
 * Issue 15, "Proof": generated months (invoices, credit notes and debit notes in four currencies; edits, deletions,
 * voids, adjustments, re-dated documents, wrong VAT ids, missing exchange rates; listings that misbehave) through
 * the product's own reading and reconciliation, against an oracle written from the rules (plain sums over
 * the generated truth, nothing from electron/month). Every document's bucket, the totals per country, VAT id and
 * currency, the domestic and OSS VAT, and "clean".
 */
async function reconcileMonth(month: TruthMonth): Promise<Reconciliation> {
  const world = render(month);
  const read = await readMonth({
    month: MONTH,
    sources: world.sources,
    ledger: world.ledger,
    ledgerOfMonth: world.ledgerOfMonth,
  });
  return reconcile({
    ...read,
    mapping: world.mapping,
    tolerance: TOLERANCE,
    baseCurrency: 'SEK',
    homeCountry: 'SE',
    now: new Date(TEST_NOW),
  });
}

/** Where the product and the oracle part, in words (empty: they agree). */
function disagreements(r: Reconciliation, e: Expected): string[] {
  const out: string[] = [];
  if (r.clean !== e.clean) out.push(`clean: product ${r.clean}, oracle ${e.clean}`);
  const whole = r.incomplete.length === 0 && r.problems.length === 0;
  if (whole !== e.whole)
    out.push(`whole: product ${whole} (${r.incomplete.map((x) => x.code).join(', ')}), oracle ${e.whole}`);
  if (!e.whole || !whole) return out;
  const got = new Map(r.documents.map((d) => [d.code, d.bucket]));
  for (const [code, bucket] of e.buckets)
    if (got.get(code) !== bucket)
      out.push(
        `${code}: product ${got.get(code) ?? 'absent'}, oracle ${bucket} (${r.documents
          .find((d) => d.code === code)
          ?.why.map((w) => w.code)
          .join(' ')})`,
      );
  for (const code of got.keys()) if (!e.buckets.has(code)) out.push(`${code}: product ${got.get(code)}, oracle absent`);
  const totals = new Map(r.totals.map((t) => [`${t.country}|${t.vatId}|${t.currency}`, t]));
  for (const [key, t] of e.totals) {
    const p = totals.get(key);
    for (const side of ['visma', 'avatax'] as const)
      for (const k of ['taxable', 'vat', 'taxableBase', 'vatBase'] as const)
        if ((p?.[side][k] ?? 0) !== t[side][k])
          out.push(`${key} ${side}.${k}: product ${p?.[side][k]}, oracle ${t[side][k]}`);
  }
  for (const key of totals.keys()) if (!e.totals.has(key)) out.push(`${key}: a total the oracle does not have`);
  if (r.vatBase.visma !== e.vatBase.visma) out.push(`vatBase.visma: ${r.vatBase.visma} vs ${e.vatBase.visma}`);
  if (r.vatBase.avatax !== e.vatBase.avatax) out.push(`vatBase.avatax: ${r.vatBase.avatax} vs ${e.vatBase.avatax}`);
  if (r.vatReturn.domestic.vat !== e.domesticVat)
    out.push(`domestic VAT: product ${r.vatReturn.domestic.vat}, oracle ${e.domesticVat}`);
  if (r.vatReturn.oss.vat !== e.ossVat) out.push(`OSS VAT: product ${r.vatReturn.oss.vat}, oracle ${e.ossVat}`);
  return out;
}

async function agrees(month: TruthMonth): Promise<void> {
  const said = disagreements(await reconcileMonth(month), oracle(month));
  expect(said, said.slice(0, 8).join('\n')).toEqual([]);
}

describe('counterexamples the property run found, shrunk to small months', () => {
  it('a sale to an EU buyer neither the ledger nor AvaTax knows is in no return (not OSS: its VAT number is unknown)', async () => {
    // Found by the property run (seed -617788157): a Danish B2B sale (buyer DK12345678) never synced, booked under
    // MP1 in Visma, was counted as OSS because nothing said its buyer has a VAT number.
    const month: TruthMonth = {
      docs: [
        {
          kind: 'invoice',
          currency: 'EUR',
          ownRate: false,
          day: 1,
          visma: 'Open',
          lines: [{ taxable: 2, scenario: 0, wrongId: 0, family: 4 }],
        },
        {
          kind: 'invoice',
          currency: 'EUR',
          ownRate: false,
          day: 1,
          visma: 'Open',
          lines: [{ taxable: 1, scenario: 0, family: 0 }],
        },
      ],
      foreign: [],
      disturb: {
        vismaDrop: [],
        vismaShortCount: false,
        avataxShort: 0,
        avataxOverlap: false,
        avataxCountMoved: false,
        avataxOtherCompany: 0,
        newestFirst: false,
      },
    };
    await agrees(month);
    const r = await reconcileMonth(month);
    expect(r.vatReturn.oss.vat).toBe(0);
    expect(r.vatReturn.unknown.documents).toBe(1);
    expect(r.clean).toBe(false);
  });
});

describe('counterexamples of the generator the property run found', () => {
  it('AvaTax listing short of its count while it holds nothing of the month: incomplete, never clean', async () => {
    // Found by the property run (seed 1570013977): the generator cut "missing" transactions from an empty
    // listing, so the month it described had no shortfall to see. The listing now claims them in its count.
    const month: TruthMonth = {
      docs: [
        {
          kind: 'invoice',
          currency: 'SEK',
          ownRate: false,
          day: 3,
          visma: 'Open',
          lines: [{ taxable: 5, scenario: 0, family: 0 }],
        },
      ],
      foreign: [],
      disturb: {
        vismaDrop: [],
        vismaShortCount: false,
        avataxShort: 2,
        avataxOverlap: false,
        avataxCountMoved: false,
        avataxOtherCompany: 0,
        newestFirst: false,
      },
    };
    const e = oracle(month);
    expect(e.whole).toBe(false);
    await agrees(month);
    const r = await reconcileMonth(month);
    expect(r.clean).toBe(false);
    expect(r.incomplete.map((i) => i.code)).toContain('month-incomplete-avatax-count');
  });
});

describe('month-end against an independent oracle', () => {
  it('months of 200 to 260 documents, every kind of document and disturbance among them', async () => {
    const months = fc.sample(monthArb(200, 260), { seed: 15, numRuns: 12 });
    for (const month of months) {
      expect(month.docs.length).toBeGreaterThanOrEqual(200);
      await agrees(month);
    }
  }, 60_000);

  it('a property run of 500 months: buckets, totals, return figures and "clean" as the oracle says', async () => {
    const seen = {
      clean: 0,
      incomplete: 0,
      blocked: 0,
      debit: 0,
      credit: 0,
      redated: 0,
      adjusted: 0,
      noRate: 0,
      big: 0,
    };
    await fc.assert(
      fc.asyncProperty(monthArb(1, 240), async (month) => {
        const e = oracle(month);
        if (e.clean) seen.clean++;
        else if (!e.whole) seen.incomplete++;
        else seen.blocked++;
        if (month.docs.length >= 200) seen.big++;
        if (month.docs.some((d) => d.kind === 'debit-note')) seen.debit++;
        if (month.docs.some((d) => d.kind === 'credit-note')) seen.credit++;
        if (month.docs.some((d) => d.avatax && d.avatax.shift !== 0)) seen.redated++;
        if (month.docs.some((d) => d.avatax && d.avatax.oldVersions > 0)) seen.adjusted++;
        if (month.docs.some((d) => d.avatax && !d.avatax.rateSent && d.currency !== 'SEK')) seen.noRate++;
        const said = disagreements(await reconcileMonth(month), e);
        if (said.length > 0) throw new Error(said.slice(0, 8).join('\n'));
      }),
      {
        numRuns: 500,
        // A failure shrinks towards a small month for as long as the budget lasts, then is reported as it stands.
        interruptAfterTimeLimit: 100_000,
        markInterruptAsFailure: true,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
    // The run saw every kind of month, not only one.
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  }, 180_000);
});
