import { createHash } from 'node:crypto';
import { documentCode } from '../../shared/document-code.js';
import type { ShipTo } from '../../shared/domain.js';
import { fromMinor, toMinor } from '../../shared/money.js';
import type { Settings } from '../../shared/settings.js';
import {
  type CreateTransactionModel,
  createTransactionSchema,
  type TransactionModel,
} from '../connectors/avatax/types.js';
import type { VismaCustomer, VismaDocument } from '../connectors/visma/types.js';
import { normaliseVatNumber } from './countries.js';

/** What decides the tax of a document, and nothing else: our own write-back must not change it. */

export function shipToOf(
  customer: VismaCustomer,
): { address: ShipTo; which: 'deliveryAddress' | 'mainAddress' } | undefined {
  const pick = (a: VismaCustomer['mainAddress']): ShipTo | undefined =>
    a && (a.addressLine1 || a.city || a.postalCode || a.country?.id)
      ? {
          line1: clean(a.addressLine1),
          line2: clean(a.addressLine2) || undefined,
          city: clean(a.city),
          region: clean(a.county?.id) || undefined,
          postalCode: clean(a.postalCode),
          country: clean(a.country?.id).toUpperCase(),
        }
      : undefined;
  const delivery = pick(customer.deliveryAddress);
  if (delivery) return { address: delivery, which: 'deliveryAddress' };
  const main = pick(customer.mainAddress);
  return main ? { address: main, which: 'mainAddress' } : undefined;
}

/** Trims and normalises Unicode (NFC) so that "Malmö" typed two ways is one address. */
function clean(s: string | null | undefined): string {
  return (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function vatNumberOf(customer: VismaCustomer): string | undefined {
  const raw = customer.vatRegistrationId?.trim();
  return raw ? normaliseVatNumber(raw) : undefined;
}

export function documentKey(doc: Pick<VismaDocument, 'kind' | 'referenceNumber'>): string {
  return `${doc.kind}:${doc.referenceNumber}`;
}

export function avataxCodeOf(doc: Pick<VismaDocument, 'kind' | 'referenceNumber'>): string {
  return documentCode(doc.kind, doc.referenceNumber);
}

export function transactionType(doc: Pick<VismaDocument, 'kind'>): 'SalesInvoice' | 'ReturnInvoice' {
  return doc.kind === 'invoice' ? 'SalesInvoice' : 'ReturnInvoice';
}

/** A SHA-256 of the tax inputs: customer, ship-to, VAT number, date, currency, lines. */
export function fingerprint(doc: VismaDocument, shipTo: ShipTo | undefined, vatNumber: string | undefined): string {
  const inputs = {
    customer: doc.customerNumber,
    shipTo: shipTo
      ? [shipTo.line1, shipTo.line2 ?? '', shipTo.city, shipTo.region ?? '', shipTo.postalCode, shipTo.country]
      : null,
    vat: vatNumber ?? '',
    date: doc.documentDate.slice(0, 10),
    orig: doc.origInvoiceDate?.slice(0, 10) ?? '',
    currency: doc.currency,
    lines: doc.lines
      .map((l) => [
        l.lineNumber,
        l.inventoryNumber ?? '',
        l.quantity ?? 0,
        toMinor(l.amountInCurrency ?? l.amount ?? 0),
      ])
      .sort((a, b) => Number(a[0]) - Number(b[0])),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

export interface BuiltModel {
  model?: CreateTransactionModel;
  problems: string[];
}

/** The CreateTransactionModel for a Visma document, validated against AvaTax's field limits before sending. */
export function buildTransaction(
  doc: VismaDocument,
  shipTo: ShipTo,
  vatNumber: string | undefined,
  settings: Settings,
  commit: boolean,
): BuiltModel {
  const problems: string[] = [];
  if (!doc.currency) problems.push('The document has no currency');
  if (doc.lines.length === 0) problems.push('The document has no lines');
  const sign = doc.kind === 'credit-note' ? -1 : 1;
  const lines = doc.lines.map((l) => {
    const amount = toMinor(l.amountInCurrency ?? l.amount ?? 0);
    const item = l.inventoryNumber ?? undefined;
    return {
      number: String(l.lineNumber),
      quantity: Math.abs(l.quantity ?? 1),
      // Each line keeps its own sign (a discount stays negative); a credit note negates its lines as they are.
      amount: fromMinor(sign * amount),
      taxCode: (item && settings.itemTaxCodes[item]) || settings.defaultTaxCode,
      itemCode: item ? item.slice(0, 50) : undefined,
      description: l.description ? l.description.slice(0, 2096) : undefined,
    };
  });
  const date = doc.documentDate.slice(0, 10);
  const model: CreateTransactionModel = {
    type: transactionType(doc),
    code: avataxCodeOf(doc),
    companyCode: settings.avalara.companyCode,
    date,
    customerCode: doc.customerNumber,
    currencyCode: doc.currency.toUpperCase(),
    businessIdentificationNo: vatNumber,
    commit,
    addresses: {
      shipFrom: { ...settings.company.shipFrom },
      shipTo: {
        line1: shipTo.line1,
        line2: shipTo.line2,
        city: shipTo.city,
        region: shipTo.region,
        postalCode: shipTo.postalCode,
        country: shipTo.country,
      },
    },
    lines,
    ...(doc.kind === 'credit-note'
      ? {
          taxOverride: {
            type: 'TaxDate' as const,
            taxDate: (doc.origInvoiceDate ?? doc.documentDate).slice(0, 10),
            reason: 'Return',
          },
        }
      : {}),
  };
  const parsed = createTransactionSchema.safeParse(model);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`AvaTax would refuse ${issue.path.join('.')}: ${issue.message}`);
  }
  return problems.length > 0 ? { problems } : { model: parsed.data, problems };
}

/** Whether a transaction AvaTax already holds was made from the same tax inputs as the model we would send. */
export function sameTaxInputs(model: CreateTransactionModel, tx: TransactionModel): boolean {
  const ours = model.lines.map((l) => [l.number, toMinor(l.amount), l.taxCode ?? '']).sort();
  const theirs = (tx.lines ?? []).map((l) => [l.lineNumber, toMinor(l.lineAmount ?? 0), l.taxCode ?? '']).sort();
  return (
    tx.date.slice(0, 10) === model.date &&
    (tx.customerCode ?? '') === model.customerCode &&
    (tx.currencyCode ?? '').toUpperCase() === model.currencyCode &&
    (tx.businessIdentificationNo ?? '') === (model.businessIdentificationNo ?? '') &&
    JSON.stringify(ours) === JSON.stringify(theirs)
  );
}
