import { describe, expect, it, vi } from 'vitest';

/**
 * The vault's cipher on Electron 45: safeStorage's asynchronous API, whose `shouldReEncrypt` (key rotated) reaches
 * the vault so it writes the secret again. Electron's binary is never present in tests, so `electron` is replaced
 * by a safeStorage that behaves as Electron 45 documents it (electron.d.ts: isAsyncEncryptionAvailable,
 * encryptStringAsync, decryptStringAsync resolving `{ result, shouldReEncrypt }`) and has no synchronous twin.
 */
const rotated = new Set<string>();
vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (plain: string) => Buffer.from(`enc:${plain}`),
    decryptStringAsync: async (cipher: Buffer) => {
      const result = cipher.toString().replace(/^enc:/, '');
      return { result, shouldReEncrypt: rotated.has(result) };
    },
    getSelectedStorageBackend: () => 'gnome_libsecret',
  },
}));

describe('SafeStorageCipher', async () => {
  const { SafeStorageCipher } = await import('../../electron/desktop/safe-storage.js');

  it('is available when the asynchronous encryptor is, and round-trips a secret', async () => {
    const cipher = await SafeStorageCipher.create();
    expect(cipher.isAvailable()).toBe(true);
    const sealed = await cipher.encrypt('s3cret');
    expect(sealed.toString()).not.toBe('s3cret');
    expect(await cipher.decrypt(sealed)).toEqual({ result: 's3cret', shouldReEncrypt: false });
  });

  it('passes on a rotated key, so the vault re-encrypts the secret', async () => {
    const cipher = await SafeStorageCipher.create();
    rotated.add('old-key-secret');
    expect(await cipher.decrypt(Buffer.from('enc:old-key-secret'))).toEqual({
      result: 'old-key-secret',
      shouldReEncrypt: true,
    });
  });
});
