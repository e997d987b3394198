import type { Actor, DocumentState, LedgerDocument, RunProgress, RunSummary, ShipTo } from '../../shared/domain.js';
import type { Settings } from '../../shared/settings.js';
import type { Connectors } from '../connectors/index.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { VismaDocumentKind } from '../connectors/visma/types.js';
import type { Store } from '../store/index.js';
import { audit } from './context.js';
import { DocumentProcessor } from './document-processor.js';
import { ConfigurationError, describeFailure } from './errors.js';
import { createContext, newRunId, runSync } from './sync-run.js';
import { shipToOf } from './tax-inputs.js';

export interface EngineDeps {
  /** Read at the start of every run: settings may change between runs. */
  settings: () => Settings;
  /** Clients for one run; the run id labels their HTTP exchange log. */
  connectors: (runId: string) => Pick<Connectors, 'visma' | 'avatax'>;
  store: Store;
  now?: () => Date;
}

export interface ReprocessResult {
  referenceNumber: string;
  documentType?: VismaDocumentKind;
  state?: DocumentState;
  error?: string;
}

/**
 * The engine behind Sync now, the scheduler and the CLI: one run at a time (a second trigger joins the running
 * one), cancellable; reprocess and fix-address act on single documents and customers.
 */
export class SyncEngine {
  private running?: { promise: Promise<RunSummary>; controller: AbortController };
  private readonly listeners = new Set<(p: RunProgress) => void>();
  private lastProgress?: RunProgress;
  private readonly now: () => Date;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get progress(): RunProgress | undefined {
    return this.running ? this.lastProgress : undefined;
  }

  onProgress(listener: (p: RunProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(actor: Actor): Promise<RunSummary> {
    if (this.running) return this.running.promise;
    const controller = new AbortController();
    const runId = newRunId(this.now());
    const promise = runSync(this.runDeps(runId), {
      runId,
      actor,
      signal: controller.signal,
      onProgress: (p) => {
        this.lastProgress = p;
        for (const l of this.listeners) l(p);
      },
    }).finally(() => {
      this.running = undefined;
    });
    this.running = { promise, controller };
    return promise;
  }

  private runDeps(runId: string) {
    return {
      settings: this.deps.settings(),
      connectors: this.deps.connectors(runId),
      store: this.deps.store,
      now: this.now,
    };
  }

  /** Resolves once no run is in flight (whatever its outcome). */
  async idle(): Promise<void> {
    await this.running?.promise.catch(() => undefined);
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /** Re-reads document and customer from Visma and processes it whatever the ledger says. */
  async reprocess(referenceNumbers: string[], actor: Actor): Promise<ReprocessResult[]> {
    await this.idle();
    const runId = newRunId(this.now());
    const ctx = createContext(this.runDeps(runId), runId, actor);
    const processor = new DocumentProcessor(ctx);
    const results: ReprocessResult[] = [];
    try {
      for (const ref of referenceNumbers) {
        const known = await this.deps.store.ledger.findByReference(ref);
        const kinds: VismaDocumentKind[] =
          known.length > 0 ? known.map((d) => d.documentType as VismaDocumentKind) : ['invoice', 'credit-note'];
        let found = false;
        for (const kind of kinds) {
          try {
            const { document } = await ctx.visma.getDocument(kind, ref);
            found = true;
            ctx.customers.forget(document.customerNumber);
            await audit(ctx, {
              action: 'reprocessed',
              documentKey: `${kind}:${ref}`,
              referenceNumber: ref,
              detail: `Reprocess requested by ${actor}`,
            });
            results.push({
              referenceNumber: ref,
              documentType: kind,
              state: await processor.process(document, { force: true }),
            });
            break;
          } catch (error) {
            if (error instanceof VismaError && error.kind === 'not-found') continue;
            const failure = describeFailure(error);
            if (failure.kind === 'auth') throw new ConfigurationError(failure.message);
            results.push({ referenceNumber: ref, documentType: kind, error: failure.message });
            found = true;
            break;
          }
        }
        if (!found) results.push({ referenceNumber: ref, error: `No invoice or credit note ${ref} in Visma` });
      }
    } finally {
      await this.deps.store.checkpoint();
    }
    return results;
  }

  /**
   * Saves a corrected ship-to address on the customer in Visma (PUT with If-Match, `county` always sent), then
   * reprocesses every flagged document of that customer.
   */
  async fixAddress(customerNumber: string, address: ShipTo, actor: Actor): Promise<ReprocessResult[]> {
    await this.idle();
    const runId = newRunId(this.now());
    const ctx = createContext(this.runDeps(runId), runId, actor);
    const { visma } = ctx;
    const { customer, etag } = await visma.getCustomer(customerNumber);
    const which = shipToOf(customer)?.which ?? 'mainAddress';
    const before = shipToOf(customer)?.address;
    await visma.updateCustomerAddress(
      customerNumber,
      which,
      {
        addressLine1: address.line1,
        addressLine2: address.line2,
        postalCode: address.postalCode,
        city: address.city,
        countryId: address.country.toUpperCase(),
        county: address.region ?? null,
      },
      etag,
    );
    await audit(ctx, {
      action: 'address-fixed',
      detail: `Customer ${customerNumber} ${which === 'deliveryAddress' ? 'delivery' : 'main'} address changed in Visma by ${actor}: "${formatAddress(before)}" → "${formatAddress(address)}"`,
      data: { customer: customerNumber },
    });
    await this.deps.store.checkpoint();
    const waiting = (await this.deps.store.ledger.byState('flagged')).filter(
      (d: LedgerDocument) => d.customerNumber === customerNumber,
    );
    return this.reprocess(
      waiting.map((d) => d.referenceNumber),
      actor,
    );
  }
}

function formatAddress(a: ShipTo | undefined): string {
  if (!a) return '(none)';
  return [a.line1, a.line2, `${a.postalCode} ${a.city}`.trim(), a.region, a.country].filter(Boolean).join(', ');
}
