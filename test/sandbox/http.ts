import { AvaTaxSandbox } from '../../electron/sandbox/avatax-server.js';
import { DEMO_CREDENTIALS, seedDemoCompany } from '../../electron/sandbox/demo-company.js';
import { VismaSandbox } from '../../electron/sandbox/visma-server.js';
import { testClock } from '../helpers/clock.js';

/** Plain HTTP against the sandboxes, as any client would talk to them (no product code in between). */

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: API bodies are navigated freely in assertions
  body: any;
}

async function call(url: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export interface VismaWorld {
  visma: VismaSandbox;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, headers?: Record<string, string>): Promise<Reply>;
  del(path: string, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function startVisma(
  options: { invoices?: number; creditNotes?: number; debitNotes?: number; now?: () => number } = {},
) {
  const now = options.now ?? testClock().ms;
  const seed = seedDemoCompany({
    now: now(),
    invoices: options.invoices ?? 60,
    creditNotes: options.creditNotes ?? 10,
    debitNotes: options.debitNotes ?? 6,
  });
  const visma = new VismaSandbox({ state: seed.visma, now });
  await visma.listen();
  const { clientId, clientSecret, tenantId } = DEMO_CREDENTIALS.visma;
  const token = await call(visma.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      tenant_id: tenantId,
      scope: 'vismanet_erp_service_api:read vismanet_erp_service_api:update vismanet_erp_service_api:delete',
    }).toString(),
  });
  const auth = { authorization: `Bearer ${token.body.access_token}` };
  const url = (path: string) => `${visma.apiUrl}${path}`;
  const world: VismaWorld = {
    visma,
    get: (path, headers = {}) => call(url(path), { headers: { ...auth, ...headers } }),
    put: (path, body, headers = {}) =>
      call(url(path), {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    post: (path, headers = {}) => call(url(path), { method: 'POST', headers: { ...auth, ...headers } }),
    del: (path, headers = {}) => call(url(path), { method: 'DELETE', headers: { ...auth, ...headers } }),
    close: () => visma.close(),
  };
  return world;
}

export interface AvaTaxWorld {
  avatax: AvaTaxSandbox;
  get(path: string): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export async function startAvaTax(options: { now?: () => number } = {}): Promise<AvaTaxWorld> {
  const seed = seedDemoCompany({ now: (options.now ?? testClock().ms)(), invoices: 1, creditNotes: 0 });
  const avatax = new AvaTaxSandbox({ state: seed.avatax, now: options.now });
  await avatax.listen();
  const { accountId, licenseKey } = DEMO_CREDENTIALS.avalara;
  const auth = { authorization: `Basic ${Buffer.from(`${accountId}:${licenseKey}`).toString('base64')}` };
  return {
    avatax,
    get: (path) => call(`${avatax.url}${path}`, { headers: auth }),
    post: (path, body) =>
      call(`${avatax.url}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    close: () => avatax.close(),
  };
}
