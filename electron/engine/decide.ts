import type { Acceptance, LedgerDocument, VatLine } from '../../shared/domain.js';
import { fromMinor, type Minor } from '../../shared/money.js';
import {
  asReason,
  avataxStatus,
  money as moneyValue,
  type Reason,
  type ReasonValue,
  reason,
  reasons,
  type StoredReason,
} from '../../shared/reasons.js';
import type { DocumentWriteBack } from '../connectors/visma/client.js';
import { correctionAcceptance, derivedAcceptanceReason, reversalAcceptance } from './acceptance.js';
import { compareVat, totalVat } from './compare.js';
import type { Facts, FollowUp, Outcome, Step } from './facts.js';
import { judgeVat, recordsBooked as recordsBookedRule } from './variance.js';
import type { ReadableDocument } from './visma-document.js';

/**
 * The one decision machine: a document's next step from what the ledger remembers, what Visma shows, what
 * AvaTax holds and what triggered it. Pure: no clock, no network, no store; `explanations` are passed in.
 *
 * The promise it keeps: the VAT Visma books for a document is the tax AvaTax records for it, to the minor unit,
 * or the document ends in needs attention with both figures.
 * - Released before we saw it (Open, Closed): never written to. AvaTax records, committed, exactly what Visma
 *   booked, and its own calculation is compared: within rounding → posted; otherwise needs attention, until the
 *   invoice is corrected in Visma or the user accepts it as booked.
 * - Unreleased (Hold, Balanced): AvaTax calculates; Visma is given the zone and categories (and the amounts) that
 *   make it book that; what it booked is read back and compared. Equal → calculated (committed on release, or now
 *   under commit immediately); within rounding → AvaTax records what Visma booked; otherwise needs attention.
 */
export function decide(f: Facts, explain: Explain): Step {
  const prev = f.previous;
  if (f.deleted) {
    if (liveInAvaTax(f)) return { do: 'void', reason: 'DocDeleted' };
    return finish('voided', [], 'voided', reason('outcome-deleted-in-visma'), 'voided');
  }
  const doc = f.doc;
  if (!doc || f.problems.length > 0) return needsAttention(f.problems, 'failed');
  if (doc.voided) {
    if (liveInAvaTax(f)) return { do: 'void', reason: 'DocVoided' };
    return finish('voided', [], 'voided', reason('outcome-voided-both'), 'voided');
  }
  if (!f.shipTo?.address)
    return finish('flagged', [reason('customer-no-address')], 'flagged', reason('outcome-no-ship-to'), 'flagged');
  if (!doc.booked) return needsAttention([reason('visma-no-vat-details')], 'failed');

  const quiet = f.avatax === undefined && f.wrote === 0 ? unchanged(f, doc) : undefined;
  if (quiet) return quiet;

  if (!f.address) return { do: 'check-address' };
  if (!f.address.valid)
    return finish(
      'flagged',
      f.address.reasons,
      'flagged',
      reason('outcome-address-flagged', { reasons: reasons(f.address.reasons) }),
      'flagged',
    );

  const av = f.avatax;
  const committedInputs = prev?.avataxFingerprint ?? prev?.fingerprint;
  const committedBefore = prev?.avataxStatus === 'Committed' && prev.state !== 'voided';
  const changedSince = committedBefore && committedInputs !== f.fingerprint;
  if ((changedSince && !av) || (av?.status === 'Committed' && !av.current))
    if (f.trigger !== 'adjust') return changedAfterCommit(doc);
  if (av?.status === 'Cancelled' && f.trigger !== 'reprocess' && f.trigger !== 'adjust')
    return needsAttention([reason('voided-in-avatax-live-in-visma', { code: doc.code })], 'needs-attention');

  return doc.released ? released(f, doc, explain) : unreleased(f, doc, explain);
}

