import { describe, expect, it } from 'vitest';
import {
  documentCode,
  escapeCodeForPath,
  parseDocumentCode,
  unescapeCodeFromPath,
} from '../../shared/document-code.js';

describe('document codes', () => {
  it('is deterministic per document type and number', () => {
    expect(documentCode('invoice', '260001')).toBe('VN-INV-260001');
    expect(documentCode('credit-note', ' 270001 ')).toBe('VN-CRN-270001');
    expect(parseDocumentCode('VN-CRN-270001')).toEqual({ type: 'credit-note', referenceNumber: '270001' });
    expect(parseDocumentCode('OTHER-1')).toBeUndefined();
  });

  it('refuses codes AvaTax would reject', () => {
    expect(() => documentCode('invoice', '')).toThrow(/reference number/);
    expect(() => documentCode('invoice', 'X'.repeat(44))).toThrow(/50 characters/);
  });

  it('escapes / + ? % # and spaces in URL paths as AvaTax documents', () => {
    const code = 'VN-INV-2026/11 #4+a?b%c';
    const escaped = escapeCodeForPath(code);
    expect(escaped).toBe('VN-INV-2026_-ava2f-_11%20_-ava23-_4_-ava2b-_a_-ava3f-_b_-ava25-_c');
    expect(escaped).not.toMatch(/[/#?]/);
    expect(unescapeCodeFromPath(escaped)).toBe(code);
  });
});
