import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENTS, METHODS } from '../../shared/ipc-channels.js';

// Electron cannot load here (its binary is not installed): the preload is tested against a mock, as the
// design asks of the thin adapters.
const exposed: Record<string, unknown> = {};
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
const invoke = vi.fn();
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api;
    },
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, handler: (event: unknown, payload: unknown) => void) => void listeners.set(channel, handler),
    removeListener: (channel: string) => void listeners.delete(channel),
  },
}));

describe('the preload', () => {
  beforeEach(async () => {
    await import('../../electron/preload.js');
  });

  it('exposes exactly one named method per channel and one subscription per event, frozen', () => {
    const api = exposed.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(METHODS), ...Object.keys(EVENTS)].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('on');
    expect(api).not.toHaveProperty('send');
  });

  it('calls its own channel and unwraps the envelope', async () => {
    const api = exposed.api as Record<string, (input: unknown) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ ok: true, value: { cancelled: true } });
    await expect(api.cancelSync!({})).resolves.toEqual({ cancelled: true });
    expect(invoke).toHaveBeenLastCalledWith('sync:cancel', {});
    invoke.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'The request was not understood',
        issues: ['month: month must look like 2026-11'],
      },
    });
    await expect(api.listAudit!({ month: 'x' })).rejects.toThrow(
      'The request was not understood: month: month must look like 2026-11',
    );
  });

  it('hands listeners the payload only, never the IpcRendererEvent, and unsubscribes', () => {
    const api = exposed.api as Record<string, (listener: (p: unknown) => void) => () => void>;
    const seen: unknown[][] = [];
    const off = api.onSyncProgress!((...args) => seen.push(args));
    listeners.get('sync:progress')!({ sender: 'ipcRenderer internals' }, { done: 1, total: 2 });
    expect(seen).toEqual([[{ done: 1, total: 2 }]]);
    off();
    expect(listeners.has('sync:progress')).toBe(false);
  });
});
