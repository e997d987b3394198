import { describe, expect, it } from 'vitest';
import type { VismaDocument } from '../../electron/connectors/visma/types.js';
import { planRun } from '../../electron/engine/run-plan.js';
import type { LedgerDocument } from '../../shared/domain.js';

/** The run's own choices as a pure plan (issue 14, item 3): which documents, and where each watermark goes. */
const doc = (kind: VismaDocument['kind'], ref: string, at = '2026-11-20T10:00:00.000') =>
  ({ kind, referenceNumber: ref, lastModifiedDateTime: at }) as VismaDocument;
const row = (key: string) => ({ key }) as LedgerDocument;
const keyOf = (d: VismaDocument) => `${d.kind}:${d.referenceNumber}`;

describe('the run plan', () => {
  it('takes each document once: listed first, then read again, then retries, then deleted ones', () => {
    const plan = planRun({
      listings: [],
      documents: [doc('invoice', '1'), doc('credit-note', '2')],
      waiting: ['invoice:1', 'invoice:3', 'invoice:3', 'invoice:5'],
      calculated: { found: [doc('invoice', '1'), doc('invoice', '4')], deleted: [row('invoice:5'), row('invoice:6')] },
      keyOf,
    });
    expect(
      plan.items.map((i) =>
        'retryKey' in i ? `retry ${i.retryKey}` : 'deletedRow' in i ? `gone ${i.deletedRow.key}` : keyOf(i),
      ),
    ).toEqual(['invoice:1', 'credit-note:2', 'invoice:4', 'retry invoice:3', 'retry invoice:5', 'gone invoice:6']);
    expect(plan.counts).toEqual({ changed: 2, readAgain: 1, waiting: 2, deleted: 1, total: 6 });
  });

  it('moves a watermark forward only, and never past an unproven listing or an unreadable document', () => {
    const plan = planRun({
      listings: [
        { kind: 'invoice', end: '2026-11-20T10:00:00.000', rejected: 0, current: '2026-11-19T00:00:00.000' },
        { kind: 'credit-note', end: '2026-11-01T00:00:00.000', rejected: 0, current: '2026-11-19T00:00:00.000' },
        { kind: 'debit-note', end: '2026-11-25T00:00:00.000', rejected: 1 },
      ],
      documents: [],
      waiting: [],
      calculated: { found: [], deleted: [] },
      keyOf,
    });
    expect(plan.advance).toEqual({ invoice: '2026-11-20T10:00:00.000' });
    expect(plan.held).toEqual([{ kind: 'debit-note', why: 'rejected' }]);
    const unproven = planRun({
      listings: [{ kind: 'invoice', unproven: 'no count, not in order', rejected: 0 }],
      documents: [doc('invoice', '1')],
      waiting: [],
      calculated: { found: [], deleted: [] },
      keyOf,
    });
    expect(unproven.advance).toEqual({});
    expect(unproven.held).toEqual([{ kind: 'invoice', why: 'unproven' }]);
  });
});
