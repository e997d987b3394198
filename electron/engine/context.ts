import type { Actor, RunCounts } from '../../shared/domain.js';
import type { Settings } from '../../shared/settings.js';
import type { AvaTaxClient } from '../connectors/avatax/client.js';
import type { VismaClient } from '../connectors/visma/client.js';
import type { VismaCustomer, VismaLocation } from '../connectors/visma/types.js';
import type { Store } from '../store/index.js';
import type { AddressChecker } from './address-check.js';
import type { Breaker } from './breaker.js';
import type { Policy } from './facts.js';
import type { VatBook } from './vat-book.js';
import type { CheckedRow } from './vat-mapping.js';

/** Everything one run (or one user action) needs, injected: clients, store, clock, who started it. */
export interface RunContext {
  runId: string;
  actor: Actor;
  /** Who, in the audit trail's words: the person's name for 'user', 'schedule', 'command line' (`authorOf`). */
  by: string;
  settings: Settings;
  policy: Policy;
  visma: VismaClient;
  avatax: AvaTaxClient;
  store: Store;
  now: () => Date;
  signal?: AbortSignal;
  counts: RunCounts;
  customers: Cache<{ customer: VismaCustomer; etag: string }>;
  locations: Cache<{ location: VismaLocation; etag: string }>;
  addresses: AddressChecker;
  /** Visma's VAT categories, zones and VAT ids, read once; undefined when Visma would not say. */
  book?: VatBook;
  mapping: CheckedRow[];
  /** Visma's clock minus ours, measured from our own writes (ms): widens the watermark's overlap. */
  serverOffsets: number[];
  breaker: Breaker;
}

/**
 * Who did it, in the audit trail's words: the person's name for a user (as `person` says; the actor word when
 * nobody says), the timer, the command line.
 */
export function authorOf(actor: Actor, person?: () => string): string {
  if (actor === 'scheduler') return 'schedule';
  if (actor === 'cli') return 'command line';
  return person?.() ?? actor;
}

export function policyOf(settings: Settings): Policy {
  return {
    commit: settings.sync.commit,
    tolerance: settings.sync.tolerance,
    releaseAfterVerify: settings.sync.releaseAfterVerify,
    appendNote: settings.sync.appendNote,
  };
}

/** Read once per run (single-flight), forgotten when the user changes the record. */
export class Cache<T> {
  private readonly map = new Map<string, Promise<T>>();

  constructor(private readonly load: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let entry = this.map.get(key);
    if (!entry) {
      entry = this.load(key);
      this.map.set(key, entry);
      entry.catch(() => this.map.delete(key));
    }
    return entry;
  }

  forget(key: string): void {
    this.map.delete(key);
  }

  /** Everything read so far is read again when next asked (another job may have changed it meanwhile). */
  forgetAll(): void {
    this.map.clear();
  }
}
