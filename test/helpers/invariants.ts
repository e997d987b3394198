import type { RunningSandboxes } from '../../electron/sandbox/index.js';
import type { ChainedAuditEntry, Store } from '../../electron/store/index.js';
import { DOCUMENT_STATES, type LedgerDocument } from '../../shared/domain.js';
import { toMinor } from '../../shared/money.js';
import { committedMismatches, hiddenVariances } from './promise.js';

/**
 * "Nothing lost, nothing wrong": what must hold of a data folder and the two services after any number of runs,
 * faults and kills. Each check returns its violations in words (empty when it holds). Shared by the tests and
 * the soak (scripts/soak.ts).
 */
export interface World {
  sandboxes: Pick<RunningSandboxes, 'visma' | 'avatax'>;
  store: Store;
  /** The Visma statuses the settings sync (`sync.statuses`). */
  statuses: readonly string[];
}

export interface CheckOptions {
  /** After a clean run with no faults: nothing may still be pending or waiting for a retry. */
  settled?: boolean;
}

export async function invariantViolations(w: World, options: CheckOptions = {}): Promise<string[]> {
  const rows = await w.store.ledger.all();
  const audit = await auditByDocument(w.store);
  return [
    ...oneStateEach(w, rows, options),
    ...nothingSkipped(w, rows),
    ...noCodeTwice(w, rows),
    ...(await auditVerifies(w.store)),
    ...trailPerDocument(rows, audit),
    ...promiseKept(w, rows),
    ...(await hiddenVariances(w.store)),
  ];
}

/** Every document is in the ledger once, in one known state, the same in its month file and the index. */
export function oneStateEach(w: World, rows: LedgerDocument[], options: CheckOptions = {}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.key)) out.push(`${row.key} is in the ledger twice`);
    seen.add(row.key);
    if (!DOCUMENT_STATES.includes(row.state)) out.push(`${row.key} has an unknown state ${row.state}`);
    const indexed = w.store.ledger.entry(row.key);
    if (indexed?.state !== row.state)
      out.push(`${row.key}: the ledger index says ${indexed?.state ?? 'nothing'}, its month file ${row.state}`);
    if (options.settled && (row.state === 'pending' || row.state === 'pending-retry'))
      out.push(`${row.key} is still ${row.state} after a clean run: ${row.reasons.join('; ') || 'no reason given'}`);
  }
  for (const doc of w.sandboxes.visma.state.documents) {
    const row = rows.find((r) => r.key === `${doc.kind}:${doc.referenceNumber}`);
    if (doc.status === 'Voided' && row && options.settled && row.state !== 'voided')
      out.push(`${row.key} is voided in Visma but ${row.state} in the ledger`);
  }
  return out;
}

/** The sandbox's full list of documents in the chosen statuses against the ledger: none passed over. */
export function nothingSkipped(w: World, rows: LedgerDocument[]): string[] {
  const keys = new Set(rows.map((r) => r.key));
  const out: string[] = [];
  for (const doc of w.sandboxes.visma.state.documents) {
    if (!w.statuses.includes(doc.status)) continue;
    const key = `${doc.kind}:${doc.referenceNumber}`;
    if (!keys.has(key)) out.push(`${key} (${doc.status}, modified ${doc.lastModifiedDateTime}) is not in the ledger`);
  }
  const newest = w.sandboxes.visma.state.documents
    .map((d) => d.lastModifiedDateTime)
    .sort()
    .at(-1);
  for (const kind of ['invoice', 'credit-note', 'debit-note'] as const) {
    const mark = w.store.state.watermark(kind);
    if (mark && newest && mark > newest) out.push(`the ${kind} watermark ${mark} is past Visma's newest ${newest}`);
  }
  return out;
}

