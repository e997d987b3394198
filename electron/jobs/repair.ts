import {
  type AcceptanceOrigin,
  DOCUMENT_STATES,
  type DocumentState,
  type LedgerDocument,
} from '../../shared/domain.js';
import { monthRange } from '../../shared/month.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { RunContext } from '../engine/context.js';
import { processDocument } from '../engine/process-document.js';
import { audit, Recorder } from '../engine/recorder.js';
import { stub, wanted, withVatBook } from '../engine/sync-run.js';
import { documentKey } from '../engine/visma-document.js';
import { listSelection } from '../month/listing.js';
import type { ChainedAuditEntry } from '../store/index.js';
import type { LedgerIndexEntry } from '../store/ledger.js';

/**
 * What `repair --month` restored: the month's documents read again from Visma and AvaTax, each through the
 * sync's own decisions (nothing is sent twice: AvaTax's document of each code is found and compared), with
 * the acceptances people gave brought back from the audit trail.
 */
export interface RepairReport {
  month: string;
  /** Where the damaged file was set aside (kept as it was). */
  setAside?: string;
  /** Documents the ledger's index listed in the month before the repair. */
  known: number;
  /** Rows rebuilt, per state. */
  restored: Record<DocumentState, number>;
  acceptancesRestored: number;
  /** Documents the index knew that Visma no longer has and AvaTax does not hold: nothing to rebuild them from. */
  gone: string[];
  /** Documents the index did not know (new in Visma, or lost before the index was). */
  added: string[];
}

/** The acceptance a person gave, as the audit trail recorded it (the latest per document). */
export interface RecordedAcceptance {
  reason: string;
  by: string;
  at: string;
  fingerprint: string;
  bookedTax: number;
  calculatedTax: number;
  /** Set when the sync derived it (a reversal, a correction in Visma): see electron/engine/acceptance.ts. */
  origin?: AcceptanceOrigin;
}

export function acceptancesIn(entries: readonly ChainedAuditEntry[]): Map<string, RecordedAcceptance> {
  const out = new Map<string, RecordedAcceptance>();
  for (const e of entries) {
    const d = e.data;
    if (!e.documentKey || !d || typeof d.acceptanceFingerprint !== 'string') continue;
    out.set(e.documentKey, {
      reason: String(d.acceptanceReason ?? ''),
      by: String(d.acceptedBy ?? e.actor),
      at: String(d.acceptedAt ?? e.at),
      fingerprint: d.acceptanceFingerprint,
      bookedTax: Number(d.acceptedBookedTax ?? 0),
      calculatedTax: Number(d.acceptedCalculatedTax ?? 0),
      ...(typeof d.acceptanceOrigin === 'string' ? { origin: JSON.parse(d.acceptanceOrigin) as AcceptanceOrigin } : {}),
    });
  }
  return out;
}

/**
 * Rebuilds a month the store set aside (`openStore(dir, { repairMonth })`): every Visma document dated in it,
 * and every document the index knew there, goes through the sync's processing; what Visma deleted and AvaTax
 * still holds is handled as the sync handles it. The audit trail is only added to.
 */
