import fc from 'fast-check';

/**
 * The generated truth of a month (issue 15, "Proof"): what each document really is in Visma and in AvaTax and what
 * the ledger remembers, plus how the two services' listings misbehave. `render.ts` turns it into what the services
 * answer; `oracle.ts` says, from this truth alone, what month-end must conclude. Amounts are minor units, signed as
 * sales (a credit note negative), VAT ids and rates are the generator's own labels.
 */
export const MONTH = '2026-11';
export const FROM = '2026-11-01';
export const TO = '2026-11-30';
export const COMPANY_ID = 7001;
export const OTHER_COMPANY_ID = 7002;
export const TOLERANCE = 1;

/** How a line is taxed: ship-to country, the taxing country and rate AvaTax applies, the Visma VAT id it maps to. */
export interface Scenario {
  country: string;
  taxCountry: string;
  rate: number;
  vatId: string;
  /** Intra-EU B2B: the buyer's VAT number. */
  vatNumber?: string;
}

/** Families of scenarios a document's lines take from (one ship-to country and one VAT zone per document). */
export const FAMILIES: Scenario[][] = [
  [
    { country: 'SE', taxCountry: 'SE', rate: 0.25, vatId: 'MP1' },
    { country: 'SE', taxCountry: 'SE', rate: 0.12, vatId: 'MP2' },
    { country: 'SE', taxCountry: 'SE', rate: 0.06, vatId: 'MP3' },
  ],
  [{ country: 'DK', taxCountry: 'DK', rate: 0.25, vatId: 'OSS-DK25' }],
  [
    { country: 'DE', taxCountry: 'DE', rate: 0.19, vatId: 'OSS-DE19' },
    { country: 'DE', taxCountry: 'DE', rate: 0.07, vatId: 'OSS-DE7' },
  ],
  [{ country: 'FI', taxCountry: 'FI', rate: 0.255, vatId: 'OSS-FI255' }],
  [{ country: 'DK', taxCountry: 'SE', rate: 0, vatId: 'EUVF', vatNumber: 'DK12345678' }],
  [{ country: 'DE', taxCountry: 'SE', rate: 0, vatId: 'EUVF', vatNumber: 'DE123456789' }],
  [{ country: 'NO', taxCountry: 'SE', rate: 0, vatId: 'EXPORT' }],
];

/** Visma's rate per currency (base SEK); a document may carry a rate of its own day. */
export const RATES: Record<string, number> = { SEK: 1, EUR: 11.4521, DKK: 1.5312, USD: 10.0873 };

/** A wrong booking Visma may make: a Swedish id where another applies (MP1 25 %, MP3 6 %). */
export const WRONG_IDS = [
  { vatId: 'MP1', rate: 0.25 },
  { vatId: 'MP3', rate: 0.06 },
];

export type Kind = 'invoice' | 'credit-note' | 'debit-note';
export type VismaStatus = 'Hold' | 'Balanced' | 'Open' | 'Closed' | 'Voided' | 'deleted';
export type LedgerState = 'posted' | 'calculated' | 'needs-attention' | 'flagged' | 'pending-retry' | 'voided';

export interface TruthLine {
  /** Taxable amount, positive; the document's kind gives the sign. */
  taxable: number;
  family: number;
  scenario: number;
  /** Visma booked it under another VAT id than AvaTax's result maps to (index into WRONG_IDS). */
  wrongId?: number;
}

export interface TruthAvaTax {
  /** Days AvaTax's date is from Visma's (a re-dated document); 0 mostly. */
  shift: number;
  status: 'Saved' | 'Committed' | 'Cancelled';
  /** AvaTax records Visma's VAT (TaxAmount overrides) rather than its own calculation. */
  recordsBooked: boolean;
  /** Visma's exchange rate was sent; otherwise AvaTax holds 1.0. */
  rateSent: boolean;
  /** Visma's net was edited after AvaTax recorded it (AvaTax's net is off by this many minor units). */
  netEdit: number;
  /** AvaTax holds another buyer VAT number than the ledger knows. */
  otherVatNumber: boolean;
  /** Superseded versions (Adjusted) AvaTax keeps beside the live one. */
  oldVersions: number;
}

