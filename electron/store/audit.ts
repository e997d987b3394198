import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { AuditEntry } from '../../shared/domain.js';
import type { ExchangeSummary } from '../connectors/http.js';
import { type CorruptFileReport, openJsonFile } from './json-file.js';
import { listPartitions, monthOf } from './partitions.js';

export interface ChainedAuditEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

interface AuditFile {
  entries: ChainedAuditEntry[];
}

/** What a caller gives; the trail adds the id, the timestamp and the chain. */
export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

/**
 * The append-only audit trail: one lowdb file per month of the entry's UTC timestamp (`audit/2026-11.json`),
 * entries buffered in memory and written at checkpoints, each chained to the previous one by SHA-256 so an
 * edited file can be detected (`verify`). HTTP exchange summaries go to `audit/api-2026-11.jsonl` (appended).
 */
export class AuditTrail {
  private readonly files = new Map<string, Low<AuditFile>>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly now: () => Date,
    private readonly onCorrupt: (r: CorruptFileReport) => void,
  ) {}

  async append(input: AuditInput): Promise<ChainedAuditEntry> {
    const at = this.now().toISOString();
    const month = monthOf(at);
    const db = await this.open(month);
    const prevHash = db.data.entries.at(-1)?.hash ?? 'genesis';
    const entry: AuditEntry = { id: randomUUID(), at, ...input };
    const chained: ChainedAuditEntry = { ...entry, prevHash, hash: hashEntry(prevHash, entry) };
    db.data.entries.push(chained);
    this.dirty.add(month);
    return chained;
  }

  /** HTTP exchange summaries (already redacted by the connectors), one JSON line each. */
  recordExchange(runId: string, summary: ExchangeSummary): void {
    const at = this.now().toISOString();
    mkdirSync(join(this.dir, 'audit'), { recursive: true });
    appendFileSync(
      join(this.dir, 'audit', `api-${monthOf(at)}.jsonl`),
      `${JSON.stringify({ at, runId, ...summary })}\n`,
    );
  }

  async flush(): Promise<void> {
    const months = [...this.dirty];
    this.dirty.clear();
    await Promise.all(months.map((m) => this.files.get(m)!.write()));
  }

  months(): string[] {
    const onDisk = listPartitions(join(this.dir, 'audit'));
    return [...new Set([...onDisk, ...this.files.keys()])].sort();
  }

  async entries(month: string): Promise<ChainedAuditEntry[]> {
    return (await this.open(month)).data.entries;
  }

  async forDocument(key: string, months: string[]): Promise<ChainedAuditEntry[]> {
    const out: ChainedAuditEntry[] = [];
    for (const m of months) out.push(...(await this.entries(m)).filter((e) => e.documentKey === key));
    return out;
  }

  /** Re-walks the chain of a month: the index of the first entry that does not match, or -1. */
  async verify(month: string): Promise<number> {
    const entries = await this.entries(month);
    let prev = 'genesis';
    for (let i = 0; i < entries.length; i++) {
      const { prevHash, hash, ...entry } = entries[i]!;
      if (prevHash !== prev || hash !== hashEntry(prev, entry)) return i;
      prev = hash;
    }
    return -1;
  }

  private async open(month: string): Promise<Low<AuditFile>> {
    let db = this.files.get(month);
    if (!db) {
      db = await openJsonFile<AuditFile>(
        join(this.dir, 'audit', `${month}.json`),
        () => ({ entries: [] }),
        this.onCorrupt,
        (d): d is AuditFile => Array.isArray((d as AuditFile)?.entries),
      );
      this.files.set(month, db);
    }
    return db;
  }
}

function hashEntry(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update(JSON.stringify(entry)).digest('hex');
}
