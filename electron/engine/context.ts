import type { Actor, RunCounts } from '../../shared/domain.js';
import type { Settings } from '../../shared/settings.js';
import type { AvaTaxClient } from '../connectors/avatax/client.js';
import type { VismaClient } from '../connectors/visma/client.js';
import type { VismaCustomer } from '../connectors/visma/types.js';
import type { AuditInput } from '../store/audit.js';
import type { Store } from '../store/index.js';
import type { AddressChecker } from './address-check.js';

/** Everything one run needs, injected: clients, store, clock, who started it. */
export interface RunContext {
  runId: string;
  actor: Actor;
  settings: Settings;
  visma: VismaClient;
  avatax: AvaTaxClient;
  store: Store;
  now: () => Date;
  signal?: AbortSignal;
  counts: RunCounts;
  customers: CustomerCache;
  addresses: AddressChecker;
}

export async function audit(ctx: RunContext, input: Omit<AuditInput, 'runId' | 'actor'>): Promise<void> {
  ctx.store.audit.append({ runId: ctx.runId, actor: ctx.actor, ...input });
}

/** Customers read once per run (single-flight), dropped when the user fixes an address. */
export class CustomerCache {
  private readonly map = new Map<string, Promise<{ customer: VismaCustomer; etag: string }>>();

  constructor(
    private readonly visma: VismaClient,
    private readonly signal?: AbortSignal,
  ) {}

  get(number: string): Promise<{ customer: VismaCustomer; etag: string }> {
    let entry = this.map.get(number);
    if (!entry) {
      entry = this.visma.getCustomer(number, this.signal);
      this.map.set(number, entry);
      entry.catch(() => this.map.delete(number));
    }
    return entry;
  }

  forget(number: string): void {
    this.map.delete(number);
  }
}
