import { formatReason } from '../../shared/reason-format.js';
import { type Reason, reason } from '../../shared/reasons.js';
import type { Secrets, Settings } from '../../shared/settings.js';
import { createConnectors } from '../connectors/index.js';
import { describeFailure } from '../engine/errors.js';

export interface ConnectionResult {
  ok: boolean;
  kind: 'ok' | 'auth' | 'network' | 'other';
  /** English (the CLI, logs); `reason`, when there is one, for the screens in the reader's language. */
  message: string;
  reason?: Reason;
}

/** A result whose words are ours: the message in English, the reason for the screens. */
function said(ok: boolean, kind: ConnectionResult['kind'], r: Reason): ConnectionResult {
  return { ok, kind, message: formatReason(r, 'en'), reason: r };
}

const OPTIONS = { retry: { maxAttempts: 2, baseDelayMs: 200 }, timeoutMs: 15_000 };

/** "Test connection" for Visma: a token and one authenticated read. */
export async function testVisma(settings: Settings, secrets: Secrets): Promise<ConnectionResult> {
  try {
    await createConnectors(settings, secrets, OPTIONS).visma.ping();
    return said(true, 'ok', reason('connection-visma-ok', { tenant: settings.visma.tenantId }));
  } catch (error) {
    return toResult(error);
  }
}

/** "Test connection" for AvaTax: ping, with `authenticated` checked (ping itself never fails on bad keys). */
export async function testAvaTax(settings: Settings, secrets: Secrets): Promise<ConnectionResult> {
  try {
    const p = await createConnectors(settings, secrets, OPTIONS).avatax.ping();
    if (!p.authenticated) return said(false, 'auth', reason('connection-avatax-refused'));
    return said(
      true,
      'ok',
      reason('connection-avatax-ok', { account: String(p.authenticatedAccountId ?? settings.avalara.accountId) }),
    );
  } catch (error) {
    return toResult(error);
  }
}

export async function testConnections(
  settings: Settings,
  secrets: Secrets,
): Promise<{ visma: ConnectionResult; avatax: ConnectionResult }> {
  const [visma, avatax] = await Promise.all([testVisma(settings, secrets), testAvaTax(settings, secrets)]);
  return { visma, avatax };
}

function toResult(error: unknown): ConnectionResult {
  const failure = describeFailure(error);
  return {
    ok: false,
    kind: failure.kind === 'auth' ? 'auth' : failure.kind === 'retryable' ? 'network' : 'other',
    message: failure.message,
  };
}
