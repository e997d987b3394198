import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExchangeSummary } from '../../electron/connectors/http.js';
import { createConnectors } from '../../electron/connectors/index.js';
import { Redactor } from '../../electron/connectors/redact.js';
import { startWorld, type TestWorld } from '../helpers/sandboxes.js';

describe('no secret in any log line or error message', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('feeds known secrets through every path and searches the output', async () => {
    const secrets = { vismaClientSecret: 'visma-SECRET-9f8e7d', avalaraLicenseKey: 'LICENSE-KEY-1a2b3c' };
    world.sandboxes.visma.state.clients[0]!.clientSecret = secrets.vismaClientSecret;
    world.sandboxes.avatax.state.accounts[0]!.licenseKey = secrets.avalaraLicenseKey;
    const output: string[] = [];
    const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args) => output.push(args.map(String).join(' '))),
    );
    const exchanges: ExchangeSummary[] = [];
    const make = (s: typeof secrets) =>
      createConnectors(world.settings, s, {
        onExchange: (e) => exchanges.push(e),
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        timeoutMs: 2000,
      });
    const good = make(secrets);
    const bad = make({
      vismaClientSecret: `${secrets.vismaClientSecret}-wrong`,
      avalaraLicenseKey: `${secrets.avalaraLicenseKey}-wrong`,
    });
    const errors: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => p.catch((e) => errors.push(e));
    await attempt(good.visma.getCustomer('10001'));
    await attempt(bad.visma.getCustomer('10001'));
    await attempt(
      bad.avatax.createTransaction({
        type: 'SalesInvoice',
        code: 'X',
        companyCode: 'NORDVAST',
        date: '2026-11-01',
        customerCode: 'C',
        currencyCode: 'SEK',
        commit: false,
        addresses: { shipFrom: { country: 'SE' }, shipTo: { country: 'SE' } },
        lines: [{ number: '1', amount: 1 }],
      }),
    );
    world.sandboxes.avatax.server.injectFault({
      path: /ping/,
      fault: { kind: 'status', status: 500, body: `echo ${secrets.avalaraLicenseKey}` },
      times: 5,
    });
    await attempt(good.avatax.ping());
    world.sandboxes.visma.server.injectFault({ path: /customer/, fault: { kind: 'drop' }, times: 5 });
    await attempt(good.visma.getCustomer('10002'));
    for (const s of spies) s.mockRestore();

    expect(errors.length).toBeGreaterThanOrEqual(3);
    const haystack = [
      ...output,
      ...exchanges.map((e) => JSON.stringify(e)),
      ...errors.map((e) => `${(e as Error).message} ${JSON.stringify(e)} ${(e as Error).stack}`),
    ].join('\n');
    const basic = Buffer.from(`${world.settings.avalara.accountId}:${secrets.avalaraLicenseKey}`).toString('base64');
    for (const needle of [
      secrets.vismaClientSecret,
      secrets.avalaraLicenseKey,
      basic,
      encodeURIComponent(secrets.vismaClientSecret),
    ]) {
      expect(haystack).not.toContain(needle);
    }
  });

  it('an error body that repeats a secret (a 400, a proxy page, an ExceptionMessage) is redacted at the edge', async () => {
    const key = world.secrets.avalaraLicenseKey;
    const secret = world.secrets.vismaClientSecret;
    world.sandboxes.avatax.server.injectFault({
      path: /\/transactions\/create$/,
      fault: {
        kind: 'status',
        status: 400,
        body: { error: { code: 'ModelStateInvalid', message: `Field licenseKey ${key} is not valid`, details: [] } },
      },
    });
    world.sandboxes.visma.server.injectFault({
      path: /customer\//,
      fault: {
        kind: 'status',
        status: 400,
        body: {
          ExceptionType: 'IPPException',
          ExceptionMessage: `client_secret was ${secret}`,
          ExceptionFaultCode: '10000',
        },
      },
    });
    world.sandboxes.visma.server.injectFault({
      path: /customerinvoice\//,
      fault: { kind: 'status', status: 403, body: `<html>Proxy says: ${secret}</html>`, contentType: 'text/html' },
    });
    const { avatax, visma } = world.connectors();
    const errors = await Promise.all([
      avatax
        .createTransaction({
          type: 'SalesInvoice',
          code: 'X',
          companyCode: 'NORDVAST',
          date: '2026-11-01',
          customerCode: 'C',
          currencyCode: 'SEK',
          commit: false,
          addresses: { shipFrom: { country: 'SE' }, shipTo: { country: 'SE' } },
          lines: [{ number: '1', amount: 1 }],
        })
        .catch((e) => e),
      visma.getCustomer('10001').catch((e) => e),
      visma.getDocument('invoice', '260001').catch((e) => e),
    ]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error);
      expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(key);
      expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(secret);
      expect(e.message).toMatch(/\[redacted\]/);
    }
  });

  it('the Redactor scrubs raw, URL-encoded, Base64 and Basic forms', () => {
    const r = new Redactor(['p@ss word!']);
    r.addBasic('123', 'p@ss word!');
    const basic = Buffer.from('123:p@ss word!').toString('base64');
    const text = r.redact(
      `a p@ss word! b ${encodeURIComponent('p@ss word!')} c ${basic} Authorization: Bearer abc.def client_secret=zzz&x=1 "access_token":"tok"`,
    );
    expect(text).not.toMatch(/p@ss|p%40ss|abc\.def|zzz|tok"/);
    expect(text).not.toContain(basic);
  });
});
