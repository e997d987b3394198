import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A tiny router + fault injector shared by the two sandboxes (Node `http`, loopback, random port). */

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  params: string[];
}

export interface SandboxReply {
  status: number;
  headers?: Record<string, string>;
  /** Object -> JSON; string -> as is (content-type from headers or text/plain); undefined -> empty. */
  body?: unknown;
}

export type Handler = (req: SandboxRequest) => SandboxReply | Promise<SandboxReply>;

/** Faults a test or the demo can ask for: the next N matching requests misbehave. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown; contentType?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'oversize'; bytes: number }
  /** The real answer, cut to its first `keep` items (a list answer a proxy or the service cut short). */
  | { kind: 'cut'; keep: number };

export interface FaultRule {
  method?: string;
  path: RegExp;
  /** Matched against the query string (`?pageNumber=2&…`), when given. */
  query?: RegExp;
  fault: Fault;
  times: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export class SandboxServer {
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  private readonly faults: FaultRule[] = [];
  private server?: Server;
  readonly log: RequestLogEntry[] = [];
  /** Called once a request has been handled, before the reply is sent (crash tests kill the client here). */
  onHandled?: (entry: RequestLogEntry) => void;
  /** Called before a request is routed (tests simulate someone editing in Visma at that moment). */
  onRequest?: (method: string, path: string) => void;
  maxBodyBytes = 5 * 1024 * 1024;

  constructor(readonly name: string) {}

  route(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  injectFault(rule: Omit<FaultRule, 'times'> & { times?: number }): void {
    this.faults.push({ ...rule, times: rule.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`Internal sandbox error: ${(error as Error).message}`);
        }
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`${this.name} sandbox is not listening`);
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const rawBody = await readBody(req, this.maxBodyBytes);
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      status: 0,
      headers: req.headers,
      body: rawBody ?? '',
    };
    if (rawBody === undefined) return this.send(res, entry, { status: 413, body: 'Request body too large' });

    this.onRequest?.(entry.method, url.pathname);
    const fault = this.takeFault(entry.method, url.pathname, url.search);
    if (fault?.kind === 'drop') {
      entry.status = -1;
      this.log.push(entry);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      if (fault.contentType) headers['content-type'] = fault.contentType;
      return this.send(res, entry, { status: fault.status, headers, body: fault.body });
    }
    if (fault?.kind === 'oversize') {
      return this.send(res, entry, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: `[${'0,'.repeat(fault.bytes / 2)}0]`,
      });
    }

    for (const route of this.routes) {
      if (route.method !== entry.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const reply = await route.handler({
        method: entry.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: rawBody,
        params: match.slice(1).map((p) => decodeURIComponent(p ?? '')),
      });
      if (fault?.kind === 'cut' && Array.isArray(reply.body))
        return this.send(res, entry, { ...reply, body: reply.body.slice(0, fault.keep) });
      return this.send(res, entry, reply);
    }
    return this.send(res, entry, { status: 404, body: '' });
  }

  private send(res: ServerResponse, entry: RequestLogEntry, reply: SandboxReply): void {
    entry.status = reply.status;
    this.log.push(entry);
    this.onHandled?.(entry);
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (reply.body !== undefined) {
      if (typeof reply.body === 'string') {
        payload = reply.body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else {
        payload = JSON.stringify(reply.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private takeFault(method: string, path: string, query: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.method || f.method === method) && f.path.test(path) && (!f.query || f.query.test(query)),
    );
    if (index < 0) return undefined;
    const rule = this.faults[index]!;
    rule.times -= 1;
    if (rule.times <= 0) this.faults.splice(index, 1);
    return rule.fault;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A fixed-window request limit per client: a window opens with a client's first request, counts every request
 * until it has lasted its seconds, and the next request opens a new one (Visma's `4-fixed-window`; the AvaTax
 * sandbox's optional limit).
 */
export class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number) {}

  /** Counts one request of `client` against `limit` a window of `seconds`: what is left, when it resets, whether over. */
  take(client: string, limit: number, seconds: number): { remaining: number; resetSeconds: number; over: boolean } {
    const now = this.now();
    let w = this.windows.get(client);
    if (!w || now - w.start >= seconds * 1000) {
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    return {
      remaining: Math.max(0, limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.start + seconds * 1000 - now) / 1000)),
      over: w.count > limit,
    };
  }

  /** When the client's current window opened (ms), if it has one. */
  startOf(client: string): number | undefined {
    return this.windows.get(client)?.start;
  }

  /** Forgets every window: the next request opens a fresh one. */
  clear(): void {
    this.windows.clear();
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxReply {
  return { status, body, headers };
}

export function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw.trim() === '') return { ok: false, error: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
