import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testAvaTax, testVisma } from '../../electron/app/connection-test.js';
import { ConfigurationError } from '../../electron/engine/errors.js';
import { DEMO_SECRETS, demoSettings } from '../../electron/sandbox/demo-company.js';
import { runCli } from '../helpers/cli.js';
import { type EngineWorld, tempDir } from '../helpers/engine.js';
import { expectClear, expectNothingLost, smallWorld } from './helpers.js';

/**
 * Credentials that stop working: a wrong tenant, a wrong client secret, an AvaTax license key revoked before or
 * during a run. The run stops (the CLI with exit 2) with a sentence that says which setting to look at; nothing
 * is half done and nothing is lost once the credentials are right again.
 */
describe('wrong or revoked credentials', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    w = await smallWorld();
  });
  afterEach(() => w.close());

  const withVisma = (over: Partial<EngineWorld['settingsNow']['visma']>) => {
    w.settingsNow = { ...w.settingsNow, visma: { ...w.settingsNow.visma, ...over } };
  };
  const revokeLicenseKey = () => {
    w.sandboxes.avatax.state.accounts[0]!.licenseKey = 'REVOKED-0000';
  };
  const restoreLicenseKey = () => {
    w.sandboxes.avatax.state.accounts[0]!.licenseKey = DEMO_SECRETS.avalaraLicenseKey;
  };

  async function stops(expected: RegExp): Promise<void> {
    const error = await w.engine.run('scheduler').catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(expected);
    expectClear((error as Error).message);
  }

  it('a tenant id Visma Connect does not know (invalid_tenant): the run stops, naming the tenant id', async () => {
    // The integration is moved to another company in Visma: our tenant id no longer matches.
    const client = w.sandboxes.visma.state.clients[0]!;
    const right = client.tenantId;
    client.tenantId = '00000000-other-tenant';
    await stops(/invalid_tenant\): the tenant id is wrong or the app is not activated for this company/);
    expect(w.store.ledger.size).toBe(0);
    expect(w.store.state.watermark('invoice')).toBeUndefined();
    client.tenantId = right;
    await expectNothingLost(w);
  });

  it('a client secret Visma Connect refuses (invalid_client): the run stops, naming the secret', async () => {
    w.sandboxes.visma.state.clients[0]!.clientSecret = 'rotated-in-visma';
    await stops(/invalid_client\): the client id or secret is wrong/);
    expect(w.store.ledger.size).toBe(0);
    w.sandboxes.visma.state.clients[0]!.clientSecret = DEMO_SECRETS.vismaClientSecret;
    await expectNothingLost(w);
  });

  it('an AvaTax license key revoked: the run stops at the first AvaTax call, nothing half done', async () => {
    revokeLicenseKey();
    await stops(/AvaTax|authenticat/i);
    expect(w.sandboxes.avatax.state.transactions).toEqual([]);
    expect(w.store.ledger.counts().pending + w.store.ledger.counts()['needs-attention']).toBe(0);
    restoreLicenseKey();
    await expectNothingLost(w);
  });

  it('an AvaTax license key revoked in the middle of a run: what was done is kept, the rest waits', async () => {
    let creates = 0;
    w.sandboxes.avatax.server.onHandled = (e) => {
      if (/\/transactions\/create$/.test(e.path) && ++creates === 4) revokeLicenseKey();
    };
    await stops(/AvaTax|authenticat/i);
    w.sandboxes.avatax.server.onHandled = undefined;
    const held = w.sandboxes.avatax.state.transactions.length;
    expect(held).toBeGreaterThan(0);
    restoreLicenseKey();
    await expectNothingLost(w);
  });

  it('Test connection with a revoked key: AvaTax answers the ping unauthenticated, and it says so', async () => {
    revokeLicenseKey();
    const result = await testAvaTax(w.settingsNow, w.secrets);
    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    expect(result.message).toMatch(/did not accept the account id and license key/);
    expectClear(result.message);
  });

  it('Test connection with a wrong tenant: Visma says which setting is wrong', async () => {
    withVisma({ tenantId: '00000000-wrong-tenant' });
    const result = await testVisma(w.settingsNow, w.secrets);
    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    expect(result.message).toMatch(/tenant id is wrong/);
    expectClear(result.message);
  });

  it('the CLI with a wrong tenant and a revoked key: sync and ping exit 2 with both reasons in words', async () => {
    revokeLicenseKey();
    const dir = tempDir('taxsync-cli-');
    const config = join(dir, 'wrong.json');
    const settings = demoSettings(w.sandboxes.urls, w.sandboxes.startFrom);
    writeFileSync(config, JSON.stringify({ ...settings, visma: { ...settings.visma, tenantId: 'wrong-tenant' } }));
    const env = {
      VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
      AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
    };
    const sync = await runCli(['sync', '--config', config, '--data-dir', dir], env);
    expect(sync.code, sync.stderr).toBe(2);
    expect(sync.stderr).toMatch(/^Configuration error: .*tenant id is wrong/m);
    expectClear(sync.stderr.trim());
    const ping = await runCli(['ping', '--config', config, '--data-dir', dir], env);
    expect(ping.code, ping.stdout).toBe(2);
    expect(ping.stdout).toMatch(/Visma\.net: FAILED — .*tenant id is wrong/);
    expect(ping.stdout).toMatch(
      /AvaTax: {4}FAILED — AvaTax answered but did not accept the account id and license key/,
    );
    expectClear(ping.stdout.trim());
  }, 60_000);
});
