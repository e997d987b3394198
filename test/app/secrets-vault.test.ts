import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileStore } from '../../electron/app/kv-store.js';
import { type SecretCipher, SecretsUnavailableError, SecretsVault } from '../../electron/app/secrets-vault.js';
import { tempDir } from '../helpers/engine.js';

/** A reversible fake that is obviously not plaintext, and can ask for re-encryption. */
class FakeCipher implements SecretCipher {
  encrypted = 0;
  reEncrypt = false;
  constructor(
    private readonly name = 'gnome_libsecret',
    private readonly available = true,
  ) {}
  backend() {
    return this.name;
  }
  isAvailable() {
    return this.available;
  }
  async encrypt(plain: string) {
    this.encrypted++;
    return Buffer.from(`enc:${[...plain].reverse().join('')}`, 'utf8');
  }
  async decrypt(cipher: Buffer) {
    const text = cipher.toString('utf8');
    if (!text.startsWith('enc:')) throw new Error('not ours');
    return { result: [...text.slice(4)].reverse().join(''), shouldReEncrypt: this.reEncrypt };
  }
}

describe('the secrets vault', () => {
  it('stores tagged ciphertext in a 0600 file and decrypts right before use', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.json');
    const vault = new SecretsVault(new JsonFileStore(file), new FakeCipher(), () => new Date('2026-11-25T10:00:00Z'));
    await vault.set('vismaClientSecret', 'visma-SECRET-1');
    await vault.set('avalaraLicenseKey', 'LICENSE-2');
    const raw = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(raw).not.toContain('visma-SECRET-1');
    expect(raw).not.toContain('LICENSE-2');
    expect(JSON.parse(raw).vismaClientSecret).toMatchObject({
      v: 1,
      alg: 'safeStorage',
      updatedAt: '2026-11-25T10:00:00.000Z',
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = new SecretsVault(new JsonFileStore(file), new FakeCipher());
    expect(await reopened.all()).toEqual({ vismaClientSecret: 'visma-SECRET-1', avalaraLicenseKey: 'LICENSE-2' });
  });

  it('tells the renderer only set / not set', async () => {
    const vault = new SecretsVault(new JsonFileStore(join(tempDir(), 's.json')), new FakeCipher());
    await vault.set('avalaraLicenseKey', 'LICENSE-2');
    const state = vault.state();
    expect(state.vismaClientSecret).toEqual({ set: false });
    expect(state.avalaraLicenseKey.set).toBe(true);
    expect(JSON.stringify(state)).not.toContain('LICENSE');
  });

  it('refuses basic_text (Linux without a keyring) and explains the fix', async () => {
    const vault = new SecretsVault(new JsonFileStore(join(tempDir(), 's.json')), new FakeCipher('basic_text'));
    expect(vault.status()).toMatchObject({ available: false, backend: 'basic_text' });
    expect(vault.status().reason).toMatch(/gnome-keyring or KWallet/);
    await expect(vault.set('vismaClientSecret', 'x')).rejects.toBeInstanceOf(SecretsUnavailableError);
    expect(vault.state().vismaClientSecret.set).toBe(false);
  });

  it('refuses when the OS will not encrypt', async () => {
    const vault = new SecretsVault(new JsonFileStore(join(tempDir(), 's.json')), new FakeCipher('keychain', false));
    await expect(vault.set('vismaClientSecret', 'x')).rejects.toThrow(/Unlock your keychain/);
  });

  it('re-encrypts when safeStorage says so', async () => {
    const cipher = new FakeCipher();
    const vault = new SecretsVault(new JsonFileStore(join(tempDir(), 's.json')), cipher);
    await vault.set('vismaClientSecret', 'abc-123');
    cipher.reEncrypt = true;
    expect(await vault.get('vismaClientSecret')).toBe('abc-123');
    expect(cipher.encrypted).toBe(2);
  });
});
