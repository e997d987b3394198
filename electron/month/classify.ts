import type { DocumentState, LedgerDocument, VatLine } from '../../shared/domain.js';
import { type Minor, rateKey } from '../../shared/money.js';
import type { Bucket, CloseAction, DifferenceKind, DocumentSide } from '../../shared/month.js';
import { asReason, day, money, type Reason, reason, reasons } from '../../shared/reasons.js';
import { normaliseVatNumber } from '../engine/countries.js';
import { judgeVat, recordsBooked, sameVatIds } from '../engine/variance.js';
import { TEMPLATE, UNRELEASED } from '../engine/visma-document.js';
import { DEAD_AVATAX } from './sides.js';

/**
 * Which bucket a document of the month goes in, why (reason codes with their figures), and what fixes it: a pure
 * function of what Visma booked, what AvaTax recorded and what the ledger knows. The VAT is judged by the sync's
 * own rule (`engine/variance.ts`): AvaTax records exactly what Visma booked, and AvaTax's own calculation, mapped
 * to VAT ids, is what Visma booked within rounding; a document the sync has not settled (needs attention, flagged,
 * waiting) is never matched. The most serious finding wins: a difference before an uncommitted document, an
 * uncommitted one before an accepted one.
 */
export interface Pair {
  visma?: DocumentSide;
  /** Visma sent it, but not in a shape we can read (the reasons): it cannot be matched. */
  vismaProblems?: readonly (Reason | string)[];
  avatax?: DocumentSide;
  avataxProblems?: readonly (Reason | string)[];
  ledger?: LedgerDocument;
  /** The code is not one this app makes (VN-INV-…, VN-CRN-…, VN-DBN-…). */
  foreign?: boolean;
}

export interface Verdict {
  bucket: Bucket;
  differences: DifferenceKind[];
  why: Reason[];
  actions: CloseAction[];
}

/** Ledger states in which the sync has not settled a document: it is in front of the user, or not done yet. */
const UNSETTLED = new Set<DocumentState>(['needs-attention', 'flagged', 'pending', 'pending-retry']);

const listOf = (items: readonly (Reason | string)[]) => reasons(items.map(asReason));

