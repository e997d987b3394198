import type { Fault } from '../../electron/sandbox/http-kit.js';
import type { Random } from './random.js';
import { type Service, type SoakWorld, TIMEOUT_SECONDS } from './world.js';

/** Where a fault can strike: every endpoint the sync uses, on both services. */
const TARGETS: { name: string; service: Service; method: string; path: RegExp }[] = [
  { name: 'Visma token', service: 'visma', method: 'POST', path: /^\/connect\/token$/ },
  { name: 'Visma invoice list', service: 'visma', method: 'GET', path: /^\/v1\/customerinvoice$/i },
  { name: 'Visma credit note list', service: 'visma', method: 'GET', path: /^\/v1\/customerCreditNote$/i },
  { name: 'Visma debit note list', service: 'visma', method: 'GET', path: /^\/v1\/customerDebitNote$/i },
  {
    name: 'Visma document',
    service: 'visma',
    method: 'GET',
    path: /^\/v1\/customer(invoice|CreditNote|DebitNote)\/[^/]+$/i,
  },
  {
    name: 'Visma write-back',
    service: 'visma',
    method: 'PUT',
    path: /^\/v1\/customer(invoice|CreditNote|DebitNote)\/[^/]+$/i,
  },
  { name: 'AvaTax adjust', service: 'avatax', method: 'POST', path: /\/adjust$/ },
  { name: 'Visma background job', service: 'visma', method: 'GET', path: /^\/v1\/background\// },
  { name: 'Visma customer', service: 'visma', method: 'GET', path: /^\/v1\/customer\/[^/]+$/i },
  { name: 'Visma location', service: 'visma', method: 'GET', path: /^\/v1\/location\//i },
  { name: 'Visma VAT data', service: 'visma', method: 'GET', path: /^\/v1\/vat/i },
  { name: 'AvaTax create', service: 'avatax', method: 'POST', path: /\/transactions\/create$/ },
  { name: 'AvaTax create-or-adjust', service: 'avatax', method: 'POST', path: /\/transactions\/createoradjust$/ },
  { name: 'AvaTax get', service: 'avatax', method: 'GET', path: /\/companies\/[^/]+\/transactions\/[^/]+$/ },
  { name: 'AvaTax commit', service: 'avatax', method: 'POST', path: /\/commit$/ },
  { name: 'AvaTax void', service: 'avatax', method: 'POST', path: /\/void$/ },
  { name: 'AvaTax address resolve', service: 'avatax', method: 'POST', path: /\/addresses\/resolve$/ },
];

const KINDS: { name: string; fault: () => Fault }[] = [
  {
    name: '429 with Retry-After',
    fault: () => ({ kind: 'status', status: 429, retryAfter: '1', body: { Message: 'Rate limit is exceeded.' } }),
  },
  { name: '429 without Retry-After', fault: () => ({ kind: 'status', status: 429 }) },
  {
    name: '500',
    fault: () => ({ kind: 'status', status: 500, body: { error: { code: 'ServerError', message: 'Try again' } } }),
  },
  {
    name: '503 HTML',
    fault: () => ({
      kind: 'status',
      status: 503,
      body: '<html><body>Service Unavailable</body></html>',
      contentType: 'text/html',
    }),
  },
  { name: '502 empty', fault: () => ({ kind: 'status', status: 502 }) },
  { name: 'timeout', fault: () => ({ kind: 'delay', ms: TIMEOUT_SECONDS * 1000 + 300 }) },
  { name: 'dropped connection', fault: () => ({ kind: 'drop' }) },
];

export const FAULT_KINDS = KINDS.map((k) => k.name);

/**
 * Arms 0–4 faults for the next run; mostly short bursts the retries absorb, sometimes one that outlasts them.
 * `must` adds one of that kind on the invoice list, which every run reads: each kind is seen at least once.
 */
export function armFaults(world: SoakWorld, rng: Random, must?: string): string[] {
  const out: string[] = [];
  const forced = KINDS.find((k) => k.name === must);
  for (let i = rng.int(0, 4) + (forced ? 1 : 0); i > 0; i--) {
    const first = forced && out.length === 0;
    const target = first ? TARGETS.find((t) => t.name === 'Visma invoice list')! : rng.pick(TARGETS);
    const kind = first ? forced : rng.pick(KINDS);
    const times = first ? 1 : rng.chance(0.1) ? rng.int(5, 6) : rng.int(1, 3);
    world.sandboxes[target.service].server.injectFault({
      method: target.method,
      path: target.path,
      fault: kind.fault(),
      times,
    });
    out.push(`${kind.name} on ${target.name} ×${times}`);
  }
  return out;
}

/**
 * What happens while the run is under way: tokens expire, and a colleague edits the very document we are about
 * to write (our If-Match is then stale: 412), or releases one we are reading.
 */
export function armInterference(world: SoakWorld, rng: Random, must = false): string[] {
  const out: string[] = [];
  const visma = world.sandboxes.visma;
  if (must || rng.chance(0.35)) {
    const at = must ? 3 : rng.int(1, 40);
    let n = 0;
    world.onRequest(() => {
      if (++n === at) visma.expireAllTokens();
    });
    out.push(`tokens expire at request ${at}`);
  }
  if (must || rng.chance(0.4)) {
    let left = rng.int(1, 3);
    world.onRequest((method, path, service) => {
      const m = /^\/v1\/(customerinvoice|customerCreditNote|customerDebitNote)\/([^/]+)$/i.exec(path);
      if (service !== 'visma' || method !== 'PUT' || !m || left <= 0) return;
      const kind = (
        { customerinvoice: 'invoice', customercreditnote: 'credit-note', customerdebitnote: 'debit-note' } as const
      )[m[1]!.toLowerCase() as 'customerinvoice'];
      const ref = decodeURIComponent(m[2]!);
      if (!visma.find(kind, ref)) return;
      left--;
      visma.editDocument(kind, ref, (x) => {
        x.note = `${x.note ?? ''} (edited by a colleague)`.trim();
      });
    });
    out.push('a colleague edits documents as we write them (412)');
  }
  if (rng.chance(0.2)) {
    let left = 1;
    world.onRequest((method, path, service) => {
      const m = /^\/v1\/customerinvoice\/([^/]+)$/i.exec(path);
      if (service !== 'visma' || method !== 'GET' || !m || left <= 0) return;
      const doc = visma.find('invoice', decodeURIComponent(m[1]!));
      if (!doc || (doc.status !== 'Hold' && doc.status !== 'Balanced')) return;
      left--;
      visma.editDocument('invoice', doc.referenceNumber, (x) => {
        x.status = 'Open';
        x.hold = false;
      });
    });
    out.push('an invoice is released while we read it');
  }
  return out;
}