/** Nothing changed since the document was settled: our own write seen again, or still waiting for the user. */
function unchanged(f: Facts, doc: ReadableDocument): Step | undefined {
  const prev = f.previous;
  if (!prev || f.trigger !== 'scheduled' || prev.fingerprint !== f.fingerprint) return undefined;
  const bookedSame = prev.booked !== undefined && sameVat(prev.booked, doc.booked!);
  const calm = (why: Reason): Step => ({
    do: 'finish',
    outcome: {
      state: prev.state,
      reasons: prev.reasons,
      action: 'skipped',
      detail: why,
      quiet: true,
      count: 'skipped',
    },
  });
  switch (prev.state) {
    case 'flagged':
    case 'needs-attention':
      return bookedSame
        ? calm(reason('outcome-still-waiting', { state: reasons([reason(`state-${prev.state}`)]) }))
        : undefined;
    case 'voided':
      return calm(reason('outcome-still-voided'));
    case 'posted':
      if (bookedSame || prev.booked === undefined) return calm(reason('outcome-still-posted'));
      return needsAttention(
        [
          reason('visma-vat-changed-after-commit', {
            code: doc.code,
            change: reasons([describeChange(prev.booked, doc.booked!, doc)]),
          }),
        ],
        'needs-attention',
      );
    case 'calculated':
      if (doc.released && f.policy.commit === 'on-release') return undefined; // goes on to commit
      return bookedSame ? calm(reason('outcome-still-calculated')) : undefined;
    default:
      return undefined;
  }
}

function released(f: Facts, doc: ReadableDocument, explain: Explain): Step {
  const av = f.avatax;
  const booked = doc.booked!;
  const prev = f.previous;
  const adjust = f.trigger === 'adjust' || av?.status === 'Cancelled' || av?.status === 'Committed';
  // What AvaTax holds must be exactly what Visma booked, committed: the commit is the last step.
  if (!av?.current || av.status === 'Cancelled') {
    if (av && f.recorded > 0) return notHeld(av, booked, doc);
    const verified =
      prev?.state === 'calculated' &&
      prev.fingerprint === f.fingerprint &&
      prev.booked !== undefined &&
      sameVat(prev.booked, booked) &&
      prev.recordedTax === totalVat(booked);
    if (verified && av?.status !== 'Cancelled') return { do: 'commit' };
    return { do: 'record-booked', commit: true, adjust };
  }
  if (!recordsBooked(av, booked)) {
    if (f.recorded > 0) return notHeld(av, booked, doc);
    if (av.status === 'Committed' && f.trigger !== 'adjust')
      return needsAttention(
        [
          reason('avatax-committed-other-vat', {
            code: doc.code,
            change: reasons([describeChange(av.mapped.recorded, booked, doc)]),
          }),
        ],
        'needs-attention',
      );
    return { do: 'record-booked', commit: true, adjust: adjust || av.status === 'Committed' };
  }
  if (av.status !== 'Committed') return { do: 'commit' };
  if (av.mapped.problems.length > 0)
    return needsAttention(
      [reason('avatax-result-not-comparable', { problems: reasons(av.mapped.problems.map(asReason)) })],
      'needs-attention',
    );
  return verdict(f, doc, explain, 'posted');
}

/** AvaTax records exactly Visma's VAT: the same total, and per VAT id either overridden from it or equal. */
function changedAfterCommit(doc: ReadableDocument): Step {
  return needsAttention([reason('changed-after-commit', { code: doc.code })], 'needs-attention');
}

function recordsBooked(av: NonNullable<Facts['avatax']>, booked: readonly VatLine[]): boolean {
  return recordsBookedRule(
    { total: av.mapped.recordedTax, lines: av.mapped.recorded, overridden: av.mapped.overridden },
    booked,
  );
}

function unreleased(f: Facts, doc: ReadableDocument, explain: Explain): Step {
  const av = f.avatax;
  const booked = doc.booked!;
  if (!av?.current || av.status === 'Cancelled')
    return {
      do: 'calculate',
      adjust: f.trigger === 'adjust' || av?.status === 'Cancelled' || av?.status === 'Committed',
    };
  if (av.mapped.problems.length > 0) return needsAttention(av.mapped.problems, 'needs-attention');
  // Accepting keeps what Visma booked: nothing is written to it.
  if (f.trigger === 'accept') return recordOrFinish(f, doc, explain);
  // A committed document is final in AvaTax: Visma is brought to what it recorded. Otherwise to its calculation.
  const target = av.status === 'Committed' ? av.mapped.recorded : av.mapped.calculated;
  const cmp = judgeVat(booked, target, f.policy.tolerance);
  const change = writeBackFor(f, doc, cmp.withinTolerance ? undefined : target);
  if (change) {
    if (f.wrote > 0)
      return needsAttention(
        [
          totalVat(booked) === totalVat(target)
            ? reason('write-back-vat-ids-differ', {
                total: money(totalVat(booked), doc),
                differences: reasons(byVatId(cmp.differences, doc)),
              })
            : reason('write-back-total-differs', {
                booked: money(totalVat(booked), doc),
                calculated: money(totalVat(target), doc),
              }),
          ...explain(cmp.differences),
        ],
        'variance',
      );
    return { do: 'write-back', change };
  }
  if (!cmp.withinTolerance) return variance(f, doc, cmp.differences, explain, 'unreleased');
  return recordOrFinish(f, doc, explain);
}

