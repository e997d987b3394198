import { notJsonWords } from '../answer-words.js';
import type { HttpClient } from '../http.js';
import { VismaError } from './errors.js';
import { tokenResponseSchema } from './types.js';

export interface TokenCredentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  scope?: string;
}

export const VISMA_SCOPE = 'vismanet_erp_service_api:read vismanet_erp_service_api:update';

/**
 * Visma Connect client-credentials tokens. No refresh token exists: a new token is requested before
 * `expires_in` runs out (a margin), single-flight so that parallel calls share one request.
 */
export class VismaTokenProvider {
  private token?: { value: string; expiresAt: number };
  private inFlight?: Promise<string>;
  /** How many tokens were fetched; the tests read it. */
  fetchCount = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: TokenCredentials,
    private readonly now: () => number = Date.now,
    private readonly marginMs = 120_000,
  ) {}

  async get(signal?: AbortSignal): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - this.marginMs) return this.token.value;
    this.inFlight ??= this.fetch(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** After a 401 the token is distrusted; the next get() fetches a fresh one. */
  invalidate(rejected: string): void {
    if (this.token?.value === rejected) this.token = undefined;
  }

  private async fetch(signal?: AbortSignal): Promise<string> {
    const { clientId, clientSecret, tenantId } = this.credentials;
    if (!clientId || !clientSecret || !tenantId) {
      throw new VismaError(
        'auth',
        0,
        'Visma credentials are incomplete: client id, client secret and tenant id are all needed',
      );
    }
    const res = await this.http.request({
      method: 'POST',
      path: '',
      form: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        tenant_id: tenantId,
        scope: this.credentials.scope ?? VISMA_SCOPE,
      },
      signal,
    });
    if (res.status !== 200) {
      const body = res.body as Record<string, unknown> | undefined;
      const code = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      const hint =
        code === 'invalid_client'
          ? 'the client id or secret is wrong'
          : code === 'invalid_tenant' || code === 'unauthorized_client'
            ? 'the tenant id is wrong or the app is not activated for this company (use the Company tenant id)'
            : 'check the client id, secret and tenant id';
      throw new VismaError('auth', res.status, `Visma Connect refused the token request (${code}): ${hint}`);
    }
    const parsed = tokenResponseSchema.safeParse(res.body);
    if (!parsed.success)
      throw new VismaError(
        'unexpected',
        res.status,
        typeof res.body === 'object' && res.body !== null
          ? 'Visma Connect sent a token response without access_token/expires_in'
          : `Visma Connect sent ${notJsonWords(res.text)} instead of a token`,
      );
    this.fetchCount++;
    this.token = { value: parsed.data.access_token, expiresAt: this.now() + parsed.data.expires_in * 1000 };
    return this.token.value;
  }
}
