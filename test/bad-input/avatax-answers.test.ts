import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testAvaTax } from '../../electron/app/connection-test.js';
import type { Fault } from '../../electron/sandbox/http-kit.js';
import type { SandboxDocument } from '../../electron/sandbox/visma-state.js';
import type { EngineWorld } from '../helpers/engine.js';
import { expectClear, expectNothingLost, expectSaid, ok200, runAndListen, smallWorld } from './helpers.js';

/**
 * AvaTax answering 200 with a body that is not a transaction, an address resolution or a ping: cut off, an HTML
 * page, empty, wrongly typed, too large. Each is said in words; the document waits for a retry and nothing is
 * lost once AvaTax answers properly.
 */
const CREATE = /\/transactions\/create$/;
const CREATE_OR_ADJUST = /\/transactions\/createoradjust$/;
const GET = /\/companies\/[^/]+\/transactions\/[^/]+$/;
const COMMIT = /\/commit$/;
const VOID = /\/void$/;
const RESOLVE = /\/addresses\/resolve$/;

/** The step before the bad answer: which document is sent, and what brings AvaTax's endpoint into play. */
type Setup = (w: EngineWorld) => Promise<() => Promise<unknown>>;

/** A plain run: every document is created in AvaTax. */
const aRun: Setup = async (w) => () => w.engine.run('user');

/** A calculated invoice released in Visma since: the next run commits it. */
const aRelease: Setup = async (w) => {
  await w.engine.run('user');
  const row = (await w.store.ledger.byState('calculated')).find((d) => d.documentType === 'invoice')!;
  w.sandboxes.visma.editDocument('invoice', row.referenceNumber, (x) => {
    x.status = 'Open';
  });
  return () => w.engine.run('user');
};

/** A calculated invoice voided in Visma since: the next run voids it in AvaTax. */
const aVoid: Setup = async (w) => {
  await w.engine.run('user');
  const row = (await w.store.ledger.byState('calculated')).find((d) => d.documentType === 'invoice')!;
  w.sandboxes.visma.voidDocument('invoice', row.referenceNumber);
  return () => w.engine.run('user');
};

/** A create whose answer is lost (503, not retried): the engine asks AvaTax what it holds. */
const aLostCreate: Setup = async (w) => {
  w.sandboxes.avatax.server.injectFault({ method: 'POST', path: CREATE, fault: { kind: 'status', status: 503 } });
  return () => w.engine.run('user');
};

/** An invoice of a US customer: its address goes to AvaTax's resolver. */
const aUsInvoice: Setup = async (w) => {
  const visma = w.sandboxes.visma;
  const us = visma.state.customers.find((c) => /Pacific|Hudson|Emerald/.test(c.name))!;
  const d: SandboxDocument = visma.state.documents.find((x) => x.kind === 'invoice')!;
  visma.editDocument('invoice', d.referenceNumber, (x) => {
    x.customer = { number: us.number, name: us.name };
    x.location = null;
    x.status = 'Balanced';
    x.hold = false;
  });
  return () => w.engine.reprocess([d.referenceNumber], 'user');
};

