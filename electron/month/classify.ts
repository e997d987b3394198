import type { LedgerDocument } from '../../shared/domain.js';
import { type Minor, minorToDecimalString } from '../../shared/money.js';
import type { Bucket, CloseAction, DifferenceKind, DocumentSide } from '../../shared/month.js';
import { compareVat } from '../engine/compare.js';
import { normaliseVatNumber } from '../engine/countries.js';
import { DEAD_AVATAX } from './sides.js';

/**
 * Which bucket a document of the month goes in, why, and what fixes it: a pure function of what Visma booked,
 * what AvaTax recorded and what the ledger knows. The most serious finding wins: a difference before an
 * uncommitted document, an uncommitted one before an accepted one.
 */
export interface Pair {
  visma?: DocumentSide;
  /** Visma sent it, but not in a shape we can read (the reasons): it cannot be matched. */
  vismaProblems?: string[];
  avatax?: DocumentSide;
  avataxProblems?: string[];
  ledger?: LedgerDocument;
  /** The code is not one this app makes (VN-INV-…, VN-CRN-…). */
  foreign?: boolean;
}

export interface Verdict {
  bucket: Bucket;
  differences: DifferenceKind[];
  why: string[];
  actions: CloseAction[];
}

const money = (m: Minor, currency: string) => `${minorToDecimalString(m)} ${currency}`;
const UNRELEASED = new Set(['Hold', 'Balanced', 'Scheduled', 'CreditHold', 'PendingPrint', 'PendingEmail']);

