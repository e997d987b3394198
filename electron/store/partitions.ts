import { existsSync, readdirSync } from 'node:fs';

/** Month partitions present in a folder (`2026-11.json` → `2026-11`), oldest first. */
export function listPartitions(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${prefix}(\\d{4}-\\d{2}|undated)\\.json$`);
  return readdirSync(dir)
    .map((f) => pattern.exec(f)?.[1])
    .filter((m): m is string => Boolean(m))
    .sort();
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}
