import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { RunSummary } from '../../shared/domain.js';
import type { VismaDocumentKind } from '../connectors/visma/types.js';
import { type CorruptFileReport, openJsonFile } from './json-file.js';

/** The small index file: watermarks per document kind and the recent run history. */
export interface SyncStateFile {
  watermarks: Partial<Record<VismaDocumentKind, string>>;
  runs: RunSummary[];
  lastRunAt?: string;
}

const MAX_RUNS = 500;

export class SyncState {
  private constructor(private readonly db: Low<SyncStateFile>) {}

  static async open(dir: string, onCorrupt: (r: CorruptFileReport) => void): Promise<SyncState> {
    const db = await openJsonFile<SyncStateFile>(
      join(dir, 'state.json'),
      () => ({ watermarks: {}, runs: [] }),
      onCorrupt,
      (d): d is SyncStateFile =>
        typeof (d as SyncStateFile)?.watermarks === 'object' && Array.isArray((d as SyncStateFile)?.runs),
    );
    return new SyncState(db);
  }

  watermark(kind: VismaDocumentKind): string | undefined {
    return this.db.data.watermarks[kind];
  }

  runs(): RunSummary[] {
    return this.db.data.runs;
  }

  lastRun(): RunSummary | undefined {
    return this.db.data.runs.at(-1);
  }

  /** Written immediately (after the ledger and audit are durable): the watermark must never run ahead. */
  async advance(watermarks: Partial<Record<VismaDocumentKind, string>>): Promise<void> {
    Object.assign(this.db.data.watermarks, watermarks);
    await this.db.write();
  }

  async recordRun(summary: RunSummary): Promise<void> {
    this.db.data.runs.push(summary);
    if (this.db.data.runs.length > MAX_RUNS) this.db.data.runs.splice(0, this.db.data.runs.length - MAX_RUNS);
    this.db.data.lastRunAt = summary.finishedAt;
    await this.db.write();
  }
}
