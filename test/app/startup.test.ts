import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppController } from '../../electron/app/controller.js';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { type SecretCipher, SecretsVault } from '../../electron/app/secrets-vault.js';
import { SettingsRepository } from '../../electron/app/settings-repo.js';
import { EphemeralCipher } from '../../electron/app/web-cipher.js';
import { formatReason } from '../../shared/reason-format.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

/**
 * Defect: settings that failed to parse, or a keyring that refused to decrypt the saved secrets, silently became
 * the demo company: an accountant could take demo figures for their own. The app says so instead.
 */
async function start(dir: string, cipher: SecretCipher = new EphemeralCipher()) {
  const app = new AppController({
    now: testClock().now,
    dataDir: dir,
    settings: new SettingsRepository(new JsonFileStore(join(dir, 'settings.json'))),
    vault: new SecretsVault(new JsonFileStore(join(dir, 'secrets.json')), cipher),
    emit: () => undefined,
  });
  await app.start();
  return app;
}

const live = {
  visma: {
    tenantId: 't',
    clientId: 'c',
    tokenUrl: 'https://connect.visma.com/connect/token',
    apiUrl: 'https://api.finance.visma.net',
  },
  avalara: { environment: 'production', accountId: '2001234567', companyCode: 'NORDVAST' },
  company: { shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' } },
};

describe('starting the desktop app', () => {
  let app: AppController | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('with no settings saved: the demo company, no problem to report', async () => {
    app = await start(tempDir());
    expect(app.status()).toMatchObject({ mode: 'demo' });
    expect(app.status().problem).toBeUndefined();
  });

  it('settings saved but unreadable: says which field, never passes demo figures off as the company', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...live, sync: { concurrency: 'lots' } }));
    app = await start(dir);
    expect(app.status().problem?.code).toBe('company-settings-unreadable');
    expect(formatReason(app.status().problem!, 'en')).toMatch(/saved settings could not be read: .*concurrency/i);
    expect(formatReason(app.status().problem!, 'sv')).toMatch(/^De sparade inställningarna kunde inte läsas: /);
  });

  it('a keyring that will not decrypt the saved secrets: says so, and how to fix it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(live));
    const locked: SecretCipher = {
      backend: () => 'gnome_libsecret',
      isAvailable: () => true,
      encrypt: async (s) => Buffer.from(s),
      decrypt: async () => {
        throw new Error('The keyring is locked');
      },
    };
    writeFileSync(
      join(dir, 'secrets.json'),
      JSON.stringify({
        vismaClientSecret: { v: 1, alg: 'safeStorage', ct: 'eA==', updatedAt: '2026-11-01T00:00:00Z' },
        avalaraLicenseKey: { v: 1, alg: 'safeStorage', ct: 'eA==', updatedAt: '2026-11-01T00:00:00Z' },
      }),
    );
    app = await start(dir, locked);
    expect(app.status().problem?.code).toBe('company-keyring-refused');
    expect(formatReason(app.status().problem!, 'en')).toMatch(/keyring.*locked/i);
  });
});

describe('one version, from package.json', () => {
  it('the app reports package.json’s version, and no source file carries a copy of it', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const dir = tempDir();
    const app = await start(dir);
    expect(app.status().version).toBe(pkg.version);
    await app.close();
    const { execSync } = await import('node:child_process');
    const copies = execSync(
      `grep -rlE "APP_VERSION *= *'|version: *'${pkg.version.replace(/\./g, '\\.')}'" electron shared renderer/src || true`,
    )
      .toString()
      .trim();
    expect(copies).toBe('');
  });
});