export interface TruthDoc {
  kind: Kind;
  currency: string;
  /** The document's own rate, when it differs from the currency's usual one (another day's rate). */
  ownRate: boolean;
  day: number;
  lines: TruthLine[];
  visma: VismaStatus;
  avatax?: TruthAvaTax;
  ledger?: { state: LedgerState; accepted: boolean };
}

/** An AvaTax transaction another system recorded (a web shop): a code this app never makes. */
export interface TruthForeign {
  day: number;
  status: 'Saved' | 'Committed' | 'Cancelled';
  taxable: number;
}

export interface Disturbances {
  /** Visma answers [] for one kind's listing of the month. */
  vismaEmpty?: Kind;
  /** Visma's listing leaves these documents (indexes) out, without saying so. */
  vismaDrop: number[];
  /** Visma's listing says more documents than it gives. */
  vismaShortCount: boolean;
  /** Visma lists a document twice (two versions). */
  vismaTwice?: number;
  /** AvaTax leaves transactions out while @recordsetCount counts them. */
  avataxShort: number;
  /** AvaTax's pages overlap: a transaction twice. */
  avataxOverlap: boolean;
  /** AvaTax's pages say different counts. */
  avataxCountMoved: boolean;
  /** Transactions of another company in the listing. */
  avataxOtherCompany: number;
  /** A code with two live versions. */
  avataxTwoLive?: number;
  /** AvaTax lists transactions newest first (versions after the live one). */
  newestFirst: boolean;
}

export interface TruthMonth {
  docs: TruthDoc[];
  foreign: TruthForeign[];
  disturb: Disturbances;
}

const line = fc.record({
  taxable: fc.integer({ min: 1, max: 5_000_000 }),
  scenario: fc.nat({ max: 2 }),
  wrongId: fc.option(fc.nat({ max: WRONG_IDS.length - 1 }), { freq: 12, nil: undefined }),
});

const avataxTruth: fc.Arbitrary<TruthAvaTax> = fc.record({
  shift: fc.oneof({ arbitrary: fc.constant(0), weight: 20 }, { arbitrary: fc.constantFrom(-1, 1, -40, 30), weight: 1 }),
  status: fc.oneof(
    { arbitrary: fc.constant('Committed' as const), weight: 12 },
    { arbitrary: fc.constantFrom('Saved' as const, 'Cancelled' as const), weight: 2 },
  ),
  recordsBooked: fc.boolean(),
  rateSent: fc.oneof({ arbitrary: fc.constant(true), weight: 12 }, { arbitrary: fc.constant(false), weight: 1 }),
  netEdit: fc.oneof(
    { arbitrary: fc.constant(0), weight: 25 },
    { arbitrary: fc.integer({ min: -500, max: 500 }), weight: 1 },
  ),
  otherVatNumber: fc.oneof({ arbitrary: fc.constant(false), weight: 25 }, { arbitrary: fc.constant(true), weight: 1 }),
  oldVersions: fc.oneof(
    { arbitrary: fc.constant(0), weight: 8 },
    { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 },
  ),
});

const doc: fc.Arbitrary<TruthDoc> = fc
  .record({
    kind: fc.oneof(
      { arbitrary: fc.constant('invoice' as const), weight: 8 },
      { arbitrary: fc.constantFrom('credit-note' as const, 'debit-note' as const), weight: 1 },
    ),
    currency: fc.oneof(
      { arbitrary: fc.constant('SEK'), weight: 4 },
      { arbitrary: fc.constantFrom('EUR', 'DKK', 'USD'), weight: 2 },
    ),
    ownRate: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 }),
    family: fc.nat({ max: FAMILIES.length - 1 }),
    day: fc.integer({ min: 1, max: 30 }),
    lines: fc.array(line, { minLength: 1, maxLength: 3 }),
    visma: fc.oneof(
      { arbitrary: fc.constantFrom('Open' as const, 'Closed' as const), weight: 12 },
      {
        arbitrary: fc.constantFrom('Hold' as const, 'Balanced' as const, 'Voided' as const, 'deleted' as const),
        weight: 1,
      },
    ),
    avatax: fc.option(avataxTruth, { freq: 14, nil: undefined }),
    ledger: fc.option(
      fc.record({
        state: fc.oneof(
          { arbitrary: fc.constantFrom('posted' as const, 'calculated' as const), weight: 14 },
          {
            arbitrary: fc.constantFrom(
              'needs-attention' as const,
              'flagged' as const,
              'pending-retry' as const,
              'voided' as const,
            ),
            weight: 1,
          },
        ),
        accepted: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 }),
      }),
      { freq: 20, nil: undefined },
    ),
  })
  .map(({ family, lines, ...d }) => ({
    ...d,
    lines: lines.map((l) => ({ ...l, family, scenario: l.scenario % FAMILIES[family]!.length })),
    // The app knows every document it sent to AvaTax.
    ledger: d.avatax && !d.ledger ? { state: 'posted' as const, accepted: false } : d.ledger,
  }));

