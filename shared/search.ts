/**
 * Text as a search compares it: without accents or case, so "Cafe" finds "Café Blåbär HB" and "blabar" finds it
 * too (å, ä and ö are letters of their own in Swedish, but a search box is where people type without them).
 */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('sv').normalize('NFC');
}

/** Whether `haystack` holds `needle`, accents and case aside (an empty needle matches everything). */
export function matchesSearch(haystack: string, needle: string): boolean {
  const n = searchable(needle.trim());
  return n === '' || searchable(haystack).includes(n);
}
