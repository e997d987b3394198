import type { SecretState, SecretsBackend } from '../../shared/ipc-channels.js';
import type { Secrets } from '../../shared/settings.js';
import type { KeyValueStore } from './kv-store.js';

/**
 * Encrypts secrets before they touch disk. In the app: Electron's safeStorage (async API); in tests: a fake.
 * `backend()` names the OS store (`gnome_libsecret`, `kwallet6`, `keychain`, `dpapi`, `basic_text`…).
 */
export interface SecretCipher {
  backend(): string;
  isAvailable(): boolean;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** A tagged envelope per secret (JSON cannot hold a Buffer): `{v, alg, ct, updatedAt}`. */
interface Envelope {
  v: 1;
  alg: 'safeStorage';
  ct: string;
  updatedAt: string;
}

export type SecretName = keyof Secrets;
const NAMES: SecretName[] = ['vismaClientSecret', 'avalaraLicenseKey'];

export class SecretsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsUnavailableError';
  }
}

/**
 * Secrets in a store file of their own (mode 0600) as safeStorage ciphertext. On Linux without a keyring
 * (`basic_text`, a hard-coded password) it refuses to store anything and says how to fix it. The renderer
 * only ever learns "set / not set".
 */
export class SecretsVault {
  constructor(
    private readonly store: KeyValueStore,
    private readonly cipher: SecretCipher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  status(): SecretsBackend {
    const backend = this.cipher.backend();
    if (backend === 'basic_text') {
      return {
        available: false,
        backend,
        reason:
          'No system keyring was found, so Electron would encrypt with a fixed password. Install and unlock a keyring (gnome-keyring or KWallet), then restart the app. Secrets were not saved.',
      };
    }
    if (!this.cipher.isAvailable()) {
      return {
        available: false,
        backend,
        reason: 'The operating system refused to encrypt secrets right now. Unlock your keychain and try again.',
      };
    }
    return { available: true, backend };
  }

  state(): Record<SecretName, SecretState> {
    const out = {} as Record<SecretName, SecretState>;
    for (const name of NAMES) {
      const env = this.store.get<Envelope>(name);
      out[name] = env ? { set: true, updatedAt: env.updatedAt } : { set: false };
    }
    return out;
  }

  async set(name: SecretName, value: string): Promise<void> {
    const status = this.status();
    if (!status.available) throw new SecretsUnavailableError(status.reason!);
    const ct = await this.cipher.encrypt(value);
    const envelope: Envelope = {
      v: 1,
      alg: 'safeStorage',
      ct: ct.toString('base64'),
      updatedAt: this.now().toISOString(),
    };
    this.store.set(name, envelope);
  }

  clear(name: SecretName): void {
    this.store.delete(name);
  }

  /** Decrypts for the engine, right before use; re-encrypts when the OS asks (key rotation). */
  async get(name: SecretName): Promise<string | undefined> {
    const env = this.store.get<Envelope>(name);
    if (!env) return undefined;
    if (env.v !== 1 || env.alg !== 'safeStorage')
      throw new SecretsUnavailableError(`The stored ${name} has an unknown format; enter it again`);
    const { result, shouldReEncrypt } = await this.cipher.decrypt(Buffer.from(env.ct, 'base64'));
    if (shouldReEncrypt) await this.set(name, result);
    return result;
  }

  async all(): Promise<Secrets | undefined> {
    const visma = await this.get('vismaClientSecret');
    const avalara = await this.get('avalaraLicenseKey');
    return visma && avalara ? { vismaClientSecret: visma, avalaraLicenseKey: avalara } : undefined;
  }
}