export function classify(p: Pair, tolerance: Minor): Verdict {
  const { visma: v, avatax: a, ledger: l } = p;
  if (p.vismaProblems?.length) {
    return {
      bucket: a ? 'differs' : 'onlyInVisma',
      differences: [],
      why: [`Visma's document cannot be read: ${p.vismaProblems.join('; ')}`],
      actions: ['correct-in-visma'],
    };
  }
  const aliveInAvaTax = a !== undefined && !DEAD_AVATAX.has(a.status);
  if (!v) return onlyInAvaTax(a, p.foreign, l);
  const voidedInVisma = v.status === 'Voided';
  if (voidedInVisma) {
    if (aliveInAvaTax)
      return {
        bucket: 'differs',
        differences: ['status'],
        why: [`Voided in Visma, but AvaTax still holds it ${a!.status}: it would be reported`],
        actions: ['void'],
      };
    return { bucket: 'matched', differences: [], why: ['Voided in Visma; nothing in AvaTax is reported'], actions: [] };
  }
  if (!a || !aliveInAvaTax) return onlyInVisma(v, a, l);

  const differences: DifferenceKind[] = [];
  const why: string[] = [];
  const actions = new Set<CloseAction>();
  const released = !UNRELEASED.has(v.status);
  const committed = a.reported;
  const fixVat = () => {
    if (!released) actions.add('reprocess');
    else if (committed) {
      actions.add('correct-in-visma');
      actions.add('adjust');
    } else actions.add('reprocess');
  };

  if (v.currency !== a.currency) {
    differences.push('currency');
    why.push(`Visma has it in ${v.currency}, AvaTax in ${a.currency}`);
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (v.date !== a.date) {
    differences.push('date');
    why.push(`Visma dates it ${v.date}, AvaTax ${a.date}`);
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (v.net !== a.net) {
    differences.push('amount');
    why.push(`Net amount: Visma ${money(v.net, v.currency)}, AvaTax ${money(a.net, a.currency)}`);
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (p.avataxProblems?.length) {
    differences.push('vat-id');
    why.push(...p.avataxProblems);
    actions.add('reprocess');
  }
  const slack = tolerance * Math.max(1, v.lines.length, a.lines.length);
  /** Per-VAT-id differences the user accepted (the totals agree): said, but not blocking. */
  const acceptedSpread: string[] = [];
  const overridden = a.calculatedVat !== undefined;
  if (overridden) {
    // AvaTax records a figure from elsewhere (the VAT Visma booked): its total is what it reports; its lines
    // keep the VAT ids of its own calculation, so they are compared below as that calculation.
    if (Math.abs(v.vat - a.vat) > slack) {
      differences.push('tax');
      why.push(`VAT: Visma booked ${money(v.vat, v.currency)}, AvaTax recorded ${money(a.vat, a.currency)}`);
      fixVat();
    }
  } else {
    const recorded = compareVat(v.lines, a.lines, tolerance);
    const lines = recorded.differences.map(
      (d) =>
        `${d.vatId}: Visma booked ${money(d.booked.vat, v.currency)} on ${money(d.booked.taxable, v.currency)}, AvaTax recorded ${money(d.other.vat, a.currency)} on ${money(d.other.taxable, a.currency)}`,
    );
    if (!recorded.withinTolerance && l?.acceptance && released && committed && Math.abs(v.vat - a.vat) <= slack) {
      // The user accepted Visma's booking of a released, committed document whose VAT both sides agree on: only
      // how it spreads over VAT ids (a line without a VAT category, say) differs. Accepting is the fix offered
      // for it, so it must end the block, as it does for an override AvaTax calculates differently.
      acceptedSpread.push(...lines);
    } else if (!recorded.withinTolerance) {
      differences.push(sameVatIds(v, a) ? 'tax' : 'vat-id');
      why.push(...lines);
      fixVat();
    } else if (Math.abs(v.vat - a.vat) > slack) {
      differences.push('tax');
      why.push(`VAT: Visma ${money(v.vat, v.currency)}, AvaTax ${money(a.vat, a.currency)}`);
      fixVat();
    }
  }
  const vismaNumber = l?.vatNumber ? normaliseVatNumber(l.vatNumber) : undefined;
  const avataxNumber = a.vatNumber ? normaliseVatNumber(a.vatNumber) : undefined;
  if ((vismaNumber ?? '') !== (avataxNumber ?? '') && (vismaNumber || avataxNumber) && l) {
    differences.push('vat-number');
    why.push(`Buyer VAT number: Visma ${vismaNumber ?? '(none)'}, AvaTax ${avataxNumber ?? '(none)'}`);
    actions.add(committed ? 'adjust' : 'reprocess');
  }
  if (!released && committed) {
    differences.push('status');
    why.push(`Committed in AvaTax while Visma has it ${v.status}: AvaTax reports what Visma has not booked yet`);
    actions.add('release-in-visma');
  }
  const acceptedNow = l?.acceptance !== undefined;
  const calculatedDiffers = overridden && Math.abs(a.calculatedVat! - a.vat) > slack;
  if (calculatedDiffers && !acceptedNow && differences.length === 0) {
    differences.push('tax');
    why.push(
      `AvaTax records the VAT Visma booked (${money(a.vat, a.currency)}) but calculates ${money(a.calculatedVat!, a.currency)}: accept the difference with a reason, or correct the document in Visma`,
    );
    for (const d of compareVat(v.lines, a.lines, tolerance).differences)
      why.push(
        `${d.vatId}: Visma ${money(d.booked.vat, v.currency)} on ${money(d.booked.taxable, v.currency)}; AvaTax's calculation ${money(d.other.taxable, a.currency)} taxable`,
      );
    actions.add('accept');
    actions.add('correct-in-visma');
  }
  if (differences.length > 0) {
    if (l?.state === 'flagged') actions.add('fix-address');
    if (l?.state === 'needs-attention' && released) actions.add('accept');
    return { bucket: 'differs', differences, why, actions: [...actions] };
  }
  if (!committed) {
    return {
      bucket: 'uncommitted',
      differences: [],
      why: [
        released
          ? `Released in Visma (${v.status}) but ${a.status} in AvaTax: it is not reported until committed`
          : `Not released in Visma (${v.status}); AvaTax holds it ${a.status}: release it in Visma or move its date`,
      ],
      actions: released ? ['commit'] : ['release-in-visma'],
    };
  }
  if (acceptedNow && (calculatedDiffers || acceptedSpread.length > 0)) {
    return {
      bucket: 'accepted',
      differences: [],
      why: [
        `Difference accepted by ${l!.acceptance!.by} on ${l!.acceptance!.at.slice(0, 10)}: ${l!.acceptance!.reason}`,
        ...acceptedSpread,
      ],
      actions: [],
    };
  }
  return { bucket: 'matched', differences: [], why: [], actions: [] };
}

/** Both sides use the same VAT ids (ignoring ids with nothing on them). */
function sameVatIds(v: DocumentSide, a: DocumentSide): boolean {
  const ids = (s: DocumentSide) =>
    s.lines
      .filter((x) => x.vat !== 0 || x.taxable !== 0)
      .map((x) => x.vatId)
      .sort()
      .join(' ');
  return ids(v) === ids(a);
}

function onlyInAvaTax(
  a: DocumentSide | undefined,
  foreign: boolean | undefined,
  l: LedgerDocument | undefined,
): Verdict {
  if (!a || DEAD_AVATAX.has(a.status))
    return { bucket: 'matched', differences: [], why: ['Voided in AvaTax; Visma has no such document'], actions: [] };
  const why = foreign
    ? [`AvaTax holds it ${a.status}, but this app never made it: another system recorded it`]
    : l
      ? [`Visma no longer has it (deleted or renumbered), but AvaTax holds it ${a.status}: it would be reported`]
      : [`AvaTax holds it ${a.status}; Visma has no such document`];
  return { bucket: 'onlyInAvatax', differences: [], why, actions: ['void'] };
}

function onlyInVisma(v: DocumentSide, a: DocumentSide | undefined, l: LedgerDocument | undefined): Verdict {
  const why: string[] = [];
  const actions: CloseAction[] = [];
  if (a) why.push(`AvaTax holds it ${a.status}: it is not reported`);
  switch (l?.state) {
    case 'flagged':
      why.push(`Flagged address: ${l.reasons.join('; ') || 'the ship-to address needs fixing'}`);
      actions.push('fix-address');
      break;
    case 'needs-attention':
      why.push(`Needs attention: ${l.reasons.join('; ')}`);
      actions.push('reprocess', 'correct-in-visma');
      break;
    case 'pending-retry':
    case 'pending':
      why.push(`Waiting to be sent: ${l.lastError?.message ?? 'the next run sends it'}`);
      actions.push('reprocess');
      break;
    case undefined:
      why.push(`Never sent to AvaTax (${v.status} in Visma)`);
      actions.push('reprocess');
      break;
    default:
      why.push(`The ledger has it ${l?.state}, but AvaTax has no live document for it`);
      actions.push('reprocess');
  }
  return { bucket: 'onlyInVisma', differences: [], why, actions };
}
