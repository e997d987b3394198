import { hostname } from 'node:os';
import type { Secrets, Settings } from '../../shared/settings.js';
import { APP_NAME, APP_VERSION } from '../../shared/version.js';
import { AvaTaxClient } from './avatax/client.js';
import { type ExchangeSummary, HttpClient, type RetryPolicy } from './http.js';
import { Pace } from './pace.js';
import { Redactor } from './redact.js';
import { VismaClient } from './visma/client.js';
import { VismaTokenProvider } from './visma/token.js';

export interface Connectors {
  visma: VismaClient;
  avatax: AvaTaxClient;
  tokens: VismaTokenProvider;
  redactor: Redactor;
  /** How many documents a run keeps in flight: follows both services' windows, up to `sync.concurrency`. */
  pace: Pace;
}

export interface ConnectorOptions {
  onExchange?: (summary: ExchangeSummary) => void;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Pauses between two looks at a Visma background job or queued release (ms); their number bounds the wait. */
  pollDelaysMs?: readonly number[];
}

/** Builds both API clients from the settings and the secrets, sharing one Redactor that knows every secret. */
export function createConnectors(settings: Settings, secrets: Secrets, options: ConnectorOptions = {}): Connectors {
  const redactor = new Redactor([secrets.vismaClientSecret, secrets.avalaraLicenseKey]);
  redactor.addBasic(settings.avalara.accountId, secrets.avalaraLicenseKey);
  const pace = new Pace(settings.sync.concurrency, options.now);
  const common = {
    redactor,
    onExchange: options.onExchange,
    onPacing: (signal: Parameters<Pace['signal']>[0]) => pace.signal(signal),
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    now: options.now,
    sleep: options.sleep,
    random: options.random,
    defaultHeaders: { 'User-Agent': `${APP_NAME}/${APP_VERSION}` },
  };
  const tokenHttp = new HttpClient({ ...common, service: 'Visma Connect', baseUrl: settings.visma.tokenUrl });
  const vismaHttp = new HttpClient({
    ...common,
    service: 'Visma.net',
    baseUrl: settings.visma.apiUrl,
    correlationHeaders: ['ipp-request-id', 'request-context'],
  });
  const avataxHttp = new HttpClient({
    ...common,
    service: 'AvaTax',
    baseUrl: settings.avalara.apiUrl,
    correlationHeaders: ['x-correlation-id'],
  });
  const tokens = new VismaTokenProvider(
    tokenHttp,
    { clientId: settings.visma.clientId, clientSecret: secrets.vismaClientSecret, tenantId: settings.visma.tenantId },
    options.now,
  );
  return {
    visma: new VismaClient(vismaHttp, tokens, { sleep: options.sleep, pollDelaysMs: options.pollDelaysMs }),
    avatax: new AvaTaxClient(avataxHttp, {
      accountId: settings.avalara.accountId,
      licenseKey: secrets.avalaraLicenseKey,
      companyCode: settings.avalara.companyCode,
      appName: APP_NAME,
      appVersion: APP_VERSION,
      machineName: hostname(),
    }),
    tokens,
    redactor,
    pace,
  };
}