/** Visma now books AvaTax's figure (or within rounding, or accepted): AvaTax records exactly that, then the end. */
function recordOrFinish(f: Facts, doc: ReadableDocument, explain: Explain): Step {
  const av = f.avatax!;
  const booked = doc.booked!;
  const commitNow = f.policy.commit === 'immediately';
  if (!recordsBooked(av, booked)) {
    if (f.recorded > 0) return notHeld(av, booked, doc);
    return { do: 'record-booked', commit: commitNow || av.status === 'Committed', adjust: av.status === 'Committed' };
  }
  if (f.policy.releaseAfterVerify) return { do: 'release' };
  if (av.status === 'Committed') return verdict(f, doc, explain, 'posted');
  if (commitNow) return { do: 'commit' };
  return verdict(f, doc, explain, 'calculated');
}

/** AvaTax records what Visma booked; its own figure decides whether that is posted or in front of the user. */
function verdict(f: Facts, doc: ReadableDocument, explain: Explain, state: 'posted' | 'calculated'): Step {
  const av = f.avatax!;
  const booked = doc.booked!;
  const cmp = judgeVat(booked, av.mapped.calculated, f.policy.tolerance);
  const key = acceptanceKey(f, booked);
  const reversal = reverses(f, booked);
  const accepted = f.trigger === 'accept' || f.previous?.acceptance?.fingerprint === key || reversal;
  if (!cmp.withinTolerance && !accepted) return variance(f, doc, cmp.differences, explain, 'released');
  // Rounding within tolerance is said with its figures: recorded as Visma booked it.
  const rounding: Record<string, ReasonValue> = cmp.equal
    ? {}
    : {
        roundings: reasons(
          cmp.differences.map((d) =>
            reason('rounding-on-vat-id', { amount: money(d.booked.vat - d.other.vat, doc), vatId: d.vatId }),
          ),
        ),
      };
  const withRounding = (code: string) => (cmp.equal ? code : `${code}-rounding`);
  const figures = { bookedTax: totalVat(booked), calculatedTax: av.mapped.calculatedTax, fingerprint: key };
  // A user's acceptance is theirs; a reversal's is the invoice's, carried over, or Visma's correction: never
  // put in the name of whoever is at the computer (acceptance.ts).
  const acceptance =
    !cmp.withinTolerance && f.trigger === 'accept'
      ? { reason: f.reason ?? '', by: f.by ?? 'user', at: '', ...figures }
      : !cmp.withinTolerance && reversal
        ? reversalAcceptance(f.appliesTo!, figures)
        : !cmp.withinTolerance
          ? f.previous?.acceptance
          : undefined;
  if (state === 'calculated')
    return finish(
      'calculated',
      [],
      'awaiting-release',
      reason(withRounding('outcome-verified-awaiting-release'), {
        booked: money(totalVat(booked), doc),
        reference: doc.referenceNumber,
        ...rounding,
      }),
      'calculated',
      acceptance,
    );
  return finish(
    'posted',
    [],
    acceptance && f.trigger === 'accept' ? 'accepted' : 'verified',
    acceptance?.origin
      ? reason('acceptance-posted-reversal', {
          booked: moneyValue(totalVat(booked), doc.currency),
          calculated: moneyValue(av.mapped.calculatedTax, doc.currency),
          why: reasons([derivedAcceptanceReason(acceptance)!]),
        })
      : acceptance
        ? reason('outcome-accepted', {
            by: acceptance.by,
            booked: money(totalVat(booked), doc),
            calculated: money(av.mapped.calculatedTax, doc),
            reason: acceptance.reason,
          })
        : reason(withRounding('outcome-committed'), { booked: money(totalVat(booked), doc), ...rounding }),
    'posted',
    acceptance,
  );
}