/** One live AvaTax transaction per code, one code per document, and every code belongs to a Visma document. */
export function noCodeTwice(w: World, rows: LedgerDocument[]): string[] {
  const out: string[] = [];
  const live = new Map<string, number>();
  for (const t of w.sandboxes.avatax.state.transactions) {
    if (t.status === 'Adjusted') continue;
    const id = `${t.companyCode}/${t.type}/${t.code}`;
    live.set(id, (live.get(id) ?? 0) + 1);
    const m = /^VN-(INV|CRN|DBN)-(.+)$/.exec(t.code);
    const kind = ({ INV: 'invoice', CRN: 'credit-note', DBN: 'debit-note' } as const)[m?.[1] as 'INV'];
    const doc = m && w.sandboxes.visma.find(kind, m[2]!);
    // A document deleted in Visma is accounted for by its voided AvaTax transaction and its voided ledger row.
    const voided =
      t.status === 'Cancelled' && m && rows.some((r) => r.key === `${kind}:${m[2]}` && r.state === 'voided');
    if (!doc && !voided) out.push(`AvaTax holds ${t.code}, which names no Visma document`);
  }
  for (const [id, n] of live) if (n > 1) out.push(`AvaTax holds ${n} live transactions for ${id}`);
  const owners = new Map<string, string>();
  for (const row of rows) {
    if (!row.avataxCode) continue;
    const other = owners.get(row.avataxCode);
    if (other) out.push(`${row.key} and ${other} share the AvaTax code ${row.avataxCode}`);
    owners.set(row.avataxCode, row.key);
  }
  return out;
}

/** `verify` finds no problem in any month of the audit trail. */
export async function auditVerifies(store: Store): Promise<string[]> {
  const out: string[] = [];
  for (const month of store.audit.months()) {
    const { problems } = await store.audit.verify(month);
    for (const p of problems) out.push(`audit ${month}: ${p}`);
  }
  return out;
}

export async function auditByDocument(store: Store): Promise<Map<string, ChainedAuditEntry[]>> {
  const byKey = new Map<string, ChainedAuditEntry[]>();
  for (const month of store.audit.months()) {
    for (const e of await store.audit.entries(month)) {
      if (!e.documentKey) continue;
      const list = byKey.get(e.documentKey) ?? [];
      list.push(e);
      byKey.set(e.documentKey, list);
    }
  }
  return byKey;
}

/** Each document's trail explains where it stands: its last entry names its state, or a failure that left it waiting. */
export function trailPerDocument(rows: LedgerDocument[], audit: Map<string, ChainedAuditEntry[]>): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const trail = audit.get(row.key) ?? [];
    if (trail.length === 0) {
      out.push(`${row.key} (${row.state}) has no audit entry`);
      continue;
    }
    const last = [...trail]
      .reverse()
      .find((e) => e.data?.state !== undefined || e.action === 'failed' || e.action === 'accepted');
    if (!last) continue;
    const explained =
      last.action === 'accepted'
        ? row.state === 'posted'
        : last.data?.state !== undefined
          ? last.data.state === row.state
          : ['pending-retry', 'needs-attention'].includes(row.state);
    if (!explained)
      out.push(
        `${row.key} is ${row.state} in the ledger, but its last audit entry (${last.action}) says ${String(last.data?.state ?? 'failed')}`,
      );
  }
  return out;
}

/**
 * The promise: a committed AvaTax document records the VAT Visma booked, unless the document is in front of the
 * user (needs attention); a calculated or posted row matches what AvaTax holds and what Visma booked.
 */
export function promiseKept(w: World, rows: LedgerDocument[]): string[] {
  const out: string[] = [];
  const byCode = new Map(rows.map((r) => [r.avataxCode, r]));
  for (const m of committedMismatches({ sandboxes: w.sandboxes } as never)) {
    const code = m.slice(0, m.indexOf(':'));
    if (byCode.get(code)?.state !== 'needs-attention') out.push(`${m} (ledger: ${byCode.get(code)?.state ?? 'none'})`);
  }
  for (const row of rows) {
    if (row.state !== 'posted' && row.state !== 'calculated') continue;
    const type = row.documentType === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
    const tx = w.sandboxes.avatax.find(row.avataxCode, type);
    if (!tx) {
      out.push(`${row.key} is ${row.state} but AvaTax holds no ${row.avataxCode}`);
      continue;
    }
    const want = row.state === 'calculated' ? 'Saved' : 'Committed';
    if (tx.status !== want) out.push(`${row.key} is ${row.state} but AvaTax's ${row.avataxCode} is ${tx.status}`);
    const doc = w.sandboxes.visma.find(row.documentType, row.referenceNumber);
    if (!doc || doc.status === 'Voided') continue;
    const booked = (row.documentType === 'credit-note' ? -1 : 1) * toMinor(doc.vatTotalInCurrency) || 0;
    const recorded = toMinor(tx.model.totalTax as number);
    if (recorded !== booked)
      out.push(`${row.key} is ${row.state}: Visma booked ${booked}, AvaTax recorded ${recorded}`);
  }
  return out;
}
