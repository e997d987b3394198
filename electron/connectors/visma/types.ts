import { z } from 'zod';

/** Response shapes of Visma.net ERP, lenient where the API is (nulls, extra fields), strict where we depend. */

const num = z.number().nullable().optional();
const idName = z.looseObject({ id: z.string().nullable().optional(), name: z.string().nullable().optional() });
const idDescription = z.looseObject({
  id: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});

export const vismaAddressSchema = z.looseObject({
  addressId: z.number().nullable().optional(),
  addressLine1: z.string().nullable().optional(),
  addressLine2: z.string().nullable().optional(),
  addressLine3: z.string().nullable().optional(),
  postalCode: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  country: idName.nullable().optional(),
  county: idName.nullable().optional(),
});
export type VismaAddress = z.infer<typeof vismaAddressSchema>;

export const metadataSchema = z.looseObject({ totalCount: z.number().optional(), maxPageSize: z.number().optional() });

export const taxDetailSchema = z.looseObject({
  taxId: z.string().nullable().optional(),
  recordId: z.number().nullable().optional(),
  vatId: z
    .looseObject({ number: z.string().nullable().optional(), description: z.string().nullable().optional() })
    .nullable()
    .optional(),
  vatRate: num,
  taxableAmount: num,
  vatAmount: num,
});

export const documentLineSchema = z.looseObject({
  lineNumber: z.number(),
  inventoryNumber: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  quantity: num,
  unitPrice: num,
  unitPriceInCurrency: num,
  amount: num,
  amountInCurrency: num,
  vatCode: idDescription.nullable().optional(),
});

/** How a Visma credit note names the invoice it credits (ArAdjustDto). */
const applicationSchema = z.looseObject({
  docType: z.string().nullable().optional(),
  refNbr: z.string().nullable().optional(),
});
export type VismaDocumentLine = z.infer<typeof documentLineSchema>;

