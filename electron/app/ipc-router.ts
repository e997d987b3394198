import { type Channel, IPC_INPUTS, type IpcEnvelope, type IpcError } from '../../shared/ipc.js';
import { describeFailure } from '../engine/errors.js';
import type { Handlers } from './handlers.js';
import { type IpcSenderEvent, isTrustedSender } from './sender-guard.js';

export type Router = (channel: string, input: unknown) => Promise<IpcEnvelope<unknown>>;

/** One wrapper for every channel: unknown channels refused, input parsed with the contract's zod schema. */
export function createRouter(handlers: Handlers): Router {
  return async (channel, input) => {
    if (!Object.hasOwn(IPC_INPUTS, channel))
      return failure({ code: 'forbidden', message: `Unknown channel ${channel}` });
    const parsed = IPC_INPUTS[channel as Channel].safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      return failure({
        code: 'invalid-input',
        message: 'The request was not understood',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`),
      });
    }
    try {
      const handler = handlers[channel as Channel] as (i: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const f = describeFailure(error);
      return failure({ code: f.kind === 'auth' ? 'configuration' : 'failed', message: f.message });
    }
  };
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
