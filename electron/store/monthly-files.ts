import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Low } from 'lowdb';

/**
 * One lowdb file per month (`2026-11.jsonl`), for the ledger and the audit trail alike. A month is opened once:
 * the promise is registered before the file is read, so concurrent first writes share one instance instead
 * of each opening its own and overwriting the others. A month leaves the dirty set only when its write
 * succeeded and nothing changed it meanwhile; a failed write is retried by the next flush.
 */
export class MonthlyFiles<T> {
  private readonly opened = new Map<string, Promise<Low<T>>>();
  private readonly dirty = new Map<string, number>();

  constructor(
    readonly dir: string,
    private readonly openMonth: (month: string, file: string) => Promise<Low<T>>,
    /** Files are `<prefix><month>.jsonl`: `api-2026-11.jsonl` beside `2026-11.jsonl` in one folder. */
    readonly prefix = '',
    readonly extension = '.jsonl',
  ) {}

  file(month: string): string {
    return join(this.dir, `${this.prefix}${month}${this.extension}`);
  }

  open(month: string): Promise<Low<T>> {
    if (!MONTH.test(month)) return Promise.reject(new RangeError(`Not a month: ${JSON.stringify(month)}`));
    let db = this.opened.get(month);
    if (!db) {
      db = this.openMonth(month, this.file(month));
      this.opened.set(month, db);
      // A month that failed to open is tried again next time rather than remembered as broken.
      db.catch(() => {
        if (this.opened.get(month) === db) this.opened.delete(month);
      });
    }
    return db;
  }

  /** Lets go of a month read into memory (the next open reads it again); one with unwritten changes is kept. */
  forget(month: string): boolean {
    if (this.dirty.has(month)) return false;
    return this.opened.delete(month);
  }

  isOpen(month: string): boolean {
    return this.opened.has(month);
  }

  markDirty(month: string): void {
    this.dirty.set(month, (this.dirty.get(month) ?? 0) + 1);
  }

  get dirtyMonths(): string[] {
    return [...this.dirty.keys()];
  }

  /** Writes every dirty month (or those `only` picks); throws the first failure after trying them all. */
  async flush(only: (month: string) => boolean = () => true): Promise<void> {
    const pending = [...this.dirty.entries()].filter(([month]) => only(month));
    const results = await Promise.allSettled(
      pending.map(async ([month]) => {
        const db = await this.open(month);
        await db.write();
      }),
    );
    let failure: unknown;
    results.forEach((result, i) => {
      const [month, version] = pending[i]!;
      if (result.status === 'fulfilled') {
        if (this.dirty.get(month) === version) this.dirty.delete(month);
      } else failure ??= result.reason;
    });
    if (failure !== undefined) throw failure;
  }

  /** Months on disk and months opened in memory, oldest first. */
  months(): string[] {
    return [...new Set([...this.monthsOnDisk(), ...this.opened.keys()])].sort();
  }

  monthsOnDisk(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(this.prefix) && f.endsWith(this.extension))
      .map((f) => f.slice(this.prefix.length, -this.extension.length))
      .filter((m) => MONTH.test(m))
      .sort();
  }
}

/** `2026-11`, or `undated` for a document without a readable date. */
export const MONTH = /^(\d{4}-(0[1-9]|1[0-2])|undated)$/;

/** Version 0.1 months (`2026-11.json`, one JSON object) not yet turned into logs. */
export function legacyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^(\d{4}-\d{2}|undated)\.json$/.test(f))
    .map((f) => join(dir, f));
}
