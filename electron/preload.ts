import { contextBridge, ipcRenderer } from 'electron';
import type { Api } from '../shared/ipc.js';
import { EVENTS, type IpcEnvelope, METHODS } from '../shared/ipc-channels.js';

/**
 * One named method per channel and one subscription per event, nothing generic: no raw ipcRenderer, no
 * invoke(channel) the page could aim anywhere. Listeners never see the IpcRendererEvent.
 */
const api: Record<string, unknown> = {};
for (const [method, channel] of Object.entries(METHODS)) {
  api[method] = async (input: unknown) => {
    const envelope = (await ipcRenderer.invoke(channel, input)) as IpcEnvelope<unknown>;
    if (envelope.ok) return envelope.value;
    const issues = envelope.error.issues?.length ? `: ${envelope.error.issues.join('; ')}` : '';
    throw new Error(`${envelope.error.message}${issues}`);
  };
}
for (const [method, event] of Object.entries(EVENTS)) {
  api[method] = (listener: (payload: unknown) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => ipcRenderer.removeListener(event, handler);
  };
}

contextBridge.exposeInMainWorld('api', Object.freeze(api as Api));
