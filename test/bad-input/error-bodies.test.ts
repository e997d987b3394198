import { afterEach, beforeEach, describe, it } from 'vitest';
import type { Fault } from '../../electron/sandbox/http-kit.js';
import type { EngineWorld } from '../helpers/engine.js';
import { expectNothingLost, expectSaid, runAndListen, smallWorld } from './helpers.js';

/**
 * Errors with nothing to read: an empty body, or an HTML page from a proxy or a load balancer instead of the
 * service's JSON error. The message says the status and the page's title in words, never the markup; nothing is
 * lost once the service is back.
 */
const html = (title: string): string =>
  `<!DOCTYPE html><html><head><title>${title}</title><style>body{color:red}</style></head><body><h1>${title}</h1><p>nginx</p></body></html>`;

interface Case {
  name: string;
  service: 'visma' | 'avatax';
  method: string;
  path: RegExp;
  status: number;
  body?: string;
  /** Edit one unreleased invoice first, so the run writes back to Visma (a PUT). */
  write?: boolean;
  about: RegExp;
}

const LIST = /^\/v1\/customerinvoice$/i;
const PUT = /^\/v1\/customerinvoice\/[^/]+$/i;
const CREATE = /\/transactions\/create$/;

const CASES: Case[] = [
  {
    name: 'Visma answers the invoice list with 500 and no body, every time',
    service: 'visma',
    method: 'GET',
    path: LIST,
    status: 500,
    about: /Visma\.net answered HTTP 500; gave up after 5 attempts/,
  },
  {
    name: 'Visma answers the invoice list with a 503 HTML page, every time',
    service: 'visma',
    method: 'GET',
    path: LIST,
    status: 503,
    body: html('503 Service Temporarily Unavailable'),
    about: /Visma\.net answered HTTP 503; gave up after 5 attempts/,
  },
  {
    name: 'Visma refuses a write-back with a 400 HTML page',
    service: 'visma',
    method: 'PUT',
    path: PUT,
    status: 400,
    body: html('400 Bad Request'),
    write: true,
    about: /Visma\.net answered HTTP 400 with an HTML page \(“400 Bad Request”\)/,
  },
  {
    name: 'Visma refuses a write-back with a 400 and no body',
    service: 'visma',
    method: 'PUT',
    path: PUT,
    status: 400,
    write: true,
    about: /Visma\.net answered HTTP 400 with no explanation/,
  },
  {
    name: 'Visma refuses the VAT data with a 403 HTML page',
    service: 'visma',
    method: 'GET',
    path: /^\/v1\/vat/i,
    status: 403,
    body: html('403 Forbidden'),
    about: /Visma\.net answered HTTP 403 with an HTML page \(“403 Forbidden”\)/,
  },
  {
    name: 'Visma Connect answers the token request with a 502 HTML page, every time',
    service: 'visma',
    method: 'POST',
    path: /^\/connect\/token$/,
    status: 502,
    body: html('502 Bad Gateway'),
    about: /Visma Connect answered HTTP 502; gave up after 5 attempts/,
  },
  {
    name: 'AvaTax answers a create with a 500 HTML page',
    service: 'avatax',
    method: 'POST',
    path: CREATE,
    status: 500,
    body: html('Internal Server Error'),
    about: /AvaTax answered HTTP 500/,
  },
  {
    name: 'AvaTax refuses a create with a 400 and no body',
    service: 'avatax',
    method: 'POST',
    path: CREATE,
    status: 400,
    about: /AvaTax answered HTTP 400 with no body/,
  },
  {
    name: 'AvaTax refuses a create with a 400 HTML page',
    service: 'avatax',
    method: 'POST',
    path: CREATE,
    status: 400,
    body: html('Request Rejected'),
    about: /AvaTax answered HTTP 400 with an HTML page \(“Request Rejected”\)/,
  },
  {
    name: 'AvaTax refuses a create with a 400 in plain text',
    service: 'avatax',
    method: 'POST',
    path: CREATE,
    status: 400,
    body: 'The request could not be understood.\n\n  (ref 7f3a)',
    about: /AvaTax answered HTTP 400: The request could not be understood\. \(ref 7f3a\)/,
  },
  {
    name: 'AvaTax answers a create with a 401 HTML page: the run stops and says so',
    service: 'avatax',
    method: 'POST',
    path: CREATE,
    status: 401,
    body: html('401 Authorization Required'),
    about: /AvaTax answered HTTP 401 with an HTML page \(“401 Authorization Required”\)/,
  },
];

describe('error answers with an empty body or an HTML page', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await smallWorld();
  });
  afterEach(() => w.close());

  for (const c of CASES) {
    it(c.name, async () => {
      if (c.write) {
        await w.engine.run('user');
        const d = w.sandboxes.visma.state.documents.find(
          (x) => x.kind === 'invoice' && /^1000[2-9]$/.test(x.customer.number) && x.location?.id !== 'OSLO',
        )!;
        w.sandboxes.visma.editDocument('invoice', d.referenceNumber, (x) => {
          x.status = 'Balanced';
          x.hold = false;
          for (const l of x.lines) l.vatCode = { id: 'BOOK', description: 'BOOK' };
        });
      }
      const fault: Fault = {
        kind: 'status',
        status: c.status,
        body: c.body,
        contentType: c.body?.startsWith('<') ? 'text/html' : undefined,
      };
      w.sandboxes[c.service].server.injectFault({ method: c.method, path: c.path, fault, times: 20 });
      expectSaid(await runAndListen(w), c.about);
      await expectNothingLost(w);
    });
  }
});
