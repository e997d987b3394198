import type { DocumentState, LedgerDocument, LineResult, ShipTo } from '../../shared/domain.js';
import { minorToDecimalString, toMinor } from '../../shared/money.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import type { CreateTransactionModel, TransactionModel } from '../connectors/avatax/types.js';
import { RetryableHttpError } from '../connectors/http.js';
import { VismaError } from '../connectors/visma/errors.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import { audit, type RunContext } from './context.js';
import { ConfigurationError, describeFailure, type Failure } from './errors.js';
import {
  avataxCodeOf,
  buildTransaction,
  documentKey,
  fingerprint,
  sameTaxInputs,
  shipToOf,
  transactionType,
  vatNumberOf,
} from './tax-inputs.js';
import { alreadyWrittenBack, mapTransaction, writeBackFor } from './vat-mapping.js';

const RELEASED = new Set(['Open', 'Closed']);
const FINAL: DocumentState[] = ['posted', 'already-posted'];
const MAX_412_RETRIES = 2;

/**
 * Decides and carries out what happens to one Visma document. Every outcome lands in the ledger with the
 * audit entries that explain it; nothing is sent to AvaTax for a flagged address; an auth failure stops the run.
 */
export class DocumentProcessor {
  constructor(private readonly ctx: RunContext) {}

  async process(doc: VismaDocument, options: { force?: boolean } = {}): Promise<DocumentState> {
    const { ctx } = this;
    const key = documentKey(doc);
    const previous = await ctx.store.ledger.get(key);
    try {
      const { customer } = await ctx.customers.get(doc.customerNumber);
      const ship = shipToOf(customer);
      const vat = vatNumberOf(customer);
      const fp = fingerprint(doc, ship?.address, vat);
      const base = this.ledgerBase(doc, previous, fp, ship?.address, customer.name ?? doc.customerName);

      if (!options.force && previous && previous.fingerprint === fp) {
        const decided = await this.unchanged(doc, previous, base);
        if (decided) return decided;
      }
      if (!options.force && previous && previous.fingerprint !== fp && FINAL.includes(previous.state)) {
        return this.settle(
          base,
          'needs-attention',
          [
            'Changed in Visma after it was committed in AvaTax: correct it with a credit note in Visma, or reprocess it to adjust the AvaTax document',
          ],
          'needs-attention',
        );
      }
      await audit(ctx, {
        action: 'fetched',
        documentKey: key,
        referenceNumber: doc.referenceNumber,
        detail: `${label(doc)} ${doc.referenceNumber} (${doc.status}) read from Visma`,
        data: { status: doc.status, timeStamp: doc.timeStamp },
      });

      if (!ship) return this.flag(base, ['The customer has no delivery or main address'], undefined);
      const verdict = await ctx.addresses.check(ship.address, vat);
      await audit(ctx, {
        action: 'address-checked',
        documentKey: key,
        referenceNumber: doc.referenceNumber,
        detail: verdict.valid
          ? `Ship-to address valid (${verdict.checkedBy})`
          : `Ship-to address invalid (${verdict.checkedBy}): ${verdict.reasons.join('; ')}`,
      });
      if (!verdict.valid) return this.flag(base, verdict.reasons, verdict.suggestion);

      const commitNow = ctx.settings.sync.commit === 'immediately';
      const built = buildTransaction(doc, ship.address, vat, ctx.settings, commitNow);
      if (!built.model) return this.settle(base, 'needs-attention', built.problems, 'needs-attention');

      const tx = await this.calculate(built.model, base, options.force === true);
      if (!tx) return (await ctx.store.ledger.get(key))!.state;
      const mapped = mapTransaction(tx, ctx.settings.vatMapping, ship.address.country);
      const withTax: LedgerDocument = {
        ...base,
        lines: mapped.lines,
        totalTax: mapped.totalTax,
        avataxId: tx.id,
        avataxStatus: tx.status,
      };
      if (mapped.problems.length > 0)
        return this.settle(withTax, 'needs-attention', mapped.problems, 'needs-attention');
      return await this.writeBackAndCommit(doc, withTax, mapped.lines, tx);
    } catch (error) {
      return this.fail(doc, previous, error);
    }
  }

