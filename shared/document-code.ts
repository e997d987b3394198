/** Deterministic AvaTax document codes: the same Visma document always maps to the same code. */
export type DocumentType = 'invoice' | 'credit-note' | 'debit-note';

const PREFIX: Record<DocumentType, string> = {
  invoice: 'VN-INV-',
  'credit-note': 'VN-CRN-',
  'debit-note': 'VN-DBN-',
};

/** How a CSV (and the CLI) names each kind, in English as the export's columns are. */
export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  invoice: 'Invoice',
  'credit-note': 'Credit note',
  'debit-note': 'Debit note',
};

export const MAX_CODE_LENGTH = 50;

export function documentCode(type: DocumentType, referenceNumber: string): string {
  const ref = referenceNumber.trim();
  if (ref === '') throw new RangeError('A document without a reference number cannot get a document code');
  const code = `${PREFIX[type]}${ref}`;
  if (code.length > MAX_CODE_LENGTH) {
    throw new RangeError(`Document code ${code} is longer than AvaTax's ${MAX_CODE_LENGTH} characters`);
  }
  return code;
}

/** The inverse, for the reconciliation and already-posted paths. */
export function parseDocumentCode(code: string): { type: DocumentType; referenceNumber: string } | undefined {
  for (const [type, prefix] of Object.entries(PREFIX) as [DocumentType, string][]) {
    if (code.startsWith(prefix) && code.length > prefix.length) {
      return { type, referenceNumber: code.slice(prefix.length) };
    }
  }
  return undefined;
}

/**
 * AvaTax's own escaping of transaction codes in URL paths (`/`, `+`, `?`, `%`, `#`), then ordinary
 * percent-encoding for the rest (space -> %20).
 */
export function escapeCodeForPath(code: string): string {
  const avalara = code
    .replace(/%/g, '_-ava25-_')
    .replace(/\//g, '_-ava2f-_')
    .replace(/\+/g, '_-ava2b-_')
    .replace(/\?/g, '_-ava3f-_')
    .replace(/#/g, '_-ava23-_');
  return encodeURIComponent(avalara).replace(/%5F/gi, '_');
}

export function unescapeCodeFromPath(segment: string): string {
  return decodeURIComponent(segment)
    .replace(/_-ava2f-_/g, '/')
    .replace(/_-ava2b-_/g, '+')
    .replace(/_-ava3f-_/g, '?')
    .replace(/_-ava23-_/g, '#')
    .replace(/_-ava25-_/g, '%');
}
