/**
 * One writer per document: work on a key waits for the work before it on the same key to end, so a document's
 * processing and a follow-up on it (an invoice resolved by its credit note) never interleave, while different
 * documents still run side by side.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work running or waiting (for tests and the status). */
  get busy(): number {
    return this.tails.size;
  }
}

const locks = new WeakMap<object, KeyedLock>();

/** The lock of one store: every job of a workspace writes its documents through it. */
export function documentLock(store: object): KeyedLock {
  let lock = locks.get(store);
  if (!lock) {
    lock = new KeyedLock();
    locks.set(store, lock);
  }
  return lock;
}
