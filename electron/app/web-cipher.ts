import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from './secrets-vault.js';

/**
 * Browser mode's stand-in for safeStorage: AES-256-GCM with a key that lives only in this process's memory.
 * Secrets saved in browser mode therefore do not survive a restart, which the UI says; the desktop app uses
 * the OS keyring through safeStorage.
 */
export class EphemeralCipher implements SecretCipher {
  private readonly key = randomBytes(32);

  backend(): string {
    return 'browser-mode (memory only)';
  }

  isAvailable(): boolean {
    return true;
  }

  async encrypt(plain: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(12, 28));
    const result = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: false };
  }
}