const documentBase = {
  documentType: z.string().optional(),
  referenceNumber: z.string().min(1),
  status: z.string().optional(),
  hold: z.boolean().optional(),
  customer: z.looseObject({ number: z.string(), name: z.string().nullable().optional() }),
  documentDate: z.string(),
  origInvoiceDate: z.string().nullable().optional(),
  currencyId: z.string().nullable().optional(),
  exchangeRate: num,
  amount: num,
  amountInCurrency: num,
  detailTotal: num,
  detailTotalInCurrency: num,
  vatTotal: num,
  vatTotalInCurrency: num,
  customerVatZone: idDescription.nullable().optional(),
  location: z
    .looseObject({
      id: z.string().nullable().optional(),
      name: z.string().nullable().optional(),
      countryId: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  taxDetails: z.array(taxDetailSchema).nullable().optional(),
  note: z.string().nullable().optional(),
  lastModifiedDateTime: z.string(),
  timeStamp: z.string().nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
};

export const customerInvoiceSchema = z.looseObject({
  ...documentBase,
  invoiceLines: z.array(documentLineSchema).nullable().optional(),
});
export const customerCreditNoteSchema = z.looseObject({
  ...documentBase,
  lines: z.array(documentLineSchema).nullable().optional(),
  applications: z.array(applicationSchema).nullable().optional(),
});

/**
 * A customer debit note (`/v1/customerDebitNote`, documentType DebitNote): an extra charge, shaped as an invoice
 * (`invoiceLines`). The stored material names the endpoint but not its DTO: `lines` is read too, in case Visma
 * names them as on credit notes (docs/api-assumptions.md).
 */
export const customerDebitNoteSchema = z.looseObject({
  ...documentBase,
  invoiceLines: z.array(documentLineSchema).nullable().optional(),
  lines: z.array(documentLineSchema).nullable().optional(),
});

export type VismaInvoice = z.infer<typeof customerInvoiceSchema>;
export type VismaCreditNote = z.infer<typeof customerCreditNoteSchema>;
export type VismaDebitNote = z.infer<typeof customerDebitNoteSchema>;

/** The response schema of each kind's list and GET. */
export const DOCUMENT_SCHEMAS = {
  invoice: customerInvoiceSchema,
  'credit-note': customerCreditNoteSchema,
  'debit-note': customerDebitNoteSchema,
} as const;

export const customerSchema = z.looseObject({
  internalId: z.number().optional(),
  number: z.string(),
  name: z.string().nullable().optional(),
  status: z.string().optional(),
  mainAddress: vismaAddressSchema.nullable().optional(),
  invoiceAddress: vismaAddressSchema.nullable().optional(),
  deliveryAddress: vismaAddressSchema.nullable().optional(),
  vatRegistrationId: z.string().nullable().optional(),
  corporateId: z.string().nullable().optional(),
  vatZone: z.looseObject({ id: z.string().nullable().optional() }).nullable().optional(),
  lastModifiedDateTime: z.string().optional(),
  timeStamp: z.string().nullable().optional(),
});
export type VismaCustomer = z.infer<typeof customerSchema>;

/** A customer's location (`GET /v1/location/{customer}/{location}`): the ship-to an invoice names. */
export const locationSchema = z.looseObject({
  locationId: z.string(),
  locationName: z.string().nullable().optional(),
  active: z.boolean().nullable().optional(),
  address: vismaAddressSchema.nullable().optional(),
  vatRegistrationId: z.string().nullable().optional(),
  vatZone: z.looseObject({ id: z.string().nullable().optional() }).nullable().optional(),
  timeStamp: z.string().nullable().optional(),
});
export type VismaLocation = z.infer<typeof locationSchema>;

const rateSchema = z.looseObject({ vatRate: num, startDate: z.string().nullable().optional() });

export const vatCategorySchema = z.looseObject({
  vatCategoryId: z.string(),
  description: z.string().nullable().optional(),
  active: z.boolean().nullable().optional(),
  excludeListedTaxes: z.boolean().nullable().optional(),
  vatCategoryLines: z
    .array(
      z.looseObject({
        vatId: z.string(),
        description: z.string().nullable().optional(),
        type: z.string().nullable().optional(),
        vatRates: z.array(rateSchema).nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type VismaVatCategory = z.infer<typeof vatCategorySchema>;

export const vatZoneSchema = z.looseObject({
  id: z.string(),
  description: z.string().nullable().optional(),
  defaultVatCategory: z.string().nullable().optional(),
});
export type VismaVatZone = z.infer<typeof vatZoneSchema>;

/** A VAT id (`GET /v1/vat`): which zones and categories it belongs to, its rate schedule. */
export const vatInformationSchema = z.looseObject({
  vatId: z.string(),
  description: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  reverseVat: z.boolean().nullable().optional(),
  schedules: z.array(rateSchema).nullable().optional(),
  zones: z
    .array(z.looseObject({ id: z.string().nullable().optional() }))
    .nullable()
    .optional(),
  categories: z
    .array(z.looseObject({ vatCategoryId: z.string().nullable().optional() }))
    .nullable()
    .optional(),
});
export type VismaVatInformation = z.infer<typeof vatInformationSchema>;

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

/**
 * The unified document the engine works on: invoice, credit note and debit note differ in path, line key and sign
 * (a credit note's amounts are a return; an invoice's and a debit note's a sale).
 */
export type VismaDocumentKind = 'invoice' | 'credit-note' | 'debit-note';
export const DOCUMENT_KINDS: readonly VismaDocumentKind[] = ['invoice', 'credit-note', 'debit-note'];

/** The kind a ledger key (`debit-note:280001`) or a stored document type names; anything else is an invoice. */
export function kindOf(keyOrType: string): VismaDocumentKind {
  const kind = keyOrType.split(':')[0] as VismaDocumentKind;
  return DOCUMENT_KINDS.includes(kind) ? kind : 'invoice';
}

export interface VismaDocument {
  kind: VismaDocumentKind;
  referenceNumber: string;
  status: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  origInvoiceDate?: string;
  currency: string;
  /** Gross total in the document's currency. */
  amount: number;
  /** Net (lines) total in the document's currency, and in base currency, when Visma says. */
  netAmount?: number;
  netAmountBase?: number;
  exchangeRate?: number;
  /** VAT in the document's currency, and in the company's base currency. */
  vatTotal: number;
  vatTotalBase?: number;
  lines: VismaDocumentLine[];
  lastModifiedDateTime: string;
  timeStamp: string;
  note?: string;
  vatZoneId?: string;
  location?: { id: string; countryId?: string };
  /** The invoice a credit note names (applications, docType Invoice). */
  appliesToInvoice?: string;
  /** Undefined when the listing did not carry them (asked without expandTaxDetails). */
  taxDetails?: z.infer<typeof taxDetailSchema>[];
}

export function toVismaDocument(
  kind: VismaDocumentKind,
  raw: VismaInvoice | VismaCreditNote | VismaDebitNote,
): VismaDocument {
  const lines =
    (kind === 'credit-note'
      ? (raw as VismaCreditNote).lines
      : ((raw as VismaDebitNote).invoiceLines ?? (kind === 'debit-note' ? (raw as VismaDebitNote).lines : null))) ?? [];
  const applied =
    kind === 'credit-note'
      ? (raw as VismaCreditNote).applications?.find((a) => /invoice/i.test(a.docType ?? '') && a.refNbr)?.refNbr
      : undefined;
  return {
    kind,
    referenceNumber: raw.referenceNumber,
    status: raw.status ?? 'Unknown',
    customerNumber: raw.customer.number,
    customerName: raw.customer.name ?? '',
    documentDate: raw.documentDate,
    origInvoiceDate: raw.origInvoiceDate ?? undefined,
    currency: raw.currencyId ?? '',
    amount: raw.amountInCurrency ?? raw.amount ?? 0,
    netAmount: raw.detailTotalInCurrency ?? raw.detailTotal ?? undefined,
    netAmountBase: raw.detailTotal ?? undefined,
    exchangeRate: raw.exchangeRate ?? undefined,
    vatTotal: raw.vatTotalInCurrency ?? raw.vatTotal ?? 0,
    vatTotalBase: raw.vatTotal ?? undefined,
    lines,
    lastModifiedDateTime: raw.lastModifiedDateTime,
    timeStamp: raw.timeStamp ?? '',
    note: raw.note ?? undefined,
    vatZoneId: raw.customerVatZone?.id ?? undefined,
    location: raw.location?.id ? { id: raw.location.id, countryId: raw.location.countryId ?? undefined } : undefined,
    appliesToInvoice: applied ?? undefined,
    taxDetails: raw.taxDetails ?? undefined,
  };
}

/** Body of PUT /v1/customer/{n} for one address: wrapped twice, `countryId` and `county` always sent. */
export interface AddressUpdate {
  addressLine1: string;
  addressLine2?: string;
  postalCode: string;
  city: string;
  countryId: string;
  county?: string | null;
}

export type WhichAddress = 'mainAddress' | 'deliveryAddress' | 'invoiceAddress';

export function dto<T>(value: T): { value: T } {
  return { value };
}
