import type { TransactionModel, TransactionType } from '../../../electron/connectors/avatax/types.js';
import type { VismaDocument, VismaDocumentKind } from '../../../electron/connectors/visma/types.js';
import { type CheckedRow, checkMapping } from '../../../electron/engine/vat-mapping.js';
import type { ListedPage } from '../../../electron/month/completeness.js';
import type { MonthSources } from '../../../electron/month/read-month.js';
import { demoVatMapping } from '../../../electron/sandbox/demo-vat.js';
import type { LedgerDocument } from '../../../shared/domain.js';
import { fromMinor } from '../../../shared/money.js';
import { settingsSchema } from '../../../shared/settings.js';
import {
  addDays,
  COMPANY_ID,
  type Facts,
  FROM,
  factsOf,
  OTHER_COMPANY_ID,
  TO,
  type TruthDoc,
  type TruthMonth,
} from './truth.js';

/**
 * The generated truth as the two services answer it: Visma's documents as the connector hands them over, AvaTax's
 * transactions page by page, the ledger's rows, and each listing's misbehaviour. What the product sees, nothing of
 * what it concludes.
 */
export interface RenderedMonth {
  sources: MonthSources;
  ledgerOfMonth: LedgerDocument[];
  ledger: (key: string) => Promise<LedgerDocument | undefined>;
  mapping: CheckedRow[];
}

