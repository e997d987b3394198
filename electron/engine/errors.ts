import { formatReason } from '../../shared/reason-format.js';
import { type Reason, reason } from '../../shared/reasons.js';
import { AvaTaxError } from '../connectors/avatax/errors.js';
import { CancelledError, MalformedResponseError, RetryableHttpError } from '../connectors/http.js';
import { VismaError } from '../connectors/visma/errors.js';

/** Credentials or settings are wrong: the run stops, the CLI exits 2, the UI shows Settings. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/**
 * A request refused for a reason the user reads (a month that has not ended, a void without a reason): the
 * message is English for logs and the command line; the screens render `reason` in their language. A RangeError,
 * as the refusals were before they carried a code.
 */
export class RefusedError extends RangeError {
  constructor(readonly reason: Reason) {
    super(formatReason(reason, 'en'));
    this.name = 'RefusedError';
  }
}

export type FailureKind = 'retryable' | 'data' | 'auth' | 'cancelled';

export interface Failure {
  kind: FailureKind;
  code: string;
  /** In English, for logs, the command line and `lastError`. */
  message: string;
  /**
   * What the user reads (a ledger row's reason, an audit entry): our words in their language, the service's own
   * words quoted inside them.
   */
  reason: Reason;
  correlationId?: string;
}

/** Sorts any error from a step into what the engine does next. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CancelledError || ['CanceledError', 'AbortError'].includes((error as Error)?.name)) {
    return {
      kind: 'cancelled',
      code: 'Cancelled',
      message: 'The run was cancelled',
      reason: reason('failure-cancelled'),
    };
  }
  if (error instanceof RetryableHttpError) {
    return {
      kind: 'retryable',
      code: `${error.service}:${error.lastStatus}`,
      message: error.message,
      reason: reason('failure-unanswered', {
        service: error.service,
        status: String(error.lastStatus),
        message: error.message,
      }),
      correlationId: error.correlationId,
    };
  }
  if (error instanceof MalformedResponseError) {
    return {
      kind: 'retryable',
      code: `${error.service}:malformed`,
      message: error.message,
      reason: reason('failure-malformed', { service: error.service, message: error.message }),
    };
  }
  if (error instanceof AvaTaxError) {
    const kind: FailureKind =
      error.kind === 'auth' || error.kind === 'configuration'
        ? 'auth'
        : error.kind === 'retryable'
          ? 'retryable'
          : 'data';
    return {
      kind,
      code: `AvaTax:${error.code}`,
      message: error.message,
      reason: reason('failure-avatax', { code: error.code, message: error.message }),
      correlationId: error.correlationId,
    };
  }
  if (error instanceof VismaError) {
    const kind: FailureKind =
      error.kind === 'auth' || error.kind === 'forbidden' ? 'auth' : error.retryable ? 'retryable' : 'data';
    return {
      kind,
      code: `Visma:${error.kind}${error.faultCode ? `:${error.faultCode}` : ''}`,
      message: error.message,
      reason: reason('failure-visma', { message: error.message }),
      correlationId: error.correlationId,
    };
  }
  if (error instanceof RefusedError)
    return { kind: 'data', code: 'Refused', message: error.message, reason: error.reason };
  // Our own messages (configuration) and the unexpected keep their words as they are.
  if (error instanceof ConfigurationError)
    return {
      kind: 'auth',
      code: 'Configuration',
      message: error.message,
      reason: reason('text', { text: error.message }),
    };
  const message = (error as Error)?.message ?? String(error);
  return { kind: 'data', code: 'Unexpected', message, reason: reason('text', { text: message }) };
}
