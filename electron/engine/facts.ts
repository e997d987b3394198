import type {
  Acceptance,
  AuditAction,
  DocumentState,
  LedgerDocument,
  RunCounts,
  ShipTo,
  VatLine,
} from '../../shared/domain.js';
import type { Minor } from '../../shared/money.js';
import type { Reason, StoredReason } from '../../shared/reasons.js';
import type { DocumentWriteBack } from '../connectors/visma/client.js';
import type { VismaDocument } from '../connectors/visma/types.js';
import type { AddressVerdict } from './address-check.js';
import type { ShipToResolution } from './ship-to.js';
import type { TaxInputs } from './tax-inputs.js';
import type { MappedTransaction } from './vat-mapping.js';
import type { ReadableDocument } from './visma-document.js';

/**
 * Everything the decision about one document reads: what the ledger remembers, what Visma shows, what AvaTax
 * holds, and what triggered the processing. The decision (`decide`) is a pure function of these; the steps it
 * asks for change them, and it is asked again until it says how the document ends.
 */
export type Trigger =
  /** A sync run (timer, Sync now, CLI). */
  | 'scheduled'
  /** The user asked to process it again: it may record again a document voided in AvaTax. */
  | 'reprocess'
  /** Visma answered 412 and the document was read again: never a reason to adjust anything committed. */
  | 'conflict-retry'
  /** The user accepts Visma's booked VAT as it is, with a reason. */
  | 'accept'
  /** The user asks to adjust the committed AvaTax document to the changed Visma document, with a reason. */
  | 'adjust';

export interface Policy {
  commit: 'on-release' | 'immediately';
  /** Minor units per VAT id that count as rounding. */
  tolerance: Minor;
  releaseAfterVerify: boolean;
  appendNote: boolean;
}

/** The AvaTax document as this processing knows it (from its last answer). */
export interface AvaTaxFacts {
  status: string;
  /** Made from the current tax inputs. */
  current: boolean;
  /** The fingerprint of the inputs it was made from, when they are ours. */
  fingerprint?: string;
  mapped: MappedTransaction;
  id?: number;
  locked?: boolean;
}

export interface Facts {
  trigger: Trigger;
  /** The user's reason, for accept and adjust. */
  reason?: string;
  /** Who this processing is for, in the audit trail's words (`RunContext.by`): an acceptance names them. */
  by?: string;
  policy: Policy;
  previous?: LedgerDocument;
  /** The invoice a credit note names, as the ledger knows it. */
  appliesTo?: LedgerDocument;
  raw: VismaDocument;
  /** Undefined when the document cannot be read: `problems` says why. */
  doc?: ReadableDocument;
  problems: Reason[];
  shipTo?: ShipToResolution;
  inputs?: TaxInputs;
  fingerprint?: string;
  /** Undefined until checked in this processing. */
  address?: AddressVerdict;
  /** Undefined until AvaTax answered in this processing. */
  avatax?: AvaTaxFacts;
  /** Write-backs done in this processing: a second one is never tried. */
  wrote: number;
  /** Times this processing recorded Visma's VAT in AvaTax: a second time is never tried. */
  recorded: number;
  /** Visma no longer has it (deleted). */
  deleted?: boolean;
  /** A mapping or VAT book problem found while preparing the write-back. */
  suggestion?: ShipTo;
}

export type Step =
  | { do: 'check-address' }
  /** AvaTax's own calculation, uncommitted (createoradjust when `adjust`). */
  | { do: 'calculate'; adjust: boolean }
  /** PUT what differs, then read the document back. */
  | { do: 'write-back'; change: DocumentWriteBack }
  /** Record in AvaTax exactly the VAT Visma booked (TaxAmount overrides); AvaTax still reports its own. */
  | { do: 'record-booked'; commit: boolean; adjust: boolean }
  | { do: 'commit' }
  | { do: 'release' }
  | { do: 'void'; reason: 'DocVoided' | 'DocDeleted' }
  | { do: 'finish'; outcome: Outcome };

export interface Outcome {
  state: DocumentState;
  reasons: StoredReason[];
  action: AuditAction;
  detail: StoredReason;
  /** Nothing happened worth recording: our own write seen again, or still waiting for the user. */
  quiet?: boolean;
  count?: keyof RunCounts;
  acceptance?: Acceptance;
}

/**
 * What a document's outcome asks of another document, fed back through the same pipeline (under that
 * document's lock, from its row as it is then): a credit note posted that may correct the invoice it names.
 */
export interface FollowUp {
  kind: 'correction';
  /** The document it concerns. */
  key: string;
  creditNote: string;
  /** The VAT the credit note booked (negative amounts), which must reverse the invoice's exactly. */
  reversed: VatLine[];
}
