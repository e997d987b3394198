import { z } from 'zod';
import { DOCUMENT_STATES } from './domain.js';

/**
 * The ledger row's shape, checked on every load: a row of the wrong type stops the app with the file and the
 * field named instead of crashing a run later. Extra fields are kept (a newer version may have written them).
 */
const minor = z.number().int();
const text = z.string();

export const shipToShape = z.looseObject({
  line1: text,
  line2: text.optional(),
  city: text,
  region: text.optional(),
  postalCode: text,
  country: text,
});

export const lineResultShape = z.looseObject({
  lineNumber: z.number(),
  amount: minor,
  taxableAmount: minor,
  tax: minor,
  taxCalculated: minor.optional(),
  rate: z.number(),
  country: text,
  taxCountry: text.optional(),
  reverseCharge: z.boolean().optional(),
  vatZoneId: text.optional(),
  vatCategoryId: text.optional(),
  vatId: text.optional(),
  taxCode: text.optional(),
  itemCode: text.optional(),
});

/** A reason as stored: a code with its parameters, or the English text of a row written before codes. */
export const storedReasonShape = z.union([
  text,
  z.looseObject({ code: text.min(1), params: z.record(z.string(), z.unknown()).optional() }),
]);

const vatLineShape = z.looseObject({ vatId: text, taxable: minor, vat: minor, rate: z.number().optional() });

export const ledgerDocumentShape = z.looseObject({
  key: z.string().regex(/^(invoice|credit-note|debit-note):.+$/, 'a key such as invoice:260001'),
  documentType: z.enum(['invoice', 'credit-note', 'debit-note']),
  referenceNumber: text.min(1),
  customerNumber: text,
  customerName: text,
  documentDate: text,
  currency: text,
  amount: minor,
  netAmount: minor.optional(),
  exchangeRate: z.number().positive().optional(),
  state: z.enum(DOCUMENT_STATES),
  reasons: z.array(storedReasonShape),
  fingerprint: text,
  vismaStatus: text,
  vismaTimeStamp: text,
  vismaLastModified: text,
  vatZoneId: text.optional(),
  avataxCode: text,
  avataxId: z.number().optional(),
  avataxStatus: text.optional(),
  avataxFingerprint: text.optional(),
  country: text,
  shipTo: shipToShape.optional(),
  shipToSource: z.enum(['location', 'delivery-address', 'main-address']).optional(),
  locationId: text.optional(),
  vatNumber: text.optional(),
  suggestedAddress: shipToShape.optional(),
  lines: z.array(lineResultShape),
  booked: z.array(vatLineShape).optional(),
  bookedTax: minor.optional(),
  calculated: z.array(vatLineShape).optional(),
  calculatedTax: minor.optional(),
  recordedTax: minor.optional(),
  acceptance: z
    .looseObject({ reason: text, by: text, at: text, bookedTax: minor, calculatedTax: minor, fingerprint: text })
    .optional(),
  seenReleased: z.boolean().optional(),
  writtenBack: z.boolean(),
  attempts: z.number().int().nonnegative(),
  lastError: z.looseObject({ code: text, message: text, correlationId: text.optional() }).optional(),
  firstProcessedAt: text,
  lastProcessedAt: text,
});

/** "state: expected one of …" style text naming the field, for the stop message. */
export function describeRowProblem(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'row'}: ${i.message}`)
    .join('; ');
}