export async function repairMonth(ctx: RunContext, month: string, resume?: RepairResume): Promise<RepairReport> {
  const range = monthRange(month);
  const { store } = ctx;
  const aside = resume ?? (store.ledger.setAside?.month === month ? store.ledger.setAside : undefined);
  const known = aside?.known ?? {};
  // The month's rows are set aside until every one is rebuilt: a repair killed halfway is run again at the next
  // start (jobs/intents.ts) with what the index knew here, so no row is lost with the process.
  const rec = new Recorder(ctx);
  if (!resume)
    await rec.announceFor({
      kind: 'repair',
      month,
      what: `${month} is rebuilt from Visma and AvaTax`,
      data: { known, ...(aside?.file ? { file: aside.file } : {}) } satisfies RepairResume,
    });
  await withVatBook(ctx);
  const trail: ChainedAuditEntry[] = [];
  for (const m of store.audit.months()) trail.push(...(await store.audit.entries(m)));
  const accepted = acceptancesIn(trail);

  const listed = await listSelection(ctx.visma, { range }, ctx.signal);
  const documents = listed.documents.filter((d) => documentKey(d) in known || wanted(d, ctx.settings, store));
  const report: RepairReport = {
    month,
    setAside: aside?.file,
    known: Object.keys(known).length,
    restored: Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])) as Record<DocumentState, number>,
    acceptancesRestored: 0,
    gone: [],
    added: [],
  };
  const seen = new Set<string>();
  for (const doc of documents) {
    ctx.signal?.throwIfAborted();
    const key = documentKey(doc);
    seen.add(key);
    if (!(key in known)) report.added.push(doc.referenceNumber);
    const acceptance = accepted.get(key);
    const previous = acceptance ? skeleton(doc, acceptance) : undefined;
    const state = await processDocument(ctx, doc, 'scheduled', { previous });
    report.restored[state]++;
    if (acceptance && (await store.ledger.get(key))?.acceptance?.fingerprint === acceptance.fingerprint)
      report.acceptancesRestored++;
  }
  // Known here, not listed in the month now: read on their own (their date may have moved), or gone from Visma.
  for (const [key, entry] of Object.entries(known)) {
    if (seen.has(key)) continue;
    const [kind, ...rest] = key.split(':');
    const reference = rest.join(':');
    const row = blank(key, reference, kind!, entry.customerNumber, range.from);
    const state = await processDocument(ctx, stub(row), 'scheduled', { deleted: true, previous: row });
    if (state === 'voided') report.restored.voided++;
    else report.gone.push(reference);
  }
  await store.checkpoint();
  audit(ctx, {
    action: 'repaired',
    detail: describeRepair(report),
    data: {
      month,
      known: report.known,
      rebuilt: Object.values(report.restored).reduce((a, b) => a + b, 0),
      acceptancesRestored: report.acceptancesRestored,
      gone: report.gone.length,
      added: report.added.length,
    },
  });
  rec.recorded('repaired');
  await store.checkpoint();
  return report;
}

/** What a repair killed halfway needs to be run again: the documents the index knew in the month, the file set aside. */
export interface RepairResume {
  known: Record<string, LedgerIndexEntry>;
  file?: string;
}

/** A row that carries only what the audit trail kept of a person's acceptance, for the decision to honour. */
function skeleton(doc: VismaDocument, acceptance: RecordedAcceptance): LedgerDocument {
  return {
    ...blank(documentKey(doc), doc.referenceNumber, doc.kind, doc.customerNumber, doc.documentDate.slice(0, 10)),
    acceptance,
  };
}

function blank(key: string, reference: string, kind: string, customer: string, date: string): LedgerDocument {
  return {
    key,
    documentType: kind as LedgerDocument['documentType'],
    referenceNumber: reference,
    customerNumber: customer,
    customerName: '',
    documentDate: date,
    currency: '',
    amount: 0,
    state: 'pending',
    reasons: [],
    fingerprint: '',
    vismaStatus: '',
    vismaTimeStamp: '',
    vismaLastModified: '',
    avataxCode: '',
    country: '',
    lines: [],
    writtenBack: false,
    attempts: 0,
    firstProcessedAt: '',
    lastProcessedAt: '',
  };
}

export function describeRepair(r: RepairReport): string {
  const rebuilt = Object.entries(r.restored)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${r.month} rebuilt from Visma and AvaTax: ${rebuilt || 'no documents'} (the ledger had ${r.known} there)${
    r.acceptancesRestored ? `; ${r.acceptancesRestored} acceptances restored from the audit trail` : ''
  }${r.gone.length ? `; not found anywhere: ${r.gone.join(', ')}` : ''}${
    r.added.length ? `; not in the ledger before: ${r.added.length}` : ''
  }${r.setAside ? `; the damaged file is kept as ${r.setAside}` : ''}`;
}