function variance(
  f: Facts,
  doc: ReadableDocument,
  differences: ReturnType<typeof compareVat>['differences'],
  explain: Explain,
  when: 'released' | 'unreleased',
): Step {
  const av = f.avatax!;
  const booked = totalVat(doc.booked!);
  const ways =
    when === 'released'
      ? reason('variance-ways-released', { reference: doc.referenceNumber })
      : reason('variance-ways-unreleased');
  const headline =
    booked === av.mapped.calculatedTax
      ? reason('variance-vat-ids', { total: money(booked, doc), differences: reasons(byVatId(differences, doc)) })
      : reason('variance-total', { booked: money(booked, doc), calculated: money(av.mapped.calculatedTax, doc) });
  return needsAttention([headline, ...explain(differences), ways], 'variance');
}

/** What to PUT so that Visma books `target`: only what differs, never the note unless asked to append to it. */
function writeBackFor(
  f: Facts,
  doc: ReadableDocument,
  amounts: readonly VatLine[] | undefined,
): DocumentWriteBack | undefined {
  const mapped = f.avatax!.mapped;
  const change: DocumentWriteBack = {};
  if (mapped.vatZoneId && mapped.vatZoneId !== doc.vatZoneId) change.vatZoneId = mapped.vatZoneId;
  const lines = mapped.lines
    .filter(
      (l) => l.vatCategoryId && doc.lines.find((x) => x.number === l.lineNumber)?.vatCategoryId !== l.vatCategoryId,
    )
    .map((l) => ({ lineNumber: l.lineNumber, vatCodeId: l.vatCategoryId! }));
  if (lines.length > 0) change.lines = lines;
  // Visma shows a credit note's amounts positive: the sale's sign is turned back at this edge.
  const sign = doc.kind === 'credit-note' ? -1 : 1;
  if (amounts && (change.vatZoneId !== undefined || change.lines || !sameVat(doc.booked!, amounts)))
    change.taxDetails = amounts.map((v) => ({
      taxId: v.vatId,
      taxableAmount: fromMinor(sign * v.taxable),
      vatAmount: fromMinor(sign * v.vat),
    }));
  if (f.policy.appendNote && !(doc.note ?? '').includes(doc.code) && Object.keys(change).length > 0)
    change.note = [doc.note?.trim(), `AvaTax: ${doc.code}`].filter(Boolean).join('\n');
  return Object.keys(change).length > 0 ? change : undefined;
}

/** AvaTax answered a record of Visma's VAT with something else: said, never sent a third time. */
function notHeld(av: NonNullable<Facts['avatax']>, booked: readonly VatLine[], doc: ReadableDocument): Step {
  return needsAttention(
    [
      reason('avatax-not-held', {
        recorded: money(av.mapped.recordedTax, doc),
        status: avataxStatus(av.status),
        booked: money(totalVat(booked), doc),
      }),
    ],
    'needs-attention',
  );
}

type Explain = (differences: ReturnType<typeof compareVat>['differences']) => Reason[];

function liveInAvaTax(f: Facts): boolean {
  const status = f.avatax?.status ?? f.previous?.avataxStatus;
  return status === 'Saved' || status === 'Committed' || status === 'Posted';
}

/** A credit note that books exactly the opposite of the invoice it names: Visma's correction of that invoice. */
export function reverses(f: Pick<Facts, 'appliesTo' | 'raw'>, booked: readonly VatLine[]): boolean {
  const invoice = f.appliesTo;
  if (f.raw.kind !== 'credit-note' || !invoice?.booked || invoice.booked.length === 0) return false;
  return sameVat(
    invoice.booked.map((v) => ({ ...v, taxable: -v.taxable, vat: -v.vat })),
    booked,
  );
}

/**
 * Whether a credit note that reverses an invoice as Visma booked it resolves the invoice's variance: only when
 * AvaTax records for the invoice exactly the VAT Visma booked. An invoice changed in Visma after AvaTax
 * committed it still has the VAT of before the change in AvaTax, while the credit note reverses the VAT of
 * after it; posting it would leave AvaTax's month off by the difference, so it stays in front of the user
 * (Adjust in AvaTax records what Visma booked).
 */
export function correctionResolves(invoice: Pick<LedgerDocument, 'state' | 'booked' | 'recordedTax'>): boolean {
  if (invoice.state !== 'needs-attention' || !invoice.booked || invoice.booked.length === 0) return false;
  return invoice.recordedTax === totalVat(invoice.booked);
}

