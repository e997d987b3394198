import type { Server } from 'node:http';
import { type AvaTaxRateLimit, AvaTaxSandbox } from '../../electron/sandbox/avatax-server.js';
import { DEMO_CREDENTIALS } from '../../electron/sandbox/demo-company.js';
import type { RequestLogEntry, SandboxServer } from '../../electron/sandbox/http-kit.js';
import { VismaSandbox } from '../../electron/sandbox/visma-server.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import { parseDocumentCode, unescapeCodeFromPath } from '../../shared/document-code.js';
import { testClock } from '../../test/helpers/clock.js';
import { type Rpc, serve } from './rpc.js';
import { vatByDocument, vatOf, writtenBetween } from './work.js';
import { workload } from './workload.js';

/**
 * The sandbox host: both sandboxes in a process of their own (so the engine's process measures only itself),
 * loaded with the generated workload, every request delayed by the simulated latency, Visma's rate limit on.
 * Requests are counted from the sandboxes' request logs (and the log emptied as it is read, so 50,000 documents
 * do not keep their bodies in memory).
 */

export interface HostOptions {
  /** The bench clock's instant (ms) when the host starts: the workload is dated by it, the sandboxes run on it. */
  at: number;
  documents: number;
  /** Documents of the workload held back, to be created in Visma later (`release-new`). */
  later?: number;
  latencyMs: number;
  /** Visma's requests per window (its `4-fixed-window`), and the window. */
  rateLimit?: number;
  rateWindowSeconds?: number;
  /** AvaTax's limit, if any (the sandbox's optional one). */
  avatax?: AvaTaxRateLimit;
  /** The workload spread over the months before the bench's instead of its own (a backfill's year). */
  months?: number;
}

export interface Tally {
  /** Per document: from the arrival of the first request naming it to the answer of the last, in ms. */
  spans: number[];
  /** Per document: when (bench clock, ms) the last request naming it was answered. */
  finished: number[];
  /** When (bench clock, ms) each of Visma's rate-limit windows opened, in order. */
  vismaWindows: number[];
  /** Time the sandboxes took per service (arrival to answer, latency included), in ms: the observed latency. */
  busyMs: { visma: number; avatax: number };
  /** Requests by service and kind, e.g. `visma GET document`. */
  byKind: Record<string, number>;
  visma: number;
  avatax: number;
  token: number;
  /** Answers 429 (rate limit exceeded), in all and per service. */
  throttled: number;
  throttledBy: { visma: number; avatax: number };
  /** Most requests in flight at once, per service. */
  peakInFlight: { visma: number; avatax: number };
  /** Documents AvaTax was asked to record (a create or createoradjust it answered with success), counted here. */
  posted: number;
  /** Documents whose VAT Visma books (zone, line categories, tax details) changed, counted here. */
  written: number;
}

