import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../electron/app/handlers.js';
import { createRouter } from '../../electron/app/ipc-router.js';
import { type Channel, IPC_INPUTS } from '../../shared/ipc.js';
import { expectClear } from './helpers.js';

/**
 * Every IPC channel fed the wrong types, extra fields and huge strings. Each is refused before a handler runs,
 * as `invalid-input` with issues in words that never echo what was sent (a 5 MB string must not come back in
 * an error a renderer shows or logs). Complements the MALFORMED table of test/app/ipc-router.test.ts; the
 * channels whose `settings` the handler parses itself are in ipc-settings.test.ts.
 */
const HUGE = 'x'.repeat(5_000_000);

/** One valid input per channel: the cases below break it one way at a time. */
const VALID: Record<Channel, Record<string, unknown>> = {
  'app:status': {},
  'sync:run-now': {},
  'sync:cancel': {},
  'documents:list': {
    state: 'posted',
    search: 'Åkesson',
    customer: '10001',
    country: 'SE',
    currency: 'SEK',
    dateFrom: '2026-11-01',
    dateTo: '2026-11-30',
  },
  'documents:get': { key: 'invoice:260001' },
  'documents:reprocess': { references: ['260001'] },
  'address:fix': {
    customerNumber: '10001',
    address: { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' },
  },
  'documents:accept': { reference: '260001', reason: 'Agreed with the customer' },
  'documents:adjust': { reference: '260001', reason: 'Price corrected' },
  'audit:months': {},
  'audit:list': { month: '2026-11', action: 'exported', search: 'x' },
  'audit:export-month': { month: '2026-11', delimiter: ';' },
  'settings:get': {},
  'settings:save': { settings: {}, secrets: { vismaClientSecret: 'new-secret' } },
  'connection:test': { target: 'visma', secret: 'typed-secret' },
  'visma:vat-lists': {},
  'month:reconcile': { month: '2026-11' },
  'month:export-reconciliation': { month: '2026-11', delimiter: ';' },
  'month:vat-report': { month: '2026-11', delimiter: ',' },
  'month:close': { month: '2026-11', note: 'Checked with the auditor' },
  'month:reopen': { month: '2026-11', reason: 'A credit note was booked late' },
  'month:void': { code: 'VN-INV-260001', reason: 'Deleted in Visma by mistake' },
  'month:acknowledge-changes': { month: '2026-11' },
  'data:repair': { month: '2026-11' },
  'month:demo-release': { reference: '260001', kind: 'invoice' },
  'month:dry-run': { from: '2026-11-01', to: '2026-11-30', customer: '10001', unreleased: true },
  'month:backfill-start': { from: '2026-10-01', to: '2026-10-31', perMinute: 60 },
  'month:backfill-resume': { perMinute: 120 },
  'month:backfill-pause': {},
  'month:backfill-status': {},
  'documents:export-view': {
    states: ['posted'],
    search: 'Åkesson',
    sort: { column: 'amount', direction: 'asc' },
    columns: ['date', 'ref', 'amount', 'tax'],
    delimiter: ';',
  },
};

/** Fields a handler parses on its own (`settings: unknown`): not the router's to refuse. */
const OPAQUE = new Set(['settings']);

/** Every top-level field of the valid input, each given a value of another type. */
function wrongTypes(valid: Record<string, unknown>): unknown[] {
  const fields = Object.keys(valid).filter((k) => !OPAQUE.has(k));
  if (fields.length === 0) return ['now', 42, [], true, null];
  return fields.map((k) => ({ ...valid, [k]: typeof valid[k] === 'string' ? 12345 : 'text' }));
}

/** An extra top-level field, a prototype key, and a field the contract does not know of a similar name. */
function extraFields(valid: Record<string, unknown>): unknown[] {
  return [
    { ...valid, extra: 1 },
    { ...valid, ...JSON.parse('{"__proto__": {"isAdmin": true}}') },
    { ...valid, constructor: { prototype: { polluted: true } } },
  ];
}

/** Every string field (and each string in a list) 5 MB long; a 5 MB key where there are no fields. */
function hugeStrings(valid: Record<string, unknown>): unknown[] {
  const out: unknown[] = [{ ...valid, [HUGE.slice(0, 100_000)]: 1 }];
  for (const [k, v] of Object.entries(valid)) {
    if (OPAQUE.has(k)) continue;
    if (typeof v === 'string') out.push({ ...valid, [k]: HUGE });
    if (Array.isArray(v)) out.push({ ...valid, [k]: [HUGE] });
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push({ ...valid, [k]: Object.fromEntries(Object.keys(v).map((f) => [f, HUGE])) });
  }
  if (Object.keys(valid).length === 0) out.push(HUGE);
  return out;
}

function handlers(): Handlers & Record<Channel, ReturnType<typeof vi.fn>> {
  const h: Record<string, ReturnType<typeof vi.fn>> = {};
  for (const channel of Object.keys(IPC_INPUTS)) h[channel] = vi.fn(async () => ({}));
  return h as never;
}

describe('every IPC channel fed bad input', () => {
  it('the valid inputs are valid (so each case below breaks exactly what it says)', async () => {
    const h = handlers();
    const route = createRouter(h);
    for (const [channel, input] of Object.entries(VALID)) {
      const result = await route(channel, input);
      expect(result.ok, `${channel}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  for (const channel of Object.keys(VALID) as Channel[]) {
    for (const [kind, make] of [
      ['the wrong types', wrongTypes],
      ['extra fields', extraFields],
      ['huge strings', hugeStrings],
    ] as const) {
      it(`${channel} refuses ${kind}, in words, without echoing the input`, async () => {
        const h = handlers();
        const route = createRouter(h);
        for (const input of make(VALID[channel])) {
          const result = await route(channel, input);
          const shown = JSON.stringify(input)?.slice(0, 80);
          expect(result.ok, `${channel} took ${shown}`).toBe(false);
          if (result.ok) continue;
          expect(result.error.code).toBe('invalid-input');
          expectClear(result.error.message);
          expect(result.error.issues?.length).toBeGreaterThan(0);
          expect(result.error.issues!.length).toBeLessThanOrEqual(20);
          for (const issue of result.error.issues!) {
            expect(issue.length, issue.slice(0, 120)).toBeLessThanOrEqual(300);
            expect(issue).not.toContain('x'.repeat(200));
          }
        }
        expect(h[channel]).not.toHaveBeenCalled();
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('an unknown channel of 5 MB is refused without its name coming back whole', async () => {
    const result = await createRouter(handlers())(HUGE, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!result.ok) {
      expect(result.error.message.length).toBeLessThanOrEqual(200);
      expectClear(result.error.message);
    }
  });
});
