import type { Secrets, Settings } from '../../shared/settings.js';

export type ConnectionTarget = 'visma' | 'avatax';

export const SECRET_OF = { visma: 'vismaClientSecret', avatax: 'avalaraLicenseKey' } as const satisfies Record<
  ConnectionTarget,
  keyof Secrets
>;

/** A secret the app already holds, and the settings whose addresses it belongs to. */
export interface KeptSecret {
  settings: Settings;
  secret: string | undefined;
  /** Saved by the user (rather than the demo company's built-in one): the refusal names it. */
  saved: boolean;
}

export type SecretChoice = { secret: string } | { refused: string };

/**
 * Which secret a "Test connection" may send. One the user typed goes wherever the form points. One the app
 * keeps goes only to the addresses it was kept for: otherwise a page could aim the saved secret at any server.
 */
export function chooseSecret(
  target: ConnectionTarget,
  candidate: Settings,
  typed: string | undefined,
  kept: KeptSecret[],
): SecretChoice {
  if (typed) return { secret: typed };
  for (const k of kept) {
    if (k.secret && sameAddresses(target, candidate, k.settings)) return { secret: k.secret };
  }
  if (kept.some((k) => k.saved && k.secret)) return { refused: REFUSALS[target] };
  return { refused: target === 'visma' ? 'Enter the Visma client secret' : 'Enter the AvaTax license key' };
}

const REFUSALS: Record<ConnectionTarget, string> = {
  visma:
    'The saved Visma client secret is only sent to the saved Visma addresses. To test a new address, type the client secret in again.',
  avatax:
    'The saved AvaTax license key is only sent to the saved AvaTax address. To test a new address, type the license key in again.',
};

/** The addresses a target's secret travels to: Visma's token and API URLs, AvaTax's API URL. */
function addressesOf(target: ConnectionTarget, settings: Pick<Settings, 'visma' | 'avalara'>): string[] {
  return target === 'visma' ? [settings.visma.tokenUrl, settings.visma.apiUrl] : [settings.avalara.apiUrl];
}

/**
 * Whether saving `after` moves a connection's addresses away from where its stored secret was kept for: the
 * secret then stays behind (it is dropped), or the next test or sync would send it to the new host.
 */
export function addressesChanged(
  target: ConnectionTarget,
  before: Partial<Pick<Settings, 'visma' | 'avalara'>>,
  after: Partial<Pick<Settings, 'visma' | 'avalara'>>,
): boolean {
  const key = target === 'visma' ? 'visma' : 'avalara';
  if (!before[key] || !after[key]) return false;
  return !sameAddresses(target, before as Settings, after as Settings);
}

function sameAddresses(target: ConnectionTarget, a: Settings, b: Settings): boolean {
  const left = addressesOf(target, a).map(normalise);
  const right = addressesOf(target, b).map(normalise);
  return left.length === right.length && left.every((url, i) => url === right[i]);
}

/** Compared as parsed URLs, so `https://x.example` and `https://X.example/` are the same address. */
function normalise(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
