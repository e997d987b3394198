import { z } from 'zod';

/** AvaTax REST v2 shapes we send and read (field names and limits from the 19.6 / 21.12 specs). */

export const addressLocationSchema = z.object({
  locationCode: z.string().max(50).optional(),
  line1: z.string().max(100).optional(),
  line2: z.string().max(100).optional(),
  line3: z.string().max(100).optional(),
  city: z.string().max(50).optional(),
  region: z.string().max(50).optional(),
  country: z.string().max(50).optional(),
  postalCode: z.string().max(11).optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
export type AddressLocationInfo = z.infer<typeof addressLocationSchema>;

export const TRANSACTION_TYPES = ['SalesOrder', 'SalesInvoice', 'ReturnOrder', 'ReturnInvoice'] as const;

/** AdjustTransactionModel.adjustmentReason (AvaTax 19.6); 'Other' needs an adjustmentDescription. */
export const ADJUSTMENT_REASONS = [
  'SourcingIssue',
  'ReconciledWithGeneralLedger',
  'ExemptCertApplied',
  'PriceAdjusted',
  'ProductReturned',
  'ProductExchanged',
  'BadDebt',
  'Other',
  'Offline',
] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** A tax calculated elsewhere (here: the VAT Visma booked), recorded as it is; AvaTax still reports its own. */
export const taxAmountOverrideSchema = z.object({
  type: z.literal('TaxAmount'),
  taxAmount: z.number(),
  reason: z.string().max(255),
});

export const lineItemSchema = z.object({
  number: z.string().max(50),
  quantity: z.number().nonnegative().optional(),
  amount: z.number(),
  taxCode: z.string().max(25).optional(),
  itemCode: z.string().max(50).optional(),
  description: z.string().max(2096).optional(),
  taxIncluded: z.boolean().optional(),
  taxOverride: taxAmountOverrideSchema.optional(),
});
export type LineItemModel = z.infer<typeof lineItemSchema>;

const createTransactionObject = z.object({
  type: z.enum(TRANSACTION_TYPES),
  code: z.string().min(1).max(50),
  companyCode: z.string().max(50),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  customerCode: z.string().min(1).max(50),
  currencyCode: z.string().length(3),
  businessIdentificationNo: z.string().max(25).optional(),
  exchangeRate: z.number().positive().optional(),
  exchangeRateCurrencyCode: z.string().length(3).optional(),
  exchangeRateEffectiveDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  commit: z.boolean(),
  addresses: z.object({ shipFrom: addressLocationSchema, shipTo: addressLocationSchema }),
  lines: z.array(lineItemSchema).min(1),
  taxOverride: z
    .union([
      z.object({ type: z.literal('TaxDate'), taxDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), reason: z.string() }),
      taxAmountOverrideSchema,
    ])
    .optional(),
  purchaseOrderNo: z.string().max(50).optional(),
  referenceCode: z.string().max(1024).optional(),
  description: z.string().max(2048).optional(),
});

/**
 * Avalara states that a transaction cannot carry a transaction-level override and line-level overrides at once:
 * such a model is refused here, before it is sent.
 */
export const createTransactionSchema = createTransactionObject.refine(
  (m) => !m.taxOverride || m.lines.every((l) => l.taxOverride === undefined),
  { message: 'a document-level tax override cannot be sent beside line-level ones', path: ['taxOverride'] },
);
export type CreateTransactionModel = z.infer<typeof createTransactionSchema>;

const detailSchema = z.looseObject({
  taxCalculated: z.number().nullable().optional(),
  country: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  jurisType: z.string().nullable().optional(),
  jurisName: z.string().nullable().optional(),
  taxType: z.string().nullable().optional(),
  taxName: z.string().nullable().optional(),
  rateTypeCode: z.string().nullable().optional(),
  rate: z.number().nullable().optional(),
  tax: z.number().nullable().optional(),
  taxableAmount: z.number().nullable().optional(),
});

export const transactionLineSchema = z.looseObject({
  id: z.number().optional(),
  lineNumber: z.string(),
  itemCode: z.string().nullable().optional(),
  lineAmount: z.number().nullable().optional(),
  quantity: z.number().nullable().optional(),
  taxableAmount: z.number().nullable().optional(),
  tax: z.number().nullable().optional(),
  taxCalculated: z.number().nullable().optional(),
  taxOverrideType: z.string().nullable().optional(),
  taxCode: z.string().nullable().optional(),
  details: z.array(detailSchema).nullable().optional(),
});
export type TransactionLineModel = z.infer<typeof transactionLineSchema>;

export const transactionSchema = z.looseObject({
  id: z.number(),
  code: z.string(),
  companyId: z.number().optional(),
  date: z.string(),
  status: z.string(),
  type: z.string(),
  currencyCode: z.string().nullable().optional(),
  exchangeRate: z.number().nullable().optional(),
  exchangeRateEffectiveDate: z.string().nullable().optional(),
  customerCode: z.string().nullable().optional(),
  businessIdentificationNo: z.string().nullable().optional(),
  totalAmount: z.number().nullable().optional(),
  totalTax: z.number().nullable().optional(),
  totalTaxCalculated: z.number().nullable().optional(),
  totalTaxable: z.number().nullable().optional(),
  taxOverrideType: z.string().nullable().optional(),
  taxDate: z.string().nullable().optional(),
  referenceCode: z.string().nullable().optional(),
  destinationAddressId: z.number().nullable().optional(),
  locked: z.boolean().nullable().optional(),
  version: z.number().nullable().optional(),
  adjustmentReason: z.string().nullable().optional(),
  adjustmentDescription: z.string().nullable().optional(),
  lines: z.array(transactionLineSchema).nullable().optional(),
  addresses: z
    .array(
      z.looseObject({
        id: z.number().nullable().optional(),
        line1: z.string().nullable().optional(),
        line2: z.string().nullable().optional(),
        city: z.string().nullable().optional(),
        region: z.string().nullable().optional(),
        postalCode: z.string().nullable().optional(),
        country: z.string().nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
  summary: z.array(z.looseObject({})).nullable().optional(),
  messages: z
    .array(z.looseObject({ summary: z.string().optional(), severity: z.string().optional() }))
    .nullable()
    .optional(),
});
export type TransactionModel = z.infer<typeof transactionSchema>;

export const transactionPageSchema = z.looseObject({
  '@recordsetCount': z.number().optional(),
  value: z.array(transactionSchema),
  '@nextLink': z.string().nullable().optional(),
});

/** QueryCompanies' answer: the companies, each with its id and code. */
export const companyPageSchema = z.looseObject({
  '@recordsetCount': z.number().optional(),
  value: z.array(z.looseObject({ id: z.number(), companyCode: z.string() })),
});

export const pingSchema = z.looseObject({
  version: z.string().optional(),
  authenticated: z.boolean(),
  authenticationType: z.string().optional(),
  authenticatedAccountId: z.number().nullable().optional(),
});
export type PingResult = z.infer<typeof pingSchema>;

export const addressMessageSchema = z.looseObject({
  summary: z.string().optional(),
  details: z.string().optional(),
  refersTo: z.string().optional(),
  severity: z.string().optional(),
  source: z.string().optional(),
});

export const addressResolutionSchema = z.looseObject({
  address: z.looseObject({}).optional(),
  validatedAddresses: z.array(addressLocationSchema.extend({ addressType: z.string().optional() }).loose()).optional(),
  coordinates: z.looseObject({}).nullable().optional(),
  resolutionQuality: z.string().optional(),
  messages: z.array(addressMessageSchema).optional(),
});
export type AddressResolution = z.infer<typeof addressResolutionSchema>;