export const MAPPING: CheckedRow[] = checkMapping(
  settingsSchema.parse({
    visma: {},
    avalara: { companyCode: 'NORDVAST' },
    company: { shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' } },
    vatMapping: demoVatMapping(),
  }).vatMapping,
  undefined,
);

const money = (minor: number) => fromMinor(minor);
const abs = (minor: number) => fromMinor(Math.abs(minor));

function vismaDocument(d: TruthDoc, f: Facts, stamp = 'A'): VismaDocument {
  const vat = f.booked.reduce((s, b) => s + b.vat, 0);
  return {
    kind: f.kind,
    referenceNumber: f.ref,
    status: d.visma,
    customerNumber: `C${f.index % 40}`,
    customerName: `Customer ${f.index % 40}`,
    documentDate: `${f.vismaDate}T00:00:00`,
    currency: f.currency,
    amount: abs(f.net + vat),
    netAmount: abs(f.net),
    exchangeRate: f.vismaRate,
    vatTotal: abs(vat),
    lines: f.lines.map((l, i) => ({ lineNumber: i + 1, amountInCurrency: abs(l.taxable), quantity: 1 })),
    lastModifiedDateTime: `${f.vismaDate}T10:00:00.000`,
    timeStamp: `${stamp}${f.ref}`,
    location: { id: 'MAIN', countryId: f.country },
    taxDetails: f.booked.map((b) => ({
      taxId: b.vatId,
      vatRate: b.rate * 100,
      taxableAmount: abs(b.taxable),
      vatAmount: abs(b.vat),
    })),
  };
}

function transaction(
  f: Facts,
  d: TruthDoc,
  id: number,
  status: string,
  version: number,
  companyId = COMPANY_ID,
): TransactionModel {
  const a = d.avatax!;
  const override = a.recordsBooked;
  const tax = f.lines.reduce((s, l) => s + l.recorded, 0);
  const calculated = f.lines.reduce((s, l) => s + l.calculated, 0);
  return {
    id,
    code: f.code,
    companyId,
    date: f.avataxDate!,
    status,
    type: f.kind === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice',
    currencyCode: f.currency,
    customerCode: `C${f.index % 40}`,
    ...(f.vatNumber ? { businessIdentificationNo: a.otherVatNumber ? 'SE999999999901' : f.vatNumber } : {}),
    ...(!f.vatNumber && a.otherVatNumber ? { businessIdentificationNo: 'SE999999999901' } : {}),
    totalAmount: money(f.net + a.netEdit),
    totalTax: money(tax),
    totalTaxCalculated: money(calculated),
    exchangeRate: f.avataxRate,
    version,
    destinationAddressId: id * 10 + 2,
    addresses: [
      { id: id * 10 + 1, country: 'SE' },
      { id: id * 10 + 2, country: f.country },
    ],
    lines: f.lines.map((l, i) => ({
      lineNumber: String(i + 1),
      lineAmount: money(l.taxable),
      taxableAmount: money(l.taxable),
      tax: money(l.recorded),
      taxCalculated: money(l.calculated),
      taxOverrideType: override ? 'TaxAmount' : 'None',
      details: [
        {
          country: l.taxCountry,
          rate: l.rate,
          tax: money(l.recorded),
          taxCalculated: money(l.calculated),
          taxableAmount: money(l.taxable),
          taxType: 'Sales',
        },
      ],
    })),
  };
}

function foreignTransaction(i: number, day: number, status: string, taxable: number, companyId: number) {
  const date = `${FROM.slice(0, 8)}${String(day).padStart(2, '0')}`;
  const tax = Math.round(taxable / 4);
  return {
    id: 90_000 + i,
    code: companyId === COMPANY_ID ? `SHOP-${i}` : `OTHER-${i}`,
    companyId,
    date,
    status,
    type: 'SalesInvoice',
    currencyCode: 'SEK',
    customerCode: 'WEB',
    totalAmount: money(taxable),
    totalTax: money(tax),
    totalTaxCalculated: money(tax),
    exchangeRate: 1,
    version: 1,
    destinationAddressId: 2,
    addresses: [
      { id: 1, country: 'SE' },
      { id: 2, country: 'SE' },
    ],
    lines: [
      {
        lineNumber: '1',
        lineAmount: money(taxable),
        taxableAmount: money(taxable),
        tax: money(tax),
        taxCalculated: money(tax),
        taxOverrideType: 'None',
        details: [{ country: 'SE', rate: 0.25, tax: money(tax), taxableAmount: money(taxable), taxType: 'Sales' }],
      },
    ],
  } satisfies TransactionModel;
}

const inMonth = (date: string) => date >= FROM && date <= TO;

export function render(month: TruthMonth): RenderedMonth {
  const facts = month.docs.map(factsOf);
  const { disturb } = month;

  // ---- Visma ----
  const inVisma = month.docs.map((d, i) => (d.visma === 'deleted' ? undefined : vismaDocument(d, facts[i]!)));
  const listVisma: MonthSources['listVisma'] = async () => {
    const documents: VismaDocument[] = [];
    const listings: { kind: VismaDocumentKind; totalCount?: number; received: number }[] = [];
    for (const kind of ['invoice', 'credit-note', 'debit-note'] as const) {
      let docs = inVisma.filter(
        (v, i): v is VismaDocument =>
          v !== undefined && v.kind === kind && inMonth(facts[i]!.vismaDate) && !disturb.vismaDrop.includes(i),
      );
      if (disturb.vismaTwice !== undefined) {
        const twice = inVisma[disturb.vismaTwice];
        if (twice && twice.kind === kind && docs.includes(twice))
          docs = [...docs, vismaDocument(month.docs[disturb.vismaTwice]!, facts[disturb.vismaTwice]!, 'B')];
      }
      if (disturb.vismaEmpty === kind) {
        listings.push({ kind, received: 0 });
        continue;
      }
      const short = disturb.vismaShortCount && kind === 'debit-note' ? 1 : 0;
      listings.push({ kind, totalCount: docs.length + short, received: docs.length });
      documents.push(...docs);
    }
    return { documents, rejected: [], listings };
  };

  // ---- AvaTax ----
  const versions: TransactionModel[] = [];
  let id = 1000;
  month.docs.forEach((d, i) => {
    if (!d.avatax) return;
    for (let v = 1; v <= d.avatax.oldVersions; v++) versions.push(transaction(facts[i]!, d, id++, 'Adjusted', v));
    versions.push(transaction(facts[i]!, d, id++, d.avatax.status, d.avatax.oldVersions + 1));
    if (disturb.avataxTwoLive === i)
      versions.push(transaction(facts[i]!, d, id++, d.avatax.status, d.avatax.oldVersions + 2));
  });
  month.foreign.forEach((f, i) => {
    versions.push(foreignTransaction(i, f.day, f.status, f.taxable, COMPANY_ID));
  });
  for (let k = 0; k < disturb.avataxOtherCompany; k++)
    versions.push(foreignTransaction(100 + k, 15, 'Committed', 100_00, OTHER_COMPANY_ID));
  const live = (code: string) =>
    versions
      .filter((t) => t.code === code && t.status !== 'Adjusted' && t.companyId === COMPANY_ID)
      .sort((a, b) => (a.version ?? 0) - (b.version ?? 0))
      .at(-1);

  const listAvaTax: MonthSources['listAvaTax'] = async (from, to) => {
    const listed = versions
      .filter((t) => t.date >= from && t.date <= to)
      .sort((a, b) => (disturb.newestFirst ? b.id - a.id : a.id - b.id));
    // A listing short of its own count: the count claims `avataxShort` more than the pages give, also when the
    // range holds nothing (cutting from nothing would leave a whole listing the oracle calls short).
    const count = listed.length + (disturb.avataxShort > 0 && listed.length === 0 ? disturb.avataxShort : 0);
    const given = disturb.avataxShort > 0 ? listed.slice(0, Math.max(0, listed.length - disturb.avataxShort)) : listed;
    const half = Math.max(1, Math.ceil(given.length / 2));
    const pages: ListedPage[] = [
      { recordsetCount: count, value: given.slice(0, half) },
      { recordsetCount: disturb.avataxCountMoved ? count + 1 : count, value: given.slice(half) },
    ];
    if (disturb.avataxOverlap && given.length > 0) pages[1]!.value = [given[0]!, ...pages[1]!.value];
    return pages;
  };

  // ---- the ledger ----
  const rows = new Map<string, LedgerDocument>();
  month.docs.forEach((d, i) => {
    const f = facts[i]!;
    if (!d.ledger) return;
    const bookedTax = f.booked.reduce((s, b) => s + b.vat, 0);
    rows.set(`${f.kind}:${f.ref}`, {
      key: `${f.kind}:${f.ref}`,
      documentType: f.kind,
      referenceNumber: f.ref,
      customerNumber: `C${f.index % 40}`,
      customerName: `Customer ${f.index % 40}`,
      documentDate: f.vismaDate,
      currency: f.currency,
      amount: f.net + bookedTax,
      exchangeRate: f.vismaRate,
      state: d.ledger.state,
      reasons: d.ledger.state === 'posted' || d.ledger.state === 'calculated' ? [] : ['held by the sync'],
      fingerprint: 'f',
      vismaStatus: d.visma,
      vismaTimeStamp: `A${f.ref}`,
      vismaLastModified: `${f.vismaDate}T10:00:00.000`,
      avataxCode: f.code,
      ...(d.avatax ? { avataxStatus: d.avatax.status } : {}),
      country: f.country,
      ...(f.vatNumber ? { vatNumber: f.vatNumber } : {}),
      lines: [],
      bookedTax,
      ...(d.ledger.accepted
        ? {
            acceptance: {
              reason: 'Agreed with the customer',
              by: 'anna',
              at: `${f.vismaDate}T12:00:00.000Z`,
              bookedTax,
              calculatedTax: f.lines.reduce((s, l) => s + l.calculated, 0),
              fingerprint: 'f',
            },
          }
        : {}),
      writtenBack: false,
      attempts: 1,
      firstProcessedAt: `${f.vismaDate}T10:00:00.000Z`,
      lastProcessedAt: `${f.vismaDate}T10:00:00.000Z`,
    });
  });

  const sources: MonthSources = {
    listVisma,
    getVisma: async (kind, ref) => {
      const i = month.docs.findIndex((_, k) => facts[k]!.kind === kind && facts[k]!.ref === ref);
      return i < 0 ? undefined : inVisma[i];
    },
    listAvaTax,
    avataxCompanyId: async () => COMPANY_ID,
    getAvaTax: async (code: string, _type: TransactionType) => live(code),
  };
  return {
    sources,
    ledgerOfMonth: [...rows.values()].filter((r) => inMonth(r.documentDate)),
    ledger: async (key) => rows.get(key),
    mapping: MAPPING,
  };
}

export { addDays };
