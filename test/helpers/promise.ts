import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import type { Store } from '../../electron/store/index.js';
import { toMinor } from '../../shared/money.js';
import type { TestWorld } from './sandboxes.js';

/**
 * The promise, checked from outside: for every committed AvaTax document, the tax AvaTax records equals the VAT
 * Visma booked for it, to the minor unit (sales sign: a credit note's VAT negative).
 */
export function committedMismatches(world: TestWorld): string[] {
  const out: string[] = [];
  for (const t of world.sandboxes.avatax.state.transactions) {
    if (t.status !== 'Committed') continue;
    const m = /^VN-(INV|CRN|DBN)-(.+)$/.exec(t.code);
    if (!m) continue;
    const kind = ({ INV: 'invoice', CRN: 'credit-note', DBN: 'debit-note' } as const)[m[1] as 'INV' | 'CRN' | 'DBN'];
    const doc = world.sandboxes.visma.find(kind, m[2]!);
    if (!doc || doc.status === 'Voided') continue;
    const booked = (kind === 'credit-note' ? -1 : 1) * vatOf(doc);
    const recorded = toMinor(t.model.totalTax as number);
    if (booked !== recorded) out.push(`${t.code}: Visma booked ${booked}, AvaTax recorded ${recorded}`);
  }
  return out;
}

function vatOf(doc: SandboxDocument): number {
  return doc.taxDetails.reduce((s, d) => s + toMinor(d.vatAmount), 0);
}

/** Records the status each document had when a PUT reached it: released ones must never appear. */
export function watchPuts(world: TestWorld): { released: string[]; puts: string[] } {
  const seen = { released: [] as string[], puts: [] as string[] };
  const previous = world.sandboxes.visma.server.onRequest;
  world.sandboxes.visma.server.onRequest = (method, path) => {
    previous?.(method, path);
    const m = /^\/v1\/(customerinvoice|customerCreditNote|customerDebitNote)\/([^/]+)$/i.exec(path);
    if (method !== 'PUT' || !m) return;
    const kind = (
      { customerinvoice: 'invoice', customercreditnote: 'credit-note', customerdebitnote: 'debit-note' } as const
    )[m[1]!.toLowerCase() as 'customerinvoice'];
    const doc = world.sandboxes.visma.find(kind, decodeURIComponent(m[2]!));
    seen.puts.push(`${kind}:${m[2]}`);
    if (doc && (doc.status === 'Open' || doc.status === 'Closed'))
      seen.released.push(`${kind}:${m[2]} (${doc.status})`);
  };
  return seen;
}

/** Documents whose booked VAT differs from AvaTax's own figure beyond rounding, yet are not in front of the user. */
export async function hiddenVariances(store: Store, tolerance = 1): Promise<string[]> {
  const out: string[] = [];
  for (const d of await store.ledger.all()) {
    if (d.state !== 'posted' && d.state !== 'calculated') continue;
    const booked = new Map((d.booked ?? []).map((v) => [v.vatId, v]));
    const calc = new Map((d.calculated ?? []).map((v) => [v.vatId, v]));
    const ids = new Set([...booked.keys(), ...calc.keys()]);
    const off = [...ids].some((id) => {
      const b = booked.get(id) ?? { taxable: 0, vat: 0 };
      const c = calc.get(id) ?? { taxable: 0, vat: 0 };
      return b.taxable !== c.taxable || Math.abs(b.vat - c.vat) > tolerance;
    });
    if (off && !d.acceptance) out.push(`${d.key}: booked ${d.bookedTax}, calculated ${d.calculatedTax}`);
  }
  return out;
}
