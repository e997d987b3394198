import { AuditTrail } from './audit.js';
import type { CorruptFileReport } from './json-file.js';
import { Ledger } from './ledger.js';
import { SyncState } from './state-file.js';

export type { ChainedAuditEntry } from './audit.js';
export type { CorruptFileReport } from './json-file.js';

/** Everything the app keeps in its data folder, opened together. */
export interface Store {
  ledger: Ledger;
  audit: AuditTrail;
  state: SyncState;
  corrupt: CorruptFileReport[];
  /** Audit first, then the ledger: a ledger state never exists without the audit entry that explains it. */
  checkpoint(): Promise<void>;
}

export async function openStore(dir: string, now: () => Date = () => new Date()): Promise<Store> {
  const corrupt: CorruptFileReport[] = [];
  const report = (r: CorruptFileReport) => corrupt.push(r);
  const ledger = new Ledger(dir, report);
  await ledger.load();
  const audit = new AuditTrail(dir, now, report);
  const state = await SyncState.open(dir, report);
  return {
    ledger,
    audit,
    state,
    corrupt,
    async checkpoint() {
      await audit.flush();
      await ledger.flush();
    },
  };
}
