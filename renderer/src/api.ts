import type { Api } from '../../shared/ipc.js';
import { type Channel, EVENTS, type IpcEnvelope, type IpcError, METHODS } from '../../shared/ipc-channels.js';

/**
 * `window.api` in the desktop app (the preload's named methods); in browser mode the same methods over
 * loopback HTTP with the per-start token from the page's address. Either way the renderer sees the same
 * typed contract and never a secret.
 */
declare global {
  interface Window {
    api?: Api;
  }
}

export class ApiError extends Error {
  constructor(readonly error: IpcError) {
    super(error.issues?.length ? `${error.message}: ${error.issues.join('; ')}` : error.message);
    this.name = 'ApiError';
  }
}

export function unwrap<T>(envelope: IpcEnvelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

/** The browser-mode bridge: POST /ipc/<channel>, Server-Sent Events for pushes. */
export function createHttpApi(base: string, token: string): Api {
  const call = async (channel: Channel, input: unknown) => {
    const res = await fetch(`${base}/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-taxsync-token': token },
      body: JSON.stringify(input ?? {}),
    });
    if (res.status === 403)
      throw new ApiError({
        code: 'forbidden',
        message: 'This page is not allowed to talk to the app (token missing or wrong)',
      });
    return unwrap(await res.json());
  };
  let source: EventSource | undefined;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const subscribe = (event: string, listener: (payload: unknown) => void) => {
    source ??= new EventSource(`${base}/events?token=${encodeURIComponent(token)}`);
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
      source.addEventListener(event, (e) => {
        const payload = JSON.parse((e as MessageEvent).data);
        for (const l of listeners.get(event) ?? []) l(payload);
      });
    }
    set.add(listener);
    return () => set!.delete(listener);
  };
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(METHODS)) api[method] = (input: unknown) => call(channel, input);
  for (const [method, event] of Object.entries(EVENTS))
    api[method] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  return api as Api;
}

let current: Api | undefined;

export function getApi(): Api {
  if (current) return current;
  if (typeof window !== 'undefined' && window.api) {
    current = window.api;
    return current;
  }
  const token = new URLSearchParams(typeof location !== 'undefined' ? location.hash.slice(1) : '').get('token') ?? '';
  current = createHttpApi(typeof location !== 'undefined' ? location.origin : '', token);
  return current;
}

/** Tests and stories pass their own implementation. */
export function setApi(api: Api): void {
  current = api;
}

/** In browser mode, where an exported file can be downloaded from. */
export function downloadUrl(file: string): string | undefined {
  if (typeof window === 'undefined' || window.api) return undefined;
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const name = file.split(/[\\/]/).pop() ?? file;
  return `${location.origin}/exports/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`;
}
