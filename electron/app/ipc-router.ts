import { type Channel, IPC_INPUTS, type IpcEnvelope, type IpcError } from '../../shared/ipc.js';
import { describeFailure } from '../engine/errors.js';
import type { Handlers } from './handlers.js';
import { type IpcSenderEvent, isTrustedSender } from './sender-guard.js';

export type Router = (channel: string, input: unknown) => Promise<IpcEnvelope<unknown>>;

/** One wrapper for every channel: unknown channels refused, input parsed with the contract's zod schema. */
export function createRouter(handlers: Handlers): Router {
  return async (channel, input) => {
    if (!Object.hasOwn(IPC_INPUTS, channel))
      return failure({ code: 'forbidden', message: `Unknown channel ${short(String(channel))}` });
    const parsed = IPC_INPUTS[channel as Channel].safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      return failure({
        code: 'invalid-input',
        message: 'The request was not understood',
        issues: describeIssues(parsed.error.issues),
      });
    }
    try {
      const handler = handlers[channel as Channel] as (i: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const f = describeFailure(error);
      return failure({
        code: f.kind === 'auth' ? 'configuration' : 'failed',
        message: f.message,
        // Main's own refusals carry a code the screens say in their language.
        ...(f.code === 'Refused' ? { reason: f.reason } : {}),
      });
    }
  };
}

const MAX_ISSUES = 20;

/**
 * The issues in words, never the input: a field name or an unknown key is cut to a few dozen characters, each
 * issue to 200, and at most 20 are listed (a 5 MB string sent by a compromised page must not come back whole).
 */
function describeIssues(issues: readonly { path: PropertyKey[]; message: string; code?: string; keys?: string[] }[]) {
  const lines = issues.slice(0, MAX_ISSUES).map((i) => {
    const where = i.path.map((p) => short(String(p), 40)).join('.') || 'input';
    const what =
      i.code === 'unrecognized_keys' && i.keys
        ? `unknown field${i.keys.length === 1 ? '' : 's'} ${i.keys
            .slice(0, 5)
            .map((k) => short(k, 40))
            .join(', ')}${i.keys.length > 5 ? ` and ${i.keys.length - 5} more` : ''}`
        : i.message;
    return short(`${where}: ${what}`, 200, false);
  });
  if (issues.length > MAX_ISSUES) lines[MAX_ISSUES - 1] = `… and ${issues.length - MAX_ISSUES + 1} more problems`;
  return lines;
}

/** A text cut to `max` characters, quoted (or not) for a message. */
function short(text: string, max = 60, quote = true): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return quote ? JSON.stringify(cut) : cut;
}

function failure(error: IpcError): IpcEnvelope<never> {
  return { ok: false, error };
}

/** The part of Electron's ipcMain we use, so registration is testable without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, input: unknown) => Promise<unknown>): void;
}

/** Every channel, behind the sender check: only our window's top frame on app://taxsync gets an answer. */
export function registerIpc(
  ipcMain: IpcMainLike,
  router: Router,
  isTrusted: (event: IpcSenderEvent) => boolean = isTrustedSender,
): void {
  for (const channel of Object.keys(IPC_INPUTS)) {
    ipcMain.handle(channel, async (event, input) => {
      if (!isTrusted(event)) return failure({ code: 'forbidden', message: 'This window may not call the app' });
      return router(channel, input);
    });
  }
}
