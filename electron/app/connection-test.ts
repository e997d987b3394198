import type { Secrets, Settings } from '../../shared/settings.js';
import { createConnectors } from '../connectors/index.js';
import { describeFailure } from '../engine/errors.js';

export interface ConnectionResult {
  ok: boolean;
  kind: 'ok' | 'auth' | 'network' | 'other';
  message: string;
}

/** "Test connection": a Visma token plus one read; AvaTax ping with `authenticated` checked. */
export async function testConnections(
  settings: Settings,
  secrets: Secrets,
): Promise<{ visma: ConnectionResult; avatax: ConnectionResult }> {
  const connectors = createConnectors(settings, secrets, {
    retry: { maxAttempts: 2, baseDelayMs: 200 },
    timeoutMs: 15_000,
  });
  const [visma, avatax] = await Promise.all([
    connectors.visma.ping().then(
      (): ConnectionResult => ({ ok: true, kind: 'ok', message: `connected to tenant ${settings.visma.tenantId}` }),
      (error): ConnectionResult => toResult(error),
    ),
    connectors.avatax.ping().then(
      (p): ConnectionResult =>
        p.authenticated
          ? {
              ok: true,
              kind: 'ok',
              message:
                `authenticated as account ${p.authenticatedAccountId ?? settings.avalara.accountId} (AvaTax ${p.version ?? ''})`.trim(),
            }
          : {
              ok: false,
              kind: 'auth',
              message:
                'AvaTax answered but did not accept the account id and license key (check the environment: sandbox and production keys differ)',
            },
      (error): ConnectionResult => toResult(error),
    ),
  ]);
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
