import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { DocumentState, LedgerDocument } from '../../shared/domain.js';
import { type CorruptFileReport, openJsonFile } from './json-file.js';
import { listPartitions } from './partitions.js';

interface LedgerFile {
  documents: Record<string, LedgerDocument>;
}

/** A document's partition is its document date's month. */
export function ledgerMonth(doc: Pick<LedgerDocument, 'documentDate'>): string {
  return /^\d{4}-\d{2}/.exec(doc.documentDate)?.[0] ?? 'undated';
}

/**
 * The ledger: what the app knows of every Visma document, one lowdb file per document month
 * (`ledger/2026-11.json`). A checkpoint rewrites only the months it touched.
 */
export class Ledger {
  private readonly files = new Map<string, Low<LedgerFile>>();
  private readonly byKey = new Map<string, { month: string; doc: LedgerDocument }>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly onCorrupt: (r: CorruptFileReport) => void,
  ) {}

  async load(): Promise<void> {
    for (const month of listPartitions(join(this.dir, 'ledger'))) {
      const db = await this.open(month);
      for (const [key, doc] of Object.entries(db.data.documents)) this.byKey.set(key, { month, doc });
    }
  }

  get(key: string): LedgerDocument | undefined {
    return this.byKey.get(key)?.doc;
  }

  all(): LedgerDocument[] {
    return [...this.byKey.values()].map((v) => v.doc);
  }

  byState(state: DocumentState): LedgerDocument[] {
    return this.all().filter((d) => d.state === state);
  }

  findByReference(referenceNumber: string): LedgerDocument[] {
    return this.all().filter((d) => d.referenceNumber === referenceNumber);
  }

  async put(doc: LedgerDocument): Promise<void> {
    const month = ledgerMonth(doc);
    const previous = this.byKey.get(doc.key);
    if (previous && previous.month !== month) {
      const old = await this.open(previous.month);
      delete old.data.documents[doc.key];
      this.dirty.add(previous.month);
    }
    const db = await this.open(month);
    db.data.documents[doc.key] = doc;
    this.byKey.set(doc.key, { month, doc });
    this.dirty.add(month);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Writes the months touched since the last flush (steno: temp file + rename). */
  async flush(): Promise<void> {
    const months = [...this.dirty];
    this.dirty.clear();
    await Promise.all(months.map((m) => this.files.get(m)!.write()));
  }

  private async open(month: string): Promise<Low<LedgerFile>> {
    let db = this.files.get(month);
    if (!db) {
      db = await openJsonFile<LedgerFile>(
        join(this.dir, 'ledger', `${month}.json`),
        () => ({ documents: {} }),
        this.onCorrupt,
        isLedgerFile,
      );
      this.files.set(month, db);
    }
    return db;
  }
}

function isLedgerFile(d: unknown): d is LedgerFile {
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof (d as LedgerFile).documents === 'object' &&
    (d as LedgerFile).documents !== null
  );
}
