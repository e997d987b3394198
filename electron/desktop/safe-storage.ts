import { safeStorage } from 'electron';
import type { SecretCipher } from '../app/secrets-vault.js';

/**
 * safeStorage: OS keychain, DPAPI, or libsecret/kwallet on Linux. Electron 40 (the last line that installs on
 * the Node the project declares, 20.19+) has the synchronous API only; the vault's cipher is asynchronous, so a
 * move to Electron 42+ (`encryptStringAsync`, key rotation through `shouldReEncrypt`) changes this file alone.
 */
export class SafeStorageCipher implements SecretCipher {
  private constructor(private readonly available: boolean) {}

  /** After app `ready`: availability is only known then. */
  static async create(): Promise<SafeStorageCipher> {
    return new SafeStorageCipher(safeStorage.isEncryptionAvailable());
  }

  backend(): string {
    if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend();
    return process.platform === 'darwin' ? 'keychain' : 'dpapi';
  }

  isAvailable(): boolean {
    return this.available;
  }

  async encrypt(plain: string): Promise<Buffer> {
    return safeStorage.encryptString(plain);
  }

  async decrypt(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    return { result: safeStorage.decryptString(cipher), shouldReEncrypt: false };
  }
}
