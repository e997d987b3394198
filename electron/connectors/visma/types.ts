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
  amount: num,
  amountInCurrency: num,
  vatTotal: num,
  vatTotalInCurrency: num,
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
});

export type VismaInvoice = z.infer<typeof customerInvoiceSchema>;
export type VismaCreditNote = z.infer<typeof customerCreditNoteSchema>;

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

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

/** The unified document the engine works on: invoice and credit note differ only in line key and PUT path. */
export type VismaDocumentKind = 'invoice' | 'credit-note';

export interface VismaDocument {
  kind: VismaDocumentKind;
  referenceNumber: string;
  status: string;
  customerNumber: string;
  customerName: string;
  documentDate: string;
  origInvoiceDate?: string;
  currency: string;
  amount: number;
  vatTotal: number;
  lines: VismaDocumentLine[];
  lastModifiedDateTime: string;
  timeStamp: string;
  note?: string;
  taxDetails: z.infer<typeof taxDetailSchema>[];
}

export function toVismaDocument(kind: VismaDocumentKind, raw: VismaInvoice | VismaCreditNote): VismaDocument {
  const lines = (kind === 'invoice' ? (raw as VismaInvoice).invoiceLines : (raw as VismaCreditNote).lines) ?? [];
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
    vatTotal: raw.vatTotalInCurrency ?? raw.vatTotal ?? 0,
    lines,
    lastModifiedDateTime: raw.lastModifiedDateTime,
    timeStamp: raw.timeStamp ?? '',
    note: raw.note ?? undefined,
    taxDetails: raw.taxDetails ?? [],
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
