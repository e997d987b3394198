/** The Visma.net sandbox's data: plain JSON so demo mode can keep it in the data folder between runs. */

export interface SandboxAddress {
  addressId: number;
  addressLine1: string | null;
  addressLine2: string | null;
  addressLine3: string | null;
  postalCode: string | null;
  city: string | null;
  country: { id: string; name: string } | null;
  county: { id: string; name: string } | null;
}

export interface SandboxCustomer {
  internalId: number;
  number: string;
  name: string;
  status: 'Active' | 'OnHold' | 'Inactive';
  mainAddress: SandboxAddress;
  invoiceAddress: SandboxAddress;
  deliveryAddress: SandboxAddress | null;
  vatRegistrationId: string | null;
  corporateId: string | null;
  currencyId: string;
  vatZone: { id: string; description: string } | null;
  lastModifiedDateTime: string;
  createdDateTime: string;
  timeStamp: string;
}

export interface SandboxLine {
  lineNumber: number;
  inventoryNumber: string;
  description: string;
  quantity: number;
  unitPrice: number;
  unitPriceInCurrency: number;
  amount: number;
  amountInCurrency: number;
  vatCode: { id: string; description: string } | null;
}

export interface SandboxTaxDetail {
  taxId: string;
  recordId: number;
  vatId: { number: string; description: string };
  vatRate: number;
  taxableAmount: number;
  vatAmount: number;
}

export interface SandboxDocument {
  kind: 'invoice' | 'credit-note';
  documentType: 'Invoice' | 'CreditNote';
  referenceNumber: string;
  status: 'Hold' | 'Balanced' | 'Open' | 'Closed' | 'Voided';
  hold: boolean;
  customer: { number: string; name: string };
  documentDate: string;
  origInvoiceDate: string | null;
  currencyId: string;
  lines: SandboxLine[];
  taxDetails: SandboxTaxDetail[];
  note: string | null;
  detailTotal: number;
  vatTotal: number;
  amount: number;
  lastModifiedDateTime: string;
  createdDateTime: string;
  timeStamp: string;
}

export interface VismaClientRegistration {
  clientId: string;
  clientSecret: string;
  tenantId: string;
}

export interface VismaSandboxState {
  version: 1;
  rowVersion: number;
  nextRecordId: number;
  clients: VismaClientRegistration[];
  vatCategories: { id: string; description: string; rate: number }[];
  customers: SandboxCustomer[];
  documents: SandboxDocument[];
}

export function emptyVismaState(): VismaSandboxState {
  return {
    version: 1,
    rowVersion: 1000,
    nextRecordId: 1,
    clients: [],
    vatCategories: [],
    customers: [],
    documents: [],
  };
}

/** Visma's timeStamp is a SQL rowversion, shown Base64 (e.g. AAAAAE0YIiI=). */
export function rowVersionToTimeStamp(n: number): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(n));
  return buf.toString('base64');
}

/** Server clock, no zone, milliseconds: the format Visma documents for the lastModifiedDateTime filter. */
export function vismaDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/** Accepts the formats Visma documents; returns epoch ms (the value is read as server time, UTC here). */
export function parseVismaDateTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = (m[3] ?? '0').padEnd(3, '0').slice(0, 3);
  const value = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}.${ms}Z`);
  return Number.isNaN(value) ? undefined : value;
}
