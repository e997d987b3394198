import { expect } from 'vitest';
import { formatReason, REASON_CATALOGUES } from '../../shared/reason-format.js';
import type { StoredReason } from '../../shared/reasons.js';

/** A stored reason (a code, or English text from before codes) in English words, for assertions. */
export function text(reason: StoredReason | undefined): string {
  return reason === undefined ? '' : formatReason(reason, 'en');
}

/**
 * A reason main stored is a code every catalogue knows (not English text), and its Swedish words hold none of the
 * `english` ones. Returns the Swedish text for further checks.
 */
export function expectCodeInSwedish(
  stored: StoredReason | undefined,
  where: string,
  english: readonly RegExp[],
): string {
  expect(typeof stored, `${where}: ${JSON.stringify(stored)}`).toBe('object');
  const code = (stored as { code: string }).code;
  for (const [lang, catalogue] of Object.entries(REASON_CATALOGUES))
    expect(code in catalogue || `${code}_other` in catalogue, `${where}: ${code} in the ${lang} catalogue`).toBe(true);
  const swedish = formatReason(stored!, 'sv');
  expect(
    english.filter((w) => w.test(swedish)).map((w) => w.source),
    `${where}: "${swedish}"`,
  ).toEqual([]);
  return swedish;
}
