import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import type { Random } from './random.js';
import type { SoakWorld } from './world.js';

/**
 * What people do in Visma between two runs: edit unreleased documents, release them, void them, edit one AvaTax
 * already committed, enter new ones, correct a released invoice. Returns what was done, in words. `_knownBugs`:
 * walk the paths of open product bugs too (none is open today; see README, "The soak").
 */
export function changeVisma(world: SoakWorld, rng: Random, _knownBugs = false, enter = false): string[] {
  const visma = world.sandboxes.visma;
  const docs = visma.state.documents;
  const unreleased = () => docs.filter((d) => d.status === 'Hold' || d.status === 'Balanced');
  const done: string[] = [];
  const times = (n: number, what: string, act: () => boolean) => {
    let count = 0;
    for (let i = 0; i < n; i++) if (act()) count++;
    if (count > 0) done.push(`${what} ${count}`);
  };

  times(rng.int(0, 3), 'edited', () => {
    const d = pickFrom(rng, unreleased());
    if (!d) return false;
    visma.editDocument(d.kind, d.referenceNumber, (x) => {
      const line = rng.pick(x.lines);
      line.quantity += 1;
      line.amountInCurrency = round2(line.unitPriceInCurrency * line.quantity);
      line.amount = round2(line.unitPrice * line.quantity);
    });
    return true;
  });
  times(rng.int(0, 3), 'released', () => {
    const d = pickFrom(rng, unreleased());
    if (!d) return false;
    visma.editDocument(d.kind, d.referenceNumber, (x) => {
      x.status = 'Open';
      x.hold = false;
    });
    return true;
  });
  times(rng.chance(0.4) ? 1 : 0, 'voided', () => {
    const d = pickFrom(
      rng,
      docs.filter((x) => x.status !== 'Voided' && x.status !== 'Closed'),
    );
    if (!d) return false;
    visma.voidDocument(d.kind, d.referenceNumber);
    return true;
  });
  times(rng.chance(0.4) ? 1 : 0, 'edited after commit', () => {
    const committed = unreleased().filter(
      (d) => world.sandboxes.avatax.find(codeOf(d), typeOf(d))?.status === 'Committed',
    );
    const d = pickFrom(rng, committed);
    if (!d) return false;
    visma.editDocument(d.kind, d.referenceNumber, (x) => {
      x.lines[0]!.quantity += 2;
      x.lines[0]!.amountInCurrency = round2(x.lines[0]!.unitPriceInCurrency * x.lines[0]!.quantity);
      x.lines[0]!.amount = round2(x.lines[0]!.unitPrice * x.lines[0]!.quantity);
    });
    return true;
  });
  // `enter`: at least one new document, which the run writes back to (the 412 interference needs a PUT).
  times(Math.max(enter ? 1 : 0, rng.int(0, 2)), 'entered', () => {
    const source = pickFrom(
      rng,
      docs.filter((x) => x.kind === 'invoice'),
    );
    if (!source) return false;
    const ref = String(900_000 + docs.length + rng.int(0, 99_999));
    if (visma.find(source.kind, ref)) return false;
    const doc = visma.createDocument(source.kind, source.referenceNumber, ref);
    doc.status = rng.pick(['Hold', 'Balanced'] as const);
    doc.hold = doc.status === 'Hold';
    visma.touch(doc);
    return true;
  });
  times(rng.chance(0.15) ? 1 : 0, 'corrected', () => {
    const d = pickFrom(
      rng,
      docs.filter((x) => x.kind === 'invoice' && x.status === 'Open'),
    );
    if (!d) return false;
    try {
      visma.correctDocument(d.referenceNumber);
      return true;
    } catch {
      return false; // Visma refused (already corrected, paid…): a person would see the same.
    }
  });
  return done;
}

function pickFrom(rng: Random, list: SandboxDocument[]): SandboxDocument | undefined {
  return list.length === 0 ? undefined : rng.pick(list);
}

export function codeOf(d: SandboxDocument): string {
  return `VN-${({ invoice: 'INV', 'credit-note': 'CRN', 'debit-note': 'DBN' } as const)[d.kind]}-${d.referenceNumber}`;
}

export function typeOf(d: SandboxDocument): string {
  return d.kind === 'credit-note' ? 'ReturnInvoice' : 'SalesInvoice';
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