  /** Same tax inputs as last time: our own write-back, a status change, or nothing at all. */
  private async unchanged(
    doc: VismaDocument,
    previous: LedgerDocument,
    base: LedgerDocument,
  ): Promise<DocumentState | undefined> {
    const { ctx } = this;
    if (previous.state === 'calculated' && RELEASED.has(doc.status) && ctx.settings.sync.commit === 'on-release') {
      return this.commit(doc, { ...base, lines: previous.lines, totalTax: previous.totalTax });
    }
    if (['posted', 'already-posted', 'calculated', 'flagged', 'needs-attention'].includes(previous.state)) {
      const why =
        previous.state === 'calculated'
          ? 'awaiting release in Visma before commit'
          : previous.state === 'flagged' || previous.state === 'needs-attention'
            ? `still ${previous.state}: waiting for the user`
            : 'only our own write-back changed it';
      ctx.counts.skipped++;
      await ctx.store.ledger.put({
        ...previous,
        vismaStatus: doc.status,
        vismaTimeStamp: doc.timeStamp,
        vismaLastModified: doc.lastModifiedDateTime,
      });
      await audit(ctx, {
        action: 'skipped',
        documentKey: previous.key,
        referenceNumber: doc.referenceNumber,
        detail: `Tax inputs unchanged: ${why}`,
      });
      return previous.state;
    }
    return undefined;
  }

  /**
   * Create in AvaTax; a lost answer goes through get + createoradjust; a committed code through the comparison.
   * `userAsked`: a reprocess the user requested may adjust a committed document whose inputs changed.
   */
  private async calculate(
    model: CreateTransactionModel,
    base: LedgerDocument,
    userAsked: boolean,
  ): Promise<TransactionModel | undefined> {
    const { ctx } = this;
    let tx: TransactionModel;
    try {
      tx = await ctx.avatax.createTransaction(model, ctx.signal);
    } catch (error) {
      if (error instanceof AvaTaxError && error.kind === 'already-posted')
        return this.alreadyPosted(model, base, userAsked);
      if (!(error instanceof RetryableHttpError)) throw error;
      await audit(ctx, {
        action: 'retried',
        documentKey: base.key,
        referenceNumber: base.referenceNumber,
        detail: `Create did not answer (${error.message}); checking AvaTax and retrying through createoradjust`,
        data: { correlationId: error.correlationId ?? null },
      });
      const existing = await this.findTransaction(model);
      if (existing && existing.status === 'Committed') return this.alreadyPosted(model, base, userAsked, existing);
      tx = await ctx.avatax.createOrAdjustTransaction(model, ctx.signal);
    }
    ctx.counts.calculated++;
    await audit(ctx, {
      action: 'calculated',
      documentKey: base.key,
      referenceNumber: base.referenceNumber,
      detail: `AvaTax ${model.type} ${model.code}: tax ${minorToDecimalString(toMinor(tx.totalTax ?? 0))} ${model.currencyCode} (${tx.status})`,
      data: {
        avataxCode: model.code,
        avataxId: tx.id,
        totalAmount: tx.totalAmount ?? 0,
        totalTax: tx.totalTax ?? 0,
        status: tx.status,
      },
    });
    return tx;
  }