interface Case {
  name: string;
  method: string;
  path: RegExp;
  fault: Fault;
  setup: Setup;
  about: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a created transaction cut off in the middle of its JSON',
    method: 'POST',
    path: CREATE,
    fault: ok200('{"id":85000000001,"code":"VN-INV-2600'),
    setup: aRun,
    about: /AvaTax sent an answer that is not JSON \(cut off or garbled\) instead of the transaction/,
  },
  {
    name: 'a created transaction as an HTML page',
    method: 'POST',
    path: CREATE,
    fault: ok200('<html><head><title>Avalara maintenance</title></head></html>', 'text/html'),
    setup: aRun,
    about: /AvaTax sent an HTML page instead of the transaction/,
  },
  {
    name: 'a created transaction as an empty body',
    method: 'POST',
    path: CREATE,
    fault: ok200(''),
    setup: aRun,
    about: /AvaTax sent an empty answer instead of the transaction/,
  },
  {
    name: 'a created transaction as JSON null',
    method: 'POST',
    path: CREATE,
    fault: ok200('null'),
    setup: aRun,
    about: /AvaTax sent an unreadable transaction/,
  },
  {
    name: 'a created transaction whose total tax is text',
    method: 'POST',
    path: CREATE,
    fault: ok200({ id: 1, code: 'X', status: 'Saved', totalTax: 'lots', lines: [] }),
    setup: aRun,
    about: /AvaTax sent an unreadable transaction.*totalTax should be a number, not text/,
  },
  {
    name: 'a created transaction whose lines are not a list',
    method: 'POST',
    path: CREATE,
    fault: ok200({ id: 1, code: 'X', status: 'Saved', totalTax: 1, lines: 'all of them' }),
    setup: aRun,
    about: /AvaTax sent an unreadable transaction.*lines should be a list/,
  },
  {
    name: 'a created transaction larger than 25 MB',
    method: 'POST',
    path: CREATE,
    fault: { kind: 'oversize', bytes: 26 * 1024 * 1024 },
    setup: aRun,
    about: /AvaTax sent a response larger than allowed/,
  },
  {
    name: 'a commit answered with a cut-off transaction',
    method: 'POST',
    path: COMMIT,
    fault: ok200('{"id":1,"status":"Commi'),
    setup: aRelease,
    about: /AvaTax sent an answer that is not JSON .* instead of the transaction/,
  },
  {
    name: 'a void answered with an empty body',
    method: 'POST',
    path: VOID,
    fault: ok200(''),
    setup: aVoid,
    about: /AvaTax sent an empty answer instead of the transaction/,
  },
  {
    name: 'the look-up after a lost create answered with an HTML page',
    method: 'GET',
    path: GET,
    fault: ok200('<html><body><h1>Gateway</h1></body></html>', 'text/html'),
    setup: aLostCreate,
    about: /AvaTax sent an HTML page instead of the transaction/,
  },
  {
    name: 'a create-or-adjust after a lost create answered with the wrong shape',
    method: 'POST',
    path: CREATE_OR_ADJUST,
    fault: ok200({ transaction: { id: 1 } }),
    setup: aLostCreate,
    about: /AvaTax sent an unreadable transaction/,
  },
  {
    name: 'an address resolution as an HTML page',
    method: 'POST',
    path: RESOLVE,
    fault: ok200('<!doctype html><title>Access denied</title>', 'text/html'),
    setup: aUsInvoice,
    about: /AvaTax sent an HTML page instead of the address resolution/,
  },
  {
    name: 'an address resolution whose addresses are text',
    method: 'POST',
    path: RESOLVE,
    fault: ok200({ validatedAddresses: 'Main St', messages: [] }),
    setup: aUsInvoice,
    about: /AvaTax sent an unreadable address resolution.*validatedAddresses should be a list/,
  },
];

describe('bad answers from AvaTax (200 with an odd body)', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await smallWorld();
  });
  afterEach(() => w.close());

  for (const c of CASES) {
    it(c.name, async () => {
      const act = await c.setup(w);
      w.sandboxes.avatax.server.injectFault({
        method: c.method,
        path: c.path,
        fault: c.fault,
        times: c.fault.kind === 'oversize' ? 1 : 20,
      });
      const said = await runAndListen(w, act);
      expectSaid(said, c.about);
      await expectNothingLost(w);
    });
  }

  it('a ping answered with an HTML page: Test connection says so', async () => {
    w.sandboxes.avatax.server.injectFault({
      path: /ping/,
      fault: ok200('<html><title>Sign in</title></html>', 'text/html'),
      times: 5,
    });
    const result = await testAvaTax(w.settingsNow, w.secrets);
    expect(result.ok).toBe(false);
    expectClear(result.message);
    expect(result.message).toMatch(/AvaTax sent an HTML page instead of the ping/);
  });

  it('a ping whose "authenticated" is text: Test connection does not take it for a yes', async () => {
    w.sandboxes.avatax.server.injectFault({ path: /ping/, fault: ok200({ authenticated: 'yes' }), times: 5 });
    const result = await testAvaTax(w.settingsNow, w.secrets);
    expect(result.ok).toBe(false);
    expectClear(result.message);
    expect(result.message).toMatch(/AvaTax sent an unreadable ping.*authenticated should be true or false, not text/);
  });
});