const foreign: fc.Arbitrary<TruthForeign> = fc.record({
  day: fc.integer({ min: 1, max: 30 }),
  status: fc.constantFrom('Saved' as const, 'Committed' as const, 'Cancelled' as const),
  taxable: fc.integer({ min: 100, max: 100_000 }),
});

/** Each listing misbehaves now and then; most months are left alone, so clean months are common too. */
const disturbances = (docs: number): fc.Arbitrary<Disturbances> => {
  const rarely = <T>(arb: fc.Arbitrary<T>, none: T) =>
    fc.oneof({ arbitrary: fc.constant(none), weight: 24 }, { arbitrary: arb, weight: 1 });
  const index = fc.nat({ max: Math.max(0, docs - 1) });
  return fc.record({
    vismaEmpty: rarely(fc.constantFrom<Kind | undefined>('invoice', 'credit-note'), undefined),
    vismaDrop: rarely(fc.uniqueArray(index, { minLength: 1, maxLength: 3 }), []),
    vismaShortCount: rarely(fc.constant(true), false),
    vismaTwice: rarely(
      index.map((i): number | undefined => i),
      undefined,
    ),
    avataxShort: rarely(fc.integer({ min: 1, max: 3 }), 0),
    avataxOverlap: rarely(fc.constant(true), false),
    avataxCountMoved: rarely(fc.constant(true), false),
    avataxOtherCompany: rarely(fc.integer({ min: 1, max: 2 }), 0),
    avataxTwoLive: rarely(
      index.map((i): number | undefined => i),
      undefined,
    ),
    newestFirst: fc.boolean(),
  });
};

/** A month of `min`..`max` documents, several currencies and kinds, with every disturbance possible. */
export function monthArb(min: number, max: number): fc.Arbitrary<TruthMonth> {
  // 'max': lengths spread over the whole range (fast-check's default keeps arrays short), so big months are common.
  const busy = fc
    .tuple(fc.array(doc, { minLength: min, maxLength: max, size: 'max' }), fc.array(foreign, { maxLength: 3 }))
    .chain(([docs, foreigns]) => disturbances(docs.length).map((disturb) => ({ docs, foreign: foreigns, disturb })));
  // A month the sync has settled (the one a finance team closes): without it a big month is never clean.
  const calm = fc
    .array(doc, { minLength: min, maxLength: max, size: 'max' })
    .map((docs): TruthMonth => ({ docs: docs.map(settled), foreign: [], disturb: NO_DISTURBANCE }));
  return fc.oneof({ arbitrary: busy, weight: 3 }, { arbitrary: calm, weight: 1 });
}

const NO_DISTURBANCE: Disturbances = {
  vismaDrop: [],
  vismaShortCount: false,
  avataxShort: 0,
  avataxOverlap: false,
  avataxCountMoved: false,
  avataxOtherCompany: 0,
  newestFirst: false,
};

/**
 * The document as a sync leaves it: released, committed with Visma's VAT recorded at Visma's rate, on the same day,
 * its booking accepted where AvaTax's own calculation is more than rounding apart.
 */
function settled(d: TruthDoc): TruthDoc {
  return {
    ...d,
    visma: d.visma === 'Closed' ? 'Closed' : 'Open',
    lines: d.lines.map(({ wrongId: _w, ...l }) => l),
    avatax: {
      shift: 0,
      status: 'Committed',
      recordsBooked: true,
      rateSent: true,
      netEdit: 0,
      otherVatNumber: false,
      oldVersions: d.avatax?.oldVersions ?? 0,
    },
    ledger: { state: 'posted', accepted: true },
  };
}

/* ---- What follows from the truth: one reading of it, shared by render.ts and oracle.ts ---- */

