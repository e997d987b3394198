import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

/**
 * One lowdb file: compact JSON through DataFile (steno writes a temp file and renames it, so a file is always
 * whole). Never lowdb's node presets: they silently switch to memory under NODE_ENV=test. A file that does not parse
 * is moved aside (`<name>.corrupt-<time>`) and reported, never silently replaced.
 */
export interface CorruptFileReport {
  file: string;
  movedTo: string;
  error: string;
}

export async function openJsonFile<T extends object>(
  file: string,
  defaults: () => T,
  onCorrupt: (report: CorruptFileReport) => void,
  validate: (data: unknown) => data is T = (d): d is T => typeof d === 'object' && d !== null,
): Promise<Low<T>> {
  mkdirSync(dirname(file), { recursive: true });
  const adapter = new DataFile<T>(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) });
  const db = new Low<T>(adapter, defaults());
  try {
    await db.read();
    if (!validate(db.data)) throw new Error('unexpected content');
  } catch (error) {
    const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (existsSync(file)) renameSync(file, movedTo);
    onCorrupt({ file, movedTo, error: (error as Error).message });
    db.data = defaults();
  }
  return db;
}