export function classify(p: Pair, tolerance: Minor): Verdict {
  const { visma: v, avatax: a, ledger: l } = p;
  if (p.vismaProblems?.length) {
    return {
      bucket: a ? 'differs' : 'onlyInVisma',
      differences: [],
      why: [reason('month-visma-unreadable', { problems: listOf(p.vismaProblems) })],
      actions: ['correct-in-visma'],
    };
  }
  const aliveInAvaTax = a !== undefined && !DEAD_AVATAX.has(a.status);
  if (!v) return onlyInAvaTax(a, p.foreign, l);
  if (v.status === 'Voided') {
    if (aliveInAvaTax)
      return {
        bucket: 'differs',
        differences: ['status'],
        why: [reason('month-voided-in-visma-live-in-avatax', { status: a!.status })],
        actions: ['void'],
      };
    return { bucket: 'matched', differences: [], why: [reason('month-voided-both')], actions: [] };
  }
  if (!a || !aliveInAvaTax) return onlyInVisma(v, a, l);

  const differences: DifferenceKind[] = [];
  const why: Reason[] = [];
  const actions = new Set<CloseAction>();
  // Not yet released: the engine's statuses, and a recurring template (never released, never a sale).
  const released = !UNRELEASED.has(v.status) && v.status !== TEMPLATE;
  const committed = a.reported;
  const differ = (kind: DifferenceKind, ...said: Reason[]) => {
    if (!differences.includes(kind)) differences.push(kind);
    why.push(...said);
  };
  const fixRecorded = () => {
    if (released && committed) {
      actions.add('correct-in-visma');
      actions.add('adjust');
    } else actions.add('reprocess');
  };

  if (v.currency !== a.currency) {
    differ('currency', reason('month-currency-differs', { visma: v.currency, avatax: a.currency }));
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (v.date !== a.date) {
    differ('date', reason('month-date-differs', { visma: day(v.date), avatax: day(a.date) }));
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (v.net !== a.net) {
    differ(
      'amount',
      reason('month-net-differs', { visma: money(v.net, v.currency), avatax: money(a.net, a.currency) }),
    );
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (p.avataxProblems?.length) {
    differ('vat-id', reason('month-avatax-unmapped', { problems: listOf(p.avataxProblems) }));
    actions.add('reprocess');
  }
  // To six decimals, as base amounts are reckoned (shared/money.ts toBase): a service that keeps fewer is no difference.
  if (
    v.exchangeRate !== undefined &&
    a.exchangeRate !== undefined &&
    rateKey(v.exchangeRate) !== rateKey(a.exchangeRate)
  ) {
    differ(
      'exchange-rate',
      reason('month-rate-differs', { visma: v.exchangeRate, avatax: a.exchangeRate, currency: v.currency }),
    );
    actions.add(committed ? 'adjust' : 'reprocess');
  }

  // Rule 1: AvaTax records exactly what Visma booked.
  const recorded = { total: a.vat, lines: a.lines, overridden: a.overridden === true };
  if (!recordsBooked(recorded, v.lines)) {
    differ(
      a.vat !== v.vat || sameVatIds(v.lines, a.lines) ? 'tax' : 'vat-id',
      reason('month-recorded-differs', { booked: money(v.vat, v.currency), recorded: money(a.vat, a.currency) }),
      ...lineReasons('month-recorded-line', v.lines, a.overridden ? [] : a.lines, v.currency, tolerance),
    );
    fixRecorded();
  }

  // Rule 2: AvaTax's own calculation, through the VAT mapping, is what Visma booked (within rounding).
  const judged = judgeVat(v.lines, a.calculated ?? a.lines, tolerance);
  const acceptance = l?.acceptance;
  let accepted = false;
  if (!judged.withinTolerance) {
    const covers = acceptance !== undefined && acceptance.bookedTax === v.vat && released && committed;
    if (covers && differences.length === 0) accepted = true;
    else {
      differ(
        judged.kind!,
        reason(judged.kind === 'vat-id' ? 'month-calculated-vat-ids' : 'month-calculated-differs', {
          booked: money(judged.bookedTotal, v.currency),
          calculated: money(judged.calculatedTotal, a.currency),
        }),
        ...lineReasons('month-calculated-line', v.lines, a.calculated ?? a.lines, v.currency, tolerance),
      );
      if (released) {
        actions.add('accept');
        actions.add('correct-in-visma');
      } else {
        actions.add('reprocess');
        actions.add('accept');
      }
    }
  }

  const vismaNumber = l?.vatNumber ? normaliseVatNumber(l.vatNumber) : undefined;
  const avataxNumber = a.vatNumber ? normaliseVatNumber(a.vatNumber) : undefined;
  if ((vismaNumber ?? '') !== (avataxNumber ?? '') && (vismaNumber || avataxNumber) && l) {
    differ(
      'vat-number',
      reason('month-vat-number-differs', { visma: vismaNumber ?? '—', avatax: avataxNumber ?? '—' }),
    );
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (!released && committed) {
    differ('status', reason('month-committed-unreleased', { status: v.status }));
    actions.add('release-in-visma');
  }
  if (l && UNSETTLED.has(l.state)) {
    differ('state', held(l));
    if (l.state === 'flagged') actions.add('fix-address');
    else actions.add('reprocess');
    if (l.state === 'needs-attention' && released) actions.add('accept');
  }
  if (differences.length > 0) {
    if (l?.state === 'flagged') actions.add('fix-address');
    return { bucket: 'differs', differences, why, actions: [...actions] };
  }
  if (!committed) {
    return {
      bucket: 'uncommitted',
      differences: [],
      why: [
        reason(released ? 'month-uncommitted-released' : 'month-uncommitted-unreleased', {
          visma: v.status,
          avatax: a.status,
        }),
      ],
      actions: released ? ['commit'] : ['release-in-visma'],
    };
  }
  if (accepted && acceptance) {
    return {
      bucket: 'accepted',
      differences: [],
      why: [
        reason('month-accepted', { by: acceptance.by, at: day(acceptance.at.slice(0, 10)), reason: acceptance.reason }),
        ...lineReasons('month-calculated-line', v.lines, a.calculated ?? a.lines, v.currency, tolerance),
      ],
      actions: [],
    };
  }
  return { bucket: 'matched', differences: [], why: [], actions: [] };
}

/** Each VAT id that differs beyond rounding, with both figures. */
function lineReasons(
  code: string,
  booked: readonly VatLine[],
  other: readonly VatLine[],
  currency: string,
  tolerance: Minor,
): Reason[] {
  if (other.length === 0) return [];
  const judged = judgeVat(booked, other, tolerance);
  return judged.differences
    .filter((d) => d.booked.taxable !== d.other.taxable || Math.abs(d.booked.vat - d.other.vat) > tolerance)
    .map((d) =>
      reason(code, {
        vatId: d.vatId,
        booked: money(d.booked.vat, currency),
        bookedTaxable: money(d.booked.taxable, currency),
        other: money(d.other.vat, currency),
        otherTaxable: money(d.other.taxable, currency),
      }),
    );
}

/** Why the sync holds a document in front of the user (or has not finished it). */
function held(l: LedgerDocument): Reason {
  const said = l.reasons.length > 0 ? l.reasons : l.lastError ? [l.lastError.message] : [];
  const code =
    l.state === 'needs-attention'
      ? 'month-held-needs-attention'
      : l.state === 'flagged'
        ? 'month-held-flagged'
        : 'month-held-waiting';
  return reason(code, { reasons: listOf(said) });
}

function onlyInAvaTax(
  a: DocumentSide | undefined,
  foreign: boolean | undefined,
  l: LedgerDocument | undefined,
): Verdict {
  if (!a || DEAD_AVATAX.has(a.status))
    return { bucket: 'matched', differences: [], why: [reason('month-avatax-voided-no-visma')], actions: [] };
  const code = foreign ? 'month-foreign' : l ? 'month-deleted-in-visma' : 'month-avatax-only';
  return { bucket: 'onlyInAvatax', differences: [], why: [reason(code, { status: a.status })], actions: ['void'] };
}

function onlyInVisma(v: DocumentSide, a: DocumentSide | undefined, l: LedgerDocument | undefined): Verdict {
  const why: Reason[] = [];
  const actions: CloseAction[] = [];
  if (a) why.push(reason('month-avatax-not-reported', { status: a.status }));
  switch (l?.state) {
    case 'flagged':
      why.push(reason('month-flagged', { reasons: listOf(l.reasons) }));
      actions.push('fix-address');
      break;
    case 'needs-attention':
      why.push(reason('month-needs-attention', { reasons: listOf(l.reasons) }));
      actions.push('reprocess', 'correct-in-visma');
      break;
    case 'pending-retry':
    case 'pending':
      why.push(reason('month-waiting', { reasons: listOf(l.lastError ? [l.lastError.message] : []) }));
      actions.push('reprocess');
      break;
    case undefined:
      why.push(reason('month-never-sent', { status: v.status }));
      actions.push('reprocess');
      break;
    default:
      why.push(reason('month-ledger-no-avatax', { state: reasons([reason(`state-${l?.state ?? 'pending'}`)]) }));
      actions.push('reprocess');
  }
  return { bucket: 'onlyInVisma', differences: [], why, actions };
}