  private async findTransaction(model: CreateTransactionModel): Promise<TransactionModel | undefined> {
    try {
      return await this.ctx.avatax.getTransaction(model.code, model.type, this.ctx.signal);
    } catch (error) {
      if (error instanceof AvaTaxError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  /**
   * AvaTax already holds this code committed: same inputs → already posted (finish the write-back). Other
   * inputs → needs attention, unless the user asked to reprocess it: then the committed document is adjusted
   * (createoradjust: a new version of the same code, never a second document) and goes on to the write-back.
   */
  private async alreadyPosted(
    model: CreateTransactionModel,
    base: LedgerDocument,
    userAsked: boolean,
    known?: TransactionModel,
  ): Promise<TransactionModel | undefined> {
    const { ctx } = this;
    const tx = known ?? (await this.findTransaction(model));
    if (!tx)
      throw new AvaTaxError('data', 400, 'DocumentCodeConflict', `AvaTax refused ${model.code} but does not show it`);
    if (!sameTaxInputs(model, tx) && userAsked && !tx.locked) {
      const adjusted = await ctx.avatax.createOrAdjustTransaction({ ...model, commit: true }, ctx.signal);
      ctx.counts.calculated++;
      await audit(ctx, {
        action: 'calculated',
        documentKey: base.key,
        referenceNumber: base.referenceNumber,
        detail: `Adjusted the committed AvaTax document ${model.code} to the changed document (version ${adjusted.version ?? '?'}): tax ${minorToDecimalString(toMinor(adjusted.totalTax ?? 0))} ${model.currencyCode}`,
        data: {
          avataxCode: model.code,
          avataxId: adjusted.id,
          totalTax: adjusted.totalTax ?? 0,
          status: adjusted.status,
        },
      });
      return adjusted;
    }
    if (!sameTaxInputs(model, tx)) {
      await this.settle(
        { ...base, avataxId: tx.id, avataxStatus: tx.status },
        'needs-attention',
        [
          `Changed after it was committed in AvaTax (${model.code} is ${tx.status} with other amounts): correct it with a credit note in Visma, or reprocess it to adjust the AvaTax document`,
        ],
        'needs-attention',
      );
      return undefined;
    }
    const mapped = mapTransaction(tx, ctx.settings.vatMapping, model.addresses.shipTo.country ?? '');
    const doc: LedgerDocument = {
      ...base,
      lines: mapped.lines,
      totalTax: mapped.totalTax,
      avataxId: tx.id,
      avataxStatus: tx.status,
    };
    if (mapped.problems.length > 0) {
      await this.settle(doc, 'needs-attention', mapped.problems, 'needs-attention');
      return undefined;
    }
    const { document, etag } = await ctx.visma.getDocument(
      base.documentType === 'invoice' ? 'invoice' : 'credit-note',
      base.referenceNumber,
      ctx.signal,
    );
    const change = writeBackFor(mapped.lines, this.note(model.code));
    let writtenBack = alreadyWrittenBack(document, change);
    if (!writtenBack) {
      const newEtag = await ctx.visma.writeBack(document.kind, document.referenceNumber, etag, change, ctx.signal);
      writtenBack = true;
      ctx.counts.writtenBack++;
      await audit(ctx, {
        action: 'written-back',
        documentKey: base.key,
        referenceNumber: base.referenceNumber,
        detail: `AvaTax's committed result written to Visma (it was missing)`,
        data: { etag: newEtag ?? null },
      });
    }
    ctx.counts.alreadyPosted++;
    await this.settle(
      { ...doc, writtenBack },
      'already-posted',
      [],
      'already-posted',
      `${model.code} was already committed in AvaTax with the same tax inputs`,
    );
    return undefined;
  }

  private async writeBackAndCommit(
    doc: VismaDocument,
    ledgerDoc: LedgerDocument,
    lines: LineResult[],
    tx: TransactionModel,
  ): Promise<DocumentState> {
    const { ctx } = this;
    let current = doc;
    let etag = doc.timeStamp;
    for (let attempt = 0; ; attempt++) {
      const change = writeBackFor(lines, this.note(ledgerDoc.avataxCode));
      if (alreadyWrittenBack(current, change)) break;
      try {
        const newEtag = await ctx.visma.writeBack(current.kind, current.referenceNumber, etag, change, ctx.signal);
        ctx.counts.writtenBack++;
        await audit(ctx, {
          action: 'written-back',
          documentKey: ledgerDoc.key,
          referenceNumber: doc.referenceNumber,
          detail: `VAT written to Visma: ${change.taxDetails.map((t) => `${t.taxId} ${money(t.vatAmount)} on ${money(t.taxableAmount)} ${doc.currency}`).join(', ')}`,
          data: { vatCodes: [...new Set(change.lines.map((l) => l.vatCodeId))].join(' '), etag: newEtag ?? null },
        });
        break;
      } catch (error) {
        if (!(error instanceof VismaError)) throw error;
        if (error.kind === 'precondition-failed' && attempt < MAX_412_RETRIES) {
          // Someone changed it since we read it: re-read, and re-calculate if the tax inputs changed.
          const fresh = await ctx.visma.getDocument(doc.kind, doc.referenceNumber, ctx.signal);
          await audit(ctx, {
            action: 'retried',
            documentKey: ledgerDoc.key,
            referenceNumber: doc.referenceNumber,
            detail: 'Visma answered 412 (changed by someone else); read it again',
          });
          const { customer } = await ctx.customers.get(fresh.document.customerNumber);
          if (
            fingerprint(fresh.document, shipToOf(customer)?.address, vatNumberOf(customer)) !== ledgerDoc.fingerprint
          ) {
            return this.process(fresh.document, { force: true });
          }
          current = fresh.document;
          etag = fresh.etag;
          continue;
        }
        if (error.kind === 'validation' || error.kind === 'precondition-failed' || error.kind === 'not-found') {
          return this.settle(
            {
              ...ledgerDoc,
              lastError: { code: `Visma:${error.kind}`, message: error.message, correlationId: error.correlationId },
            },
            'needs-attention',
            [`Visma refused the write-back: ${error.message}`],
            'needs-attention',
          );
        }
        throw error;
      }
    }
    const written = { ...ledgerDoc, writtenBack: true, vismaStatus: current.status };
    if (ctx.settings.sync.commit === 'immediately' || tx.status === 'Committed') {
      ctx.counts.posted++;
      return this.settle(
        { ...written, avataxStatus: 'Committed' },
        'posted',
        [],
        'committed',
        `Committed in AvaTax on create (${ledgerDoc.avataxCode})`,
      );
    }
    if (RELEASED.has(current.status)) return this.commit(current, written);
    return this.settle(
      written,
      'calculated',
      [],
      'awaiting-release',
      `Tax in AvaTax (Saved) and in Visma; commits when ${doc.referenceNumber} is released`,
    );
  }

  private async commit(doc: VismaDocument, ledgerDoc: LedgerDocument): Promise<DocumentState> {
    const tx = await this.ctx.avatax.commitTransaction(ledgerDoc.avataxCode, transactionType(doc), this.ctx.signal);
    this.ctx.counts.posted++;
    return this.settle(
      { ...ledgerDoc, avataxStatus: tx.status, avataxId: tx.id },
      'posted',
      [],
      'committed',
      `Committed in AvaTax: ${doc.referenceNumber} is released in Visma (${doc.status})`,
    );
  }

  private flag(base: LedgerDocument, reasons: string[], suggestion?: ShipTo): Promise<DocumentState> {
    this.ctx.counts.flagged++;
    return this.settle(
      { ...base, suggestedAddress: suggestion },
      'flagged',
      reasons,
      'flagged',
      `Address flagged, nothing sent to AvaTax: ${reasons.join('; ')}`,
    );
  }

  private async fail(doc: VismaDocument, previous: LedgerDocument | undefined, error: unknown): Promise<DocumentState> {
    const failure: Failure = describeFailure(error);
    if (failure.kind === 'auth') throw new ConfigurationError(failure.message);
    if (failure.kind === 'cancelled') throw error;
    const base = previous ?? this.ledgerBase(doc, undefined, '', undefined, doc.customerName);
    const state: DocumentState = failure.kind === 'retryable' ? 'pending-retry' : 'needs-attention';
    if (state === 'pending-retry') this.ctx.counts.pendingRetry++;
    else this.ctx.counts.needsAttention++;
    const record: LedgerDocument = {
      ...base,
      // Keep the old fingerprint on a retryable failure so the next run does not mistake it for "unchanged".
      fingerprint: state === 'pending-retry' ? '' : base.fingerprint,
      state,
      reasons: [failure.message],
      attempts: (previous?.attempts ?? 0) + 1,
      lastError: { code: failure.code, message: failure.message, correlationId: failure.correlationId },
      lastProcessedAt: this.ctx.now().toISOString(),
    };
    await this.ctx.store.ledger.put(record);
    await audit(this.ctx, {
      action: 'failed',
      documentKey: record.key,
      referenceNumber: doc.referenceNumber,
      detail: `${state === 'pending-retry' ? 'Will retry next run' : 'Needs attention'}: ${failure.message}`,
      data: { code: failure.code, correlationId: failure.correlationId ?? null },
    });
    return state;
  }

  private async settle(
    doc: LedgerDocument,
    state: DocumentState,
    reasons: string[],
    action: 'flagged' | 'needs-attention' | 'awaiting-release' | 'committed' | 'already-posted',
    detail?: string,
  ): Promise<DocumentState> {
    if (state === 'needs-attention') this.ctx.counts.needsAttention++;
    const record: LedgerDocument = {
      ...doc,
      state,
      reasons,
      attempts: doc.attempts + 1,
      lastError: state === 'needs-attention' || state === 'flagged' ? doc.lastError : undefined,
      lastProcessedAt: this.ctx.now().toISOString(),
    };
    await this.ctx.store.ledger.put(record);
    await audit(this.ctx, {
      action,
      documentKey: doc.key,
      referenceNumber: doc.referenceNumber,
      detail: detail ?? reasons.join('; '),
      data: {
        state,
        avataxCode: doc.avataxCode,
        totalTax: minorToDecimalString(doc.totalTax),
        amount: minorToDecimalString(doc.amount),
        currency: doc.currency,
        rates: [...new Set(doc.lines.map((l) => l.rate))].join(' '),
        vatCodes: [...new Set(doc.lines.map((l) => l.vatCategoryId).filter(Boolean))].join(' '),
      },
    });
    return state;
  }

  private ledgerBase(
    doc: VismaDocument,
    previous: LedgerDocument | undefined,
    fp: string,
    shipTo: ShipTo | undefined,
    customerName: string,
  ): LedgerDocument {
    const now = this.ctx.now().toISOString();
    return {
      key: documentKey(doc),
      documentType: doc.kind,
      referenceNumber: doc.referenceNumber,
      customerNumber: doc.customerNumber,
      customerName,
      documentDate: doc.documentDate.slice(0, 10),
      currency: doc.currency,
      // Signed like AvaTax: a credit note's amount is negative, so a month's rows add up to net sales.
      amount: (doc.kind === 'credit-note' ? -1 : 1) * toMinor(doc.amount),
      totalTax: previous?.totalTax ?? 0,
      state: previous?.state ?? 'pending',
      reasons: [],
      fingerprint: fp,
      vismaStatus: doc.status,
      vismaTimeStamp: doc.timeStamp,
      vismaLastModified: doc.lastModifiedDateTime,
      avataxCode: avataxCodeOf(doc),
      avataxId: previous?.avataxId,
      avataxStatus: previous?.avataxStatus,
      country: shipTo?.country ?? previous?.country ?? '',
      shipTo,
      suggestedAddress: undefined,
      lines: previous?.lines ?? [],
      writtenBack: previous?.writtenBack ?? false,
      attempts: previous?.attempts ?? 0,
      firstProcessedAt: previous?.firstProcessedAt ?? now,
      lastProcessedAt: now,
    };
  }

  /** Stable text (no status) so that a later commit does not need another write to Visma. */
  private note(code: string): string {
    return `Tax calculated by AvaTax, document ${code}`;
  }
}

function money(decimal: number): string {
  return minorToDecimalString(toMinor(decimal));
}

function label(doc: VismaDocument): string {
  return doc.kind === 'invoice' ? 'Invoice' : 'Credit note';
}
