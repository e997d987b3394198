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
  /** Base currency (SEK), converted from the document currency with the document's exchange rate. */
  unitPrice: number;
  unitPriceInCurrency: number;
  /** Base currency. */
  amount: number;
  /** Document currency: what VAT is computed on. */
  amountInCurrency: number;
  /** The line's VAT category (a `vatCategories` id) or null. */
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

/** ArAdjustDto: how a Visma credit note names the invoice it is applied to. */
export interface SandboxApplication {
  docType: 'Invoice';
  customerCd: string;
  refNbr: string;
  /** Document currency. */
  amountPaid: number;
  /** What is left of the invoice after this application (document currency). */
  balance: number;
  released: boolean;
  status: 'Balanced' | 'Open' | 'Closed';
  /** YYYY-MM-DD (the DTO shows it with T00:00:00). */
  applicationDate: string;
}

export interface SandboxDocument {
  kind: 'invoice' | 'credit-note' | 'debit-note';
  documentType: 'Invoice' | 'CreditNote' | 'DebitNote';
  referenceNumber: string;
  /** Visma's CashSaleStatusEnum, the ones the sandbox models (a template is `Scheduled`). */
  status:
    | 'Hold'
    | 'Balanced'
    | 'Open'
    | 'Closed'
    | 'Voided'
    | 'Scheduled'
    | 'PendingPrint'
    | 'PendingEmail'
    | 'CreditHold';
  hold: boolean;
  customer: { number: string; name: string };
  documentDate: string;
  origInvoiceDate: string | null;
  /** YYYY-MM-DD. */
  documentDueDate: string;
  /** YYYY-MM-DD or null (no cash discount). */
  cashDiscountDate: string | null;
  currencyId: string;
  /** Document currency -> base currency (SEK); 1 for SEK. */
  exchangeRate: number;
  /** The document's VAT zone (a `vatZones` id) or null: no zone, no VAT. */
  customerVatZoneId: string | null;
  location: { id: string; name: string; countryId: string } | null;
  lines: SandboxLine[];
  /** Document currency (see the sandbox setting `taxDetailsCurrency` for what the API reports). */
  taxDetails: SandboxTaxDetail[];
  note: string | null;
  /** Credit notes: the invoices they are applied to. Invoices and debit notes: always empty. */
  applications: SandboxApplication[];
  /** Base currency. */
  detailTotal: number;
  detailTotalInCurrency: number;
  vatTotal: number;
  vatTotalInCurrency: number;
  amount: number;
  amountInCurrency: number;
  lastModifiedDateTime: string;
  createdDateTime: string;
  timeStamp: string;
}

/** A Visma "VAT id" (a tax). `rate` is a percent (25, 12, 6, 25.5). */
export interface SandboxVat {
  vatId: string;
  description: string;
  type: 'Vat' | 'ReverseVat' | 'Sales';
  reverseVat: boolean;
  rate: number;
  /** VAT zone ids this VAT id belongs to. */
  zones: string[];
  /** Not in the contract; when absent the DTO shows MASTER_DATA_MODIFIED. */
  lastModifiedDateTime?: string;
}

export interface SandboxVatCategory {
  vatCategoryId: string;
  description: string;
  active: boolean;
  vatIds: string[];
  lastModifiedDateTime?: string;
}

export interface SandboxVatZone {
  id: string;
  description: string;
  defaultVatCategory: string | null;
  /** Zone with manual VAT entry: Visma keeps the tax detail amounts it is sent (not exposed by the API). */
  manualVatEntry: boolean;
  lastModifiedDateTime?: string;
}

export interface SandboxLocation {
  customerNumber: string;
  locationId: string;
  locationName: string;
  active: boolean;
  address: SandboxAddress;
  vatRegistrationId: string | null;
  vatZoneId: string | null;
  lastModifiedDateTime: string;
  timeStamp: string;
}

/** When VAT master data carries no lastModifiedDateTime of its own. */
export const MASTER_DATA_MODIFIED = '2021-07-01T00:00:00';

export interface VismaClientRegistration {
  clientId: string;
  clientSecret: string;
  tenantId: string;
}

/** Bumped when the shape changes: a persisted demo state of another version is seeded afresh. */
export const VISMA_STATE_VERSION = 3;

export interface VismaSandboxState {
  version: typeof VISMA_STATE_VERSION;
  rowVersion: number;
  nextRecordId: number;
  clients: VismaClientRegistration[];
  vats: SandboxVat[];
  vatCategories: SandboxVatCategory[];
  vatZones: SandboxVatZone[];
  customers: SandboxCustomer[];
  locations: SandboxLocation[];
  documents: SandboxDocument[];
}

export function emptyVismaState(): VismaSandboxState {
  return {
    version: VISMA_STATE_VERSION,
    rowVersion: 1000,
    nextRecordId: 1,
    clients: [],
    vats: [],
    vatCategories: [],
    vatZones: [],
    customers: [],
    locations: [],
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
