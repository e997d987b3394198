import {
  type Facts,
  FROM,
  factsOf,
  type IdAmount,
  TO,
  TOLERANCE,
  type TruthDoc,
  type TruthMonth,
  times,
} from './truth.js';

/**
 * What month-end must conclude, from the generated truth alone: written from issue 15's rules and the README's
 * bucket table, with plain sums, and nothing from electron/month. For each document its bucket; per ship-to
 * country, VAT id and currency the reported figures of each side in the month it dates the document (in the
 * document's currency and in base currency, each side at its own rate, each VAT id rounded on its own); the
 * domestic and OSS VAT; and whether the month is whole and clean.
 */
export type ExpectedBucket = 'matched' | 'differs' | 'onlyInVisma' | 'onlyInAvatax' | 'uncommitted' | 'accepted';

export interface Sums {
  taxable: number;
  vat: number;
  taxableBase: number;
  vatBase: number;
}

export interface Expected {
  /** Whether the listings are the whole month (no doubt). */
  whole: boolean;
  clean: boolean;
  buckets: Map<string, ExpectedBucket>;
  /** `country|vatId|currency` → each side's reported sums. */
  totals: Map<string, { visma: Sums; avatax: Sums }>;
  vatBase: { visma: number; avatax: number };
  domesticVat: number;
  ossVat: number;
}

const inMonth = (date: string | undefined) => date !== undefined && date >= FROM && date <= TO;
const RELEASED = new Set(['Open', 'Closed']);
const EU = new Set(['DK', 'DE', 'FI']);
/** One listing left out more documents than this: itself a doubt (read-month.ts reads at most this many one by one). */
const LOOKUP_LIMIT = 50;

/** Per VAT id, what AvaTax calculates itself and what it records, from its lines. */
function byId(f: Facts, which: 'calculated' | 'recorded'): IdAmount[] {
  const out = new Map<string, IdAmount>();
  for (const l of f.lines) {
    const row = out.get(l.vatId) ?? { vatId: l.vatId, rate: l.rate, taxable: 0, vat: 0 };
    row.taxable += l.taxable;
    row.vat += l[which];
    out.set(l.vatId, row);
  }
  return [...out.values()];
}

/** Both lists name the same VAT ids with the same taxable amounts and VAT at most `slack` apart per id. */
function agree(a: IdAmount[], b: IdAmount[], slack: number): boolean {
  const ids = new Set([...a, ...b].map((x) => x.vatId));
  for (const id of ids) {
    const x = a.find((r) => r.vatId === id) ?? { taxable: 0, vat: 0 };
    const y = b.find((r) => r.vatId === id) ?? { taxable: 0, vat: 0 };
    if (x.taxable !== y.taxable || Math.abs(x.vat - y.vat) > slack) return false;
  }
  return true;
}

function bucketOf(d: TruthDoc, f: Facts): ExpectedBucket | undefined {
  const a = d.avatax;
  const aLive = a !== undefined && a.status !== 'Cancelled';
  if (d.visma === 'deleted') return aLive ? 'onlyInAvatax' : undefined;
  if (d.visma === 'Voided') return aLive ? 'differs' : 'matched';
  if (!aLive) return 'onlyInVisma';
  const released = RELEASED.has(d.visma);
  const committed = a.status === 'Committed';
  const bookedTotal = f.booked.reduce((s, b) => s + b.vat, 0);
  const recordedTotal = f.lines.reduce((s, l) => s + l.recorded, 0);
  let differs = false;
  if (f.avataxDate !== f.vismaDate) differs = true; // the date
  if (a.netEdit !== 0) differs = true; // the net amount
  if (f.avataxRate !== f.vismaRate) differs = true; // the exchange rate
  if (a.otherVatNumber) differs = true; // the buyer's VAT number
  // What AvaTax records is what Visma booked, to the minor unit (as overrides: the total).
  if (recordedTotal !== bookedTotal || (!a.recordsBooked && !agree(byId(f, 'recorded'), f.booked, 0))) differs = true;
  // What AvaTax calculates itself is what Visma booked, VAT id by VAT id, within the tolerance.
  const calculationAgrees = agree(byId(f, 'calculated'), f.booked, TOLERANCE);
  const accepted = !calculationAgrees && d.ledger?.accepted === true && released && committed && !differs;
  if (!calculationAgrees && !accepted) differs = true;
  if (!released && committed) differs = true; // AvaTax reports what Visma has not booked
  const unsettled = ['needs-attention', 'flagged', 'pending-retry'].includes(d.ledger?.state ?? '');
  if (unsettled) differs = true; // the sync holds it in front of the user: never matched
  if (differs) return 'differs';
  if (!committed) return 'uncommitted';
  return accepted ? 'accepted' : 'matched';
}

const zero = (): Sums => ({ taxable: 0, vat: 0, taxableBase: 0, vatBase: 0 });