/** minor × rate, rounded half away from zero (the rate to six decimals): Visma's and AvaTax's rounding. */
export function times(minor: number, rate: number): number {
  const ppm = Math.round(rate * 1_000_000);
  const product = Math.abs(minor) * ppm;
  const whole = Math.floor(product / 1_000_000);
  const rest = product - whole * 1_000_000;
  const rounded = rest * 2 >= 1_000_000 ? whole + 1 : whole;
  return minor < 0 ? -rounded : rounded;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface IdAmount {
  vatId: string;
  rate: number;
  taxable: number;
  vat: number;
}

export interface Facts {
  index: number;
  ref: string;
  code: string;
  kind: Kind;
  sign: 1 | -1;
  family: Scenario[];
  country: string;
  vatNumber?: string;
  currency: string;
  vismaRate: number;
  avataxRate: number;
  vismaDate: string;
  avataxDate?: string;
  /** Net in the document's currency, signed. */
  net: number;
  /** What Visma booked per VAT id: its rate on the id's taxable sum, rounded once per id. */
  booked: IdAmount[];
  /** Per line: AvaTax's own VAT id, taxable, calculated tax and recorded tax. */
  lines: { vatId: string; taxCountry: string; rate: number; taxable: number; calculated: number; recorded: number }[];
}

const PREFIX: Record<Kind, string> = { invoice: 'VN-INV-', 'credit-note': 'VN-CRN-', 'debit-note': 'VN-DBN-' };

export function factsOf(d: TruthDoc, index: number): Facts {
  const ref = String(260001 + index);
  const sign = d.kind === 'credit-note' ? -1 : 1;
  const family = FAMILIES[d.lines[0]!.family]!;
  const base = RATES[d.currency]!;
  const vismaRate = d.currency === 'SEK' ? 1 : d.ownRate ? Math.round(base * 1.0013 * 10_000) / 10_000 : base;
  const vismaDate = `${MONTH}-${String(d.day).padStart(2, '0')}`;
  const booked = new Map<string, IdAmount>();
  const bookedLine = (l: TruthLine) => {
    const s = family[l.scenario]!;
    return l.wrongId === undefined || s.vatId === WRONG_IDS[l.wrongId]!.vatId ? s : WRONG_IDS[l.wrongId]!;
  };
  for (const l of d.lines) {
    const b = bookedLine(l);
    const row = booked.get(b.vatId) ?? { vatId: b.vatId, rate: b.rate, taxable: 0, vat: 0 };
    row.taxable += sign * l.taxable;
    booked.set(b.vatId, row);
  }
  for (const row of booked.values()) row.vat = times(row.taxable, row.rate);
  const lines = d.lines.map((l) => {
    const s = family[l.scenario]!;
    const calculated = times(sign * l.taxable, s.rate);
    return {
      vatId: s.vatId,
      taxCountry: s.taxCountry,
      rate: s.rate,
      taxable: sign * l.taxable,
      calculated,
      recorded: calculated,
    };
  });
  if (d.avatax?.recordsBooked) {
    // Visma's VAT recorded as overrides: each booked VAT id's amount spread over its lines by taxable amount.
    for (const b of booked.values()) {
      const mine = d.lines.map((l, i) => ({ i, l })).filter(({ l }) => bookedLine(l).vatId === b.vatId);
      const total = mine.reduce((s, { l }) => s + l.taxable, 0);
      let given = 0;
      mine.forEach(({ i, l }, k) => {
        const share = k === mine.length - 1 ? b.vat - given : Math.trunc((b.vat * l.taxable) / total);
        lines[i]!.recorded = share;
        given += share;
      });
    }
  }
  return {
    index,
    ref,
    code: `${PREFIX[d.kind]}${ref}`,
    kind: d.kind,
    sign,
    family,
    country: family[0]!.country,
    vatNumber: family[0]!.vatNumber,
    currency: d.currency,
    vismaRate,
    avataxRate: d.avatax?.rateSent ? vismaRate : 1,
    vismaDate,
    avataxDate: d.avatax ? addDays(vismaDate, d.avatax.shift) : undefined,
    net: d.lines.reduce((s, l) => s + sign * l.taxable, 0),
    booked: [...booked.values()].sort((a, b) => a.vatId.localeCompare(b.vatId)),
    lines,
  };
}
