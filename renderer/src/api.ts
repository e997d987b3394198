import type { Api } from '../../shared/ipc.js';
import { type Channel, EVENTS, type IpcEnvelope, type IpcError, METHODS } from '../../shared/ipc-channels.js';
import { openEventStream } from './event-stream.js';
import { sayReason } from './reasons.js';
import type { SseMessage } from './sse.js';
import { useUi } from './stores/ui.js';

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

/** A failed call. Main's own refusals come with a reason: said in the UI's language, never main's English. */
export class ApiError extends Error {
  constructor(readonly error: IpcError) {
    super(
      error.reason
        ? sayReason(error.reason, useUi.getState().locale)
        : error.issues?.length
          ? `${error.message}: ${error.issues.join('; ')}`
          : error.message,
    );
    this.name = 'ApiError';
  }
}

export function unwrap<T>(envelope: IpcEnvelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

/**
 * How browser mode's page reaches the app: `ok`; `denied`, its token is missing or wrong (an old address, a
 * restarted app); `lost`, the app does not answer at all (it was stopped).
 */
export type Connection = 'ok' | 'denied' | 'lost';

/** The browser-mode bridge: POST /ipc/<channel>, and the event stream read with fetch. The token goes in a
 * header on every request, never in an address (addresses end up in logs and the history). `onConnection`
 * hears how each request went, so the page can say when the app is gone instead of "Failed to fetch". */
export function createHttpApi(base: string, token: string, onConnection?: (state: Connection) => void): Api {
  const call = async (channel: Channel, input: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${base}/ipc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      onConnection?.('lost');
      throw new ApiError({
        code: 'unreachable',
        message: 'The app does not answer: it was stopped. Start it again and open the address it prints.',
      });
    }
    if (res.status === 403) {
      onConnection?.('denied');
      throw new ApiError({
        code: 'forbidden',
        message: 'This page is not allowed to talk to the app (token missing or wrong)',
      });
    }
    onConnection?.('ok');
    return unwrap(await res.json());
  };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let close: (() => void) | undefined;
  const dispatch = (message: SseMessage) => {
    const set = listeners.get(message.event);
    if (!set || set.size === 0) return;
    const payload = JSON.parse(message.data);
    for (const l of set) l(payload);
  };
  // The stream is open while anyone listens.
  const subscribe = (event: string, listener: (payload: unknown) => void) => {
    close ??= openEventStream(`${base}/events`, { [TOKEN_HEADER]: token }, dispatch);
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if ([...listeners.values()].every((s) => s.size === 0)) {
        close?.();
        close = undefined;
      }
    };
  };
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(METHODS)) api[method] = (input: unknown) => call(channel, input);
  for (const [method, event] of Object.entries(EVENTS))
    api[method] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  return api as Api;
}

const TOKEN_HEADER = 'x-taxsync-token';

let current: Api | undefined;

/** Browser mode's host and token (the token from the page's #token=); undefined in the desktop app. */
function browserHost(): { base: string; token: string } | undefined {
  if (typeof window === 'undefined' || window.api || typeof location === 'undefined') return undefined;
  return { base: location.origin, token: new URLSearchParams(location.hash.slice(1)).get('token') ?? '' };
}

export function getApi(): Api {
  if (current) return current;
  if (typeof window !== 'undefined' && window.api) {
    current = window.api;
    return current;
  }
  const host = browserHost();
  current = createHttpApi(host?.base ?? '', host?.token ?? '', (state) => connectionListener?.(state));
  return current;
}

let connectionListener: ((state: Connection) => void) | undefined;

/** Who hears browser mode's link to the app going and coming (the connection store). */
export function onConnection(listener: (state: Connection) => void): void {
  connectionListener = listener;
}

/** Browser mode opened without a token in its address (`#token=` cut off): nothing can be asked of the app. */
export function missingToken(): boolean {
  const host = browserHost();
  return host !== undefined && host.token === '';
}

/** Tests and stories pass their own implementation. */
export function setApi(api: Api): void {
  current = api;
}

/** An exported file from the browser host, fetched with the token in a header. */
export async function fetchExport(base: string, token: string, file: string): Promise<Blob> {
  const name = fileName(file);
  const res = await fetch(`${base}/exports/${encodeURIComponent(name)}`, { headers: { [TOKEN_HEADER]: token } });
  if (!res.ok) throw new Error(`The file ${name} could not be downloaded (the app answered ${res.status})`);
  return res.blob();
}

/** In browser mode exported files can be downloaded (the desktop app saves them where the user chose). */
export function canDownloadExports(): boolean {
  return browserHost() !== undefined;
}

/** Fetches an exported file and hands it to the browser as a download, through a short-lived blob: address. */
export async function downloadExport(file: string): Promise<void> {
  const host = browserHost();
  if (!host) return;
  const blob = await fetchExport(host.base, host.token, file);
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName(file);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** The last part of a path main reported, whichever separator its system uses. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