function kindOf(e: Pick<RequestLogEntry, 'method' | 'path'>): string {
  const p = e.path;
  if (p === '/connect/token') return 'token';
  if (/^\/v1\/(customerinvoice|customerCreditNote|customerDebitNote)$/i.test(p)) return `${e.method} document list`;
  if (/^\/v1\/(customerinvoice|customerCreditNote|customerDebitNote)\/[^/]+$/i.test(p)) return `${e.method} document`;
  if (/^\/v1\/background\//i.test(p)) return `${e.method} background job`;
  if (/^\/v1\/customer\//i.test(p)) return `${e.method} customer`;
  if (/^\/v1\/location\//i.test(p)) return `${e.method} location`;
  if (/^\/v1\/vat/i.test(p)) return `${e.method} VAT data`;
  if (/\/addresses\/resolve$/.test(p)) return 'resolve address';
  if (/\/transactions\/create$/.test(p)) return 'create transaction';
  if (/\/transactions\/createoradjust$/.test(p)) return 'createoradjust transaction';
  if (/\/transactions\/[^/]+\/commit$/.test(p)) return 'commit transaction';
  if (/\/transactions\/[^/]+\/void$/.test(p)) return 'void transaction';
  if (/\/transactions\/[^/]+$/.test(p)) return `${e.method} transaction`;
  return `${e.method} ${p}`;
}

/**
 * Real services keep a connection open for a minute or more; the sandbox announces one second
 * (`Keep-Alive: timeout=1`), and Node's agent never reuses a socket whose announced timeout is one second or less
 * (it keeps a second's margin). Without this every request of every flow would open a connection of its own.
 */
function keepConnections(sandbox: SandboxServer): void {
  const server = (sandbox as unknown as { server?: Server }).server;
  if (server) server.keepAliveTimeout = 65_000;
}

function emptyTally(): Tally {
  return {
    spans: [],
    finished: [],
    vismaWindows: [],
    busyMs: { visma: 0, avatax: 0 },
    byKind: {},
    visma: 0,
    avatax: 0,
    token: 0,
    throttled: 0,
    throttledBy: { visma: 0, avatax: 0 },
    peakInFlight: { visma: 0, avatax: 0 },
    posted: 0,
    written: 0,
  };
}

/** The document a request names: Visma's document path, or the AvaTax document code (path or body). */
function documentOf(e: Pick<RequestLogEntry, 'method' | 'path' | 'body'>): string | undefined {
  const visma = /^\/v1\/(customerinvoice|customerCreditNote|customerDebitNote)\/([^/]+)/i.exec(e.path);
  if (visma) {
    const kind = /invoice/i.test(visma[1]!) ? 'invoice' : /debit/i.test(visma[1]!) ? 'debit-note' : 'credit-note';
    return `${kind}:${decodeURIComponent(visma[2]!)}`;
  }
  let code: string | undefined;
  const tx = /\/transactions\/([^/]+)(\/(commit|void))?$/.exec(e.path);
  if (tx && tx[1] !== 'create' && tx[1] !== 'createoradjust') code = unescapeCodeFromPath(tx[1]!);
  else if (/\/transactions\/(create|createoradjust)$/.test(e.path)) {
    try {
      const body = JSON.parse(e.body) as { code?: string; createTransactionModel?: { code?: string } };
      code = body.code ?? body.createTransactionModel?.code;
    } catch {
      code = undefined;
    }
  }
  const parsed = code ? parseDocumentCode(code) : undefined;
  return parsed ? `${parsed.type}:${parsed.referenceNumber}` : undefined;
}

/** A few requests to each server on a path no flow uses (answered 404), before the counting starts. */
async function warmUp(urls: string[]): Promise<void> {
  for (let i = 0; i < 20; i++)
    for (const url of urls)
      await fetch(`${url}/bench-warm-up`)
        .then((r) => r.text())
        .catch(() => undefined);
}

async function main(): Promise<void> {
  let tally = emptyTally();
  let visma: VismaSandbox | undefined;
  let avatax: AvaTaxSandbox | undefined;
  let held: SandboxDocument[] = [];
  const inFlight = { visma: 0, avatax: 0 };
  let spans = new Map<string, [number, number]>();
  /** Documents recorded in AvaTax since the last take, and Visma's VAT of every document at the last take. */
  let posted = new Set<string>();
  let vatBefore = new Map<string, string>();

  let clock = testClock(0);
  const watch = (server: SandboxServer, service: 'visma' | 'avatax', latencyMs: number) => {
    // Every request waits the simulated latency before it is answered (a fault rule that never runs out).
    if (latencyMs > 0) server.injectFault({ path: /./, fault: { kind: 'delay', ms: latencyMs }, times: Infinity });
    // Arrival times by method and path, first in first out (answers to one path come back in order).
    const arrived = new Map<string, number[]>();
    server.onRequest = (method, path) => {
      inFlight[service]++;
      tally.peakInFlight[service] = Math.max(tally.peakInFlight[service], inFlight[service]);
      const key = `${method} ${path}`;
      const list = arrived.get(key);
      if (list) list.push(clock.ms());
      else arrived.set(key, [clock.ms()]);
    };
    server.onHandled = (entry) => {
      inFlight[service] = Math.max(0, inFlight[service] - 1);
      const now = clock.ms();
      if (service === 'visma') {
        const opened = visma?.rateWindows.startOf(DEMO_CREDENTIALS.visma.clientId);
        if (opened !== undefined && opened !== tally.vismaWindows.at(-1)) tally.vismaWindows.push(opened);
      }
      const path = `${entry.method} ${entry.path}`;
      const list = arrived.get(path);
      const start = list?.shift() ?? now;
      if (list?.length === 0) arrived.delete(path);
      tally.busyMs[service] += now - start;
      const doc = documentOf(entry);
      if (doc) {
        const span = spans.get(doc);
        if (span) span[1] = now;
        else spans.set(doc, [start, now]);
      }
      const kind = kindOf(entry);
      if (doc && /^create(oradjust)? transaction$/.test(kind) && entry.status < 300) posted.add(doc);
      const counted = `${service} ${kind}`;
      tally.byKind[counted] = (tally.byKind[counted] ?? 0) + 1;
      if (kind === 'token') tally.token++;
      else tally[service]++;
      if (entry.status === 429) {
        tally.throttled++;
        tally.throttledBy[service]++;
      }
      server.log.length = 0;
    };
  };

  const rpc: Rpc = {
    async start(o: HostOptions) {
      clock = testClock(o.at);
      const seed = workload(o.documents + (o.later ?? 0), clock.ms(), o.months);
      // The documents created "later" are the newest ones: held back now, added by `release-new`.
      const invoices = seed.visma.documents.filter((d) => d.kind === 'invoice');
      const credits = seed.visma.documents.filter((d) => d.kind === 'credit-note');
      const laterCredits = Math.round((o.later ?? 0) / 10);
      held = [
        ...invoices.splice(invoices.length - ((o.later ?? 0) - laterCredits)),
        ...credits.splice(credits.length - laterCredits),
      ];
      seed.visma.documents = [...invoices, ...credits];
      visma = new VismaSandbox({
        state: seed.visma,
        now: clock.ms,
        rateLimit: o.rateLimit,
        rateWindowSeconds: o.rateWindowSeconds,
      });
      // The host changes documents only through the sandbox's writes: its listings may be remembered.
      visma.rememberListings = true;
      avatax = new AvaTaxSandbox({ state: seed.avatax, now: clock.ms, rateLimit: o.avatax });
      vatBefore = vatByDocument(seed.visma.documents);
      await visma.listen();
      await avatax.listen();
      for (const s of [visma.server, avatax.server]) keepConnections(s);
      // The host's own code made ready before any flow is timed: its first answers would otherwise be late by
      // the compiling of its HTTP server, for whichever flow happens to come first. Nothing of it is counted.
      await warmUp([visma.apiUrl, avatax.url]);
      for (const s of [visma.server, avatax.server]) s.log.length = 0;
      visma.rateWindows.clear();
      watch(visma.server, 'visma', o.latencyMs);
      watch(avatax.server, 'avatax', o.latencyMs);
      return {
        urls: { visma: visma.apiUrl, avatax: avatax.url },
        documents: seed.visma.documents.length,
        held: held.length,
      };
    },
    /** The held-back documents appear in Visma now (created by a user: a new lastModifiedDateTime and ETag). */
    releaseNew() {
      for (const d of held) {
        visma!.touch(d);
        d.createdDateTime = d.lastModifiedDateTime;
        visma!.state.documents.unshift(d);
        vatBefore.set(`${d.kind}:${d.referenceNumber}`, vatOf(d));
      }
      const n = held.length;
      held = [];
      return n;
    },
    latency(ms: number) {
      for (const s of [visma!.server, avatax!.server]) {
        s.clearFaults();
        if (ms > 0) s.injectFault({ path: /./, fault: { kind: 'delay', ms }, times: Infinity });
      }
    },
    /** Visma's requests per window from now on, in a fresh window (what came before does not count). */
    rateLimit(o: { limit: number }) {
      visma!.rateLimit = o.limit;
      visma!.rateWindows.clear();
    },
    /** The counts since the last take, and zero again. */
    take() {
      const t = tally;
      t.spans = [...spans.values()].map(([a, b]) => Math.round(b - a));
      t.finished = [...spans.values()].map(([, b]) => b);
      t.posted = posted.size;
      const vatNow = vatByDocument(visma!.state.documents);
      t.written = writtenBetween(vatBefore, vatNow);
      vatBefore = vatNow;
      tally = emptyTally();
      spans = new Map();
      posted = new Set();
      return t;
    },
    state() {
      const docs = visma!.state.documents;
      const byStatus: Record<string, number> = {};
      for (const d of docs) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
      const tx: Record<string, number> = {};
      for (const t of avatax!.state.transactions) tx[t.status] = (tx[t.status] ?? 0) + 1;
      return { documents: docs.length, byStatus, transactions: tx };
    },
    async close() {
      await Promise.all([visma?.close(), avatax?.close()]);
      setImmediate(() => process.exit(0));
    },
  };
  serve(rpc);
}

void main();