/**
 * What a finished outcome asks of other documents: a credit note posted that names its invoice may be Visma's
 * correction of it. Judged later, by `correctionOf`, against the invoice's row as it is once its own processing
 * (if any in this run) has ended: never against a snapshot taken before the run touched it.
 */
export function followUpsOf(f: Pick<Facts, 'raw' | 'doc'>, outcome: Outcome): FollowUp[] {
  const invoice = f.doc?.appliesToInvoice;
  if (outcome.quiet || outcome.state !== 'posted' || f.raw.kind !== 'credit-note' || !invoice || !f.doc?.booked)
    return [];
  return [{ kind: 'correction', key: `invoice:${invoice}`, creditNote: f.raw.referenceNumber, reversed: f.doc.booked }];
}

/**
 * The invoice's acceptance by its correction, when the credit note reverses it exactly as it is booked and that
 * resolves its variance (`correctionResolves`); undefined when the follow-up changes nothing.
 */
export function correctionOf(
  invoice: LedgerDocument | undefined,
  followUp: FollowUp,
  at: string,
): Acceptance | undefined {
  if (!invoice?.booked || invoice.booked.length === 0 || !correctionResolves(invoice)) return undefined;
  const reversed = invoice.booked.map((v) => ({ ...v, taxable: -v.taxable, vat: -v.vat }));
  if (!sameVat(reversed, followUp.reversed)) return undefined;
  // Settled by Visma's correction, in no one's name (acceptance.ts).
  return correctionAcceptance(followUp.creditNote, {
    at,
    bookedTax: invoice.bookedTax ?? 0,
    calculatedTax: invoice.calculatedTax ?? 0,
    fingerprint: acceptanceKey(invoice, invoice.booked),
  });
}

export function sameVat(a: readonly VatLine[], b: readonly VatLine[]): boolean {
  return compareVat(a, b, 0).equal;
}

export function acceptanceKey(f: Pick<Facts, 'fingerprint'>, booked: readonly VatLine[]): string {
  return `${f.fingerprint}/${booked.map((v) => `${v.vatId}:${v.taxable}:${v.vat}`).join(',')}`;
}

/**
 * The VAT ids that differ, each with both figures: what a total cannot say when it agrees. "VAT id MP1: Visma
 * booked 250.00 SEK, AvaTax 0.00 SEK; VAT id MP2: …"; an id with no VAT either way names its taxable amounts.
 */
function byVatId(differences: ReturnType<typeof compareVat>['differences'], doc: ReadableDocument): Reason[] {
  return differences.map((d) =>
    d.booked.vat !== d.other.vat
      ? reason('vat-id-vat-differs', {
          vatId: d.vatId,
          booked: money(d.booked.vat, doc),
          other: money(d.other.vat, doc),
        })
      : reason('vat-id-taxable-differs', {
          vatId: d.vatId,
          booked: money(d.booked.taxable, doc),
          other: money(d.other.taxable, doc),
          vat: money(d.booked.vat, doc),
        }),
  );
}

/**
 * What changed between what AvaTax holds (`before`) and what Visma books now (`after`): the totals, or, when they
 * agree, each VAT id with both figures (never "250.00 SEK then, 250.00 SEK now").
 */
function describeChange(before: readonly VatLine[], after: readonly VatLine[], doc: ReadableDocument): Reason {
  if (totalVat(before) !== totalVat(after))
    return reason('vat-change-total', { before: money(totalVat(before), doc), after: money(totalVat(after), doc) });
  return reason('vat-change-vat-ids', {
    total: money(totalVat(after), doc),
    differences: reasons(byVatId(compareVat(after, before, 0).differences, doc)),
  });
}

/** An amount of the document's currency, as a reason's money value (each language formats it). */
function money(m: Minor, doc: Pick<ReadableDocument, 'currency'>) {
  return moneyValue(m, doc.currency);
}

function needsAttention(list: StoredReason[], action: 'needs-attention' | 'variance' | 'failed'): Step {
  const detail = list.length === 1 ? list[0]! : reason('reasons', { reasons: reasons(list.map(asReason)) });
  return finish('needs-attention', list, action, detail, 'needsAttention');
}

function finish(
  state: Outcome['state'],
  reasons: StoredReason[],
  action: Outcome['action'],
  detail: StoredReason,
  count: Outcome['count'],
  acceptance?: Outcome['acceptance'],
): Step {
  return { do: 'finish', outcome: { state, reasons, action, detail, count, acceptance } };
}
