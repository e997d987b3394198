import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What settings and secrets are kept in: electron-store in the desktop app, a JSON file elsewhere. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Kept in memory only, gone when the process ends (browser mode's secrets: never on disk, never shared). */
export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }
}

/** A small JSON file written atomically (temp + rename), with a file mode (0600 for secrets). */
export class JsonFileStore implements KeyValueStore {
  private data: Record<string, unknown> = {};

  constructor(
    private readonly file: string,
    private readonly mode = 0o600,
  ) {
    if (existsSync(file)) {
      try {
        this.data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch {
        renameSync(file, `${file}.corrupt-${Date.now()}`);
      }
    }
  }

  get<T>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.data[key] = value;
    this.save();
  }

  delete(key: string): void {
    delete this.data[key];
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2), { mode: this.mode });
    chmodSync(tmp, this.mode);
    renameSync(tmp, this.file);
  }
}
