import { safeStorage } from 'electron';
import type { SecretCipher } from '../app/secrets-vault.js';

/**
 * safeStorage's asynchronous API (Electron 42+; the synchronous one is deprecated in Electron 45's typings): OS
 * keychain, DPAPI, or libsecret/kwallet on Linux. `shouldReEncrypt` says the key was rotated, and the vault
 * writes the secret again under the new one.
 */
export class SafeStorageCipher implements SecretCipher {
  private constructor(private readonly available: boolean) {}

  /** After app `ready`: availability is only known then. */
  static async create(): Promise<SafeStorageCipher> {
    return new SafeStorageCipher(await safeStorage.isAsyncEncryptionAvailable());
  }

  backend(): string {
    if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend();
    return process.platform === 'darwin' ? 'keychain' : 'dpapi';
  }

  isAvailable(): boolean {
    return this.available;
  }

  encrypt(plain: string): Promise<Buffer> {
    return safeStorage.encryptStringAsync(plain);
  }

  async decrypt(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(cipher);
    return { result, shouldReEncrypt };
  }
}
