import { afterEach, beforeEach, describe, it } from 'vitest';
import type { Fault } from '../../electron/sandbox/http-kit.js';
import type { EngineWorld } from '../helpers/engine.js';
import { expectNothingLost, expectSaid, ok200, runAndListen, smallWorld } from './helpers.js';

/**
 * Visma.net answering 200 with a body that is not what its API promises: cut-off JSON, an HTML page, the wrong
 * shape, the wrong types, too much. Each is said in words, and nothing is lost once Visma answers properly.
 */
const LIST = /^\/v1\/customerinvoice$/i;
const DOCUMENT = /^\/v1\/customerinvoice\/[^/]+$/i;
const CUSTOMER = /^\/v1\/customer\/[^/]+$/i;
const TOKEN = /^\/connect\/token$/;

interface Case {
  name: string;
  method: string;
  path: RegExp;
  fault: Fault;
  /** `reprocess`: the case reads one document again (GET of the document and its customer). */
  via?: 'run' | 'reprocess';
  about: RegExp;
}

const item = (over: Record<string, unknown>) => [{ referenceNumber: '269999', status: 'Balanced', ...over }];

const CASES: Case[] = [
  {
    name: 'the invoice list cut off in the middle of its JSON',
    method: 'GET',
    path: LIST,
    fault: ok200('[{"referenceNumber":"260001","status":"Bal'),
    about: /Visma\.net.*(not JSON|cut off)/,
  },
  {
    name: 'the invoice list as an HTML page',
    method: 'GET',
    path: LIST,
    fault: ok200('<!doctype html><html><body><h1>Maintenance</h1></body></html>', 'text/html'),
    about: /Visma\.net.*HTML/,
  },
  {
    name: 'the invoice list as an object instead of an array',
    method: 'GET',
    path: LIST,
    fault: ok200({ value: [], count: 0 }),
    about: /Visma\.net sent an invoice list that is not a list/,
  },
  {
    name: 'the invoice list as a bare number',
    method: 'GET',
    path: LIST,
    fault: ok200('42'),
    about: /Visma\.net sent an invoice list that is not a list/,
  },
  {
    name: 'the invoice list as JSON null',
    method: 'GET',
    path: LIST,
    fault: ok200('null'),
    about: /Visma\.net sent an invoice list that is not a list/,
  },
  {
    name: 'the invoice list larger than 25 MB',
    method: 'GET',
    path: LIST,
    fault: { kind: 'oversize', bytes: 26 * 1024 * 1024 },
    about: /Visma\.net sent a response larger than allowed/,
  },
  {
    name: 'an invoice list of strings',
    method: 'GET',
    path: LIST,
    fault: ok200(['260001', '260002']),
    about: /Visma sent a document we cannot read/,
  },
  {
    name: 'an invoice whose amount is text',
    method: 'GET',
    path: LIST,
    fault: ok200(item({ amount: '1 234,50' })),
    about: /cannot read.*269999/,
  },
  {
    name: 'an invoice whose reference number is a number',
    method: 'GET',
    path: LIST,
    fault: ok200([{ referenceNumber: 269999, status: 'Balanced' }]),
    about: /Visma sent a document we cannot read/,
  },
  {
    name: 'an invoice whose lines are not a list',
    method: 'GET',
    path: LIST,
    fault: ok200(item({ invoiceLines: 'none' })),
    about: /cannot read.*269999/,
  },
  {
    name: 'a null among the invoices',
    method: 'GET',
    path: LIST,
    fault: ok200([null]),
    about: /Visma sent a document we cannot read/,
  },
  {
    name: 'an invoice read again, cut off',
    method: 'GET',
    path: DOCUMENT,
    fault: ok200('{"referenceNumber":"26'),
    via: 'reprocess',
    about: /Visma\.net.*(not JSON|cut off)/,
  },
  {
    name: 'an invoice read again as an HTML page',
    method: 'GET',
    path: DOCUMENT,
    fault: ok200('<html><body>Login</body></html>', 'text/html'),
    via: 'reprocess',
    about: /Visma\.net.*HTML/,
  },
  {
    name: 'an invoice read again without its fields',
    method: 'GET',
    path: DOCUMENT,
    fault: ok200({ hello: 'world' }),
    via: 'reprocess',
    about: /Visma\.net sent an unreadable invoice/,
  },
  {
    name: 'a customer as an empty body',
    method: 'GET',
    path: CUSTOMER,
    fault: ok200(''),
    via: 'reprocess',
    about: /Visma\.net.*(empty|unreadable customer)/,
  },
  {
    name: 'a customer whose address is a number',
    method: 'GET',
    path: CUSTOMER,
    fault: ok200({ number: '10002', name: 'X', mainAddress: 7 }),
    via: 'reprocess',
    about: /Visma\.net sent an unreadable customer/,
  },
  {
    name: 'the VAT categories cut off',
    method: 'GET',
    path: /^\/v1\/vatCategory$/i,
    fault: ok200('[{"vatCategoryId":"ST'),
    about: /VAT categories and zones/,
  },
  {
    name: 'a token answer without access_token',
    method: 'POST',
    path: TOKEN,
    fault: ok200({ token_type: 'Bearer' }),
    about: /Visma Connect sent a token response without access_token/,
  },
  {
    name: 'a token answer as an HTML page',
    method: 'POST',
    path: TOKEN,
    fault: ok200('<html><body>Sign in</body></html>', 'text/html'),
    about: /Visma Connect.*(HTML|token response)/,
  },
];

describe('bad answers from Visma.net (200 with an odd body)', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await smallWorld();
  });
  afterEach(() => w.close());

  for (const c of CASES) {
    it(c.name, async () => {
      let ref = '';
      if (c.via === 'reprocess') {
        await w.engine.run('user');
        ref = w.sandboxes.visma.state.documents.find(
          (d) => d.kind === 'invoice' && /^1000[2-9]$/.test(d.customer.number),
        )!.referenceNumber;
      }
      w.sandboxes.visma.server.injectFault({
        method: c.method,
        path: c.path,
        fault: c.fault,
        times: c.fault.kind === 'oversize' ? 1 : 10,
      });
      const said = await runAndListen(w, () =>
        c.via === 'reprocess' ? w.engine.reprocess([ref], 'user') : w.engine.run('user'),
      );
      expectSaid(said, c.about);
      await expectNothingLost(w);
    });
  }
});