export function oracle(month: TruthMonth): Expected {
  const facts = month.docs.map(factsOf);
  const buckets = new Map<string, ExpectedBucket>();
  const totals = new Map<string, { visma: Sums; avatax: Sums }>();
  const vatBase = { visma: 0, avatax: 0 };
  let domesticVat = 0;
  let ossVat = 0;
  const add = (side: 'visma' | 'avatax', country: string, currency: string, rows: IdAmount[], rate: number) => {
    for (const r of rows) {
      const key = `${country}|${r.vatId}|${currency}`;
      const t = totals.get(key) ?? { visma: zero(), avatax: zero() };
      t[side].taxable += r.taxable;
      t[side].vat += r.vat;
      t[side].taxableBase += times(r.taxable, rate);
      t[side].vatBase += times(r.vat, rate);
      totals.set(key, t);
      vatBase[side] += times(r.vat, rate);
    }
  };

  month.docs.forEach((d, i) => {
    const f = facts[i]!;
    const shown = (d.visma !== 'deleted' && inMonth(f.vismaDate)) || (d.avatax !== undefined && inMonth(f.avataxDate));
    const bucket = bucketOf(d, f);
    if (shown && bucket) buckets.set(f.code, bucket);
    // Visma's books: released, dated in the month by Visma.
    if (RELEASED.has(d.visma) && inMonth(f.vismaDate)) {
      add('visma', f.country, f.currency, f.booked, f.vismaRate);
      const vat = f.booked.reduce((s, b) => s + times(b.vat, f.vismaRate), 0);
      // OSS: to a consumer in another EU country, the buyer known to the app (a ledger row, or AvaTax has it);
      // an EU buyer the app has never seen is in no return until it is (it blocks the month anyway).
      const known = d.ledger !== undefined || d.avatax !== undefined;
      if (f.country === 'SE') domesticVat += vat;
      else if (EU.has(f.country) && !f.vatNumber && known) ossVat += vat;
    }
    // AvaTax's return: committed, dated in the month by AvaTax, at AvaTax's own rate.
    if (d.avatax?.status === 'Committed' && inMonth(f.avataxDate))
      add('avatax', f.country, f.currency, byId(f, 'recorded'), f.avataxRate);
  });
  month.foreign.forEach((x, i) => {
    const code = `SHOP-${i}`;
    if (x.status === 'Cancelled') return;
    buckets.set(code, 'onlyInAvatax');
    if (x.status === 'Committed')
      add('avatax', 'SE', 'SEK', [{ vatId: 'MP1', rate: 0.25, taxable: x.taxable, vat: Math.round(x.taxable / 4) }], 1);
  });

  const whole = isWhole(month, facts);
  const blocking = [...buckets.values()].some((b) => !['matched', 'accepted'].includes(b));
  return { whole, clean: whole && !blocking, buckets, totals, vatBase, domesticVat, ossVat };
}

/**
 * The listings are the whole month unless a service misbehaved in a way that can be seen: a listing short of its
 * own count, one that lists something twice or another company's transactions, two live versions of a code, or a
 * document of the month Visma's listing left out that the ledger or AvaTax knows (the third witness). A document
 * neither the ledger nor AvaTax knows, left out of Visma's listing, cannot be seen: that is the limit of the proof.
 */
function isWhole(month: TruthMonth, facts: Facts[]): boolean {
  const { disturb } = month;
  if (disturb.vismaShortCount || disturb.avataxShort > 0 || disturb.avataxOverlap || disturb.avataxCountMoved)
    return false;
  if (disturb.avataxOtherCompany > 0) return false;
  if (disturb.avataxTwoLive !== undefined && inMonth(facts[disturb.avataxTwoLive]!.avataxDate)) return false;
  const listedByVisma = (i: number) =>
    month.docs[i]!.visma !== 'deleted' &&
    inMonth(facts[i]!.vismaDate) &&
    !disturb.vismaDrop.includes(i) &&
    disturb.vismaEmpty !== facts[i]!.kind;
  if (
    disturb.vismaTwice !== undefined &&
    listedByVisma(disturb.vismaTwice) &&
    month.docs[disturb.vismaTwice]!.visma !== 'deleted'
  )
    return false;
  // Documents someone knows that Visma's listing does not give: AvaTax lists them this month, or the ledger holds
  // them (not voided) dated in the month.
  const wanted = month.docs
    .map((_d, i) => i)
    .filter((i) => {
      const d = month.docs[i]!;
      const knownByAvaTax = d.avatax !== undefined && inMonth(facts[i]!.avataxDate);
      const knownByLedger = d.ledger !== undefined && d.ledger.state !== 'voided' && inMonth(facts[i]!.vismaDate);
      return (knownByAvaTax || knownByLedger) && !listedByVisma(i);
    });
  if (wanted.length > LOOKUP_LIMIT) return false;
  if (wanted.some((i) => month.docs[i]!.visma !== 'deleted' && inMonth(facts[i]!.vismaDate))) return false;
  // AvaTax's side: documents the ledger says AvaTax holds, whose live version AvaTax's listing does not give.
  const avataxWanted = month.docs.filter((d, i) => {
    if (!d.avatax || !d.ledger) return false;
    const ours = inMonth(facts[i]!.vismaDate) || listedByVisma(i);
    return ours && !inMonth(facts[i]!.avataxDate);
  });
  if (avataxWanted.length > LOOKUP_LIMIT) return false;
  return true;
}
