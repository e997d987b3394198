import { create } from 'zustand';
import { type Connection, onConnection } from '../api.js';

/**
 * Browser mode's link to the app, as the last request found it: the page says when it was denied (a wrong or
 * missing token) or lost (the app stopped), instead of an empty app or "Failed to fetch" over old numbers. The
 * desktop app never loses it (its requests never leave the process).
 */
interface ConnectionState {
  state: Connection;
  /** When the app last answered (ISO), to say how old what is shown is once it stopped. */
  lastOkAt?: string;
  set(state: Connection): void;
}

export const useConnection = create<ConnectionState>((set, get) => ({
  state: 'ok',
  set: (state) => {
    if (state === 'ok') set({ state, lastOkAt: new Date().toISOString() });
    else if (get().state !== state) set({ state });
  },
}));

onConnection((state) => useConnection.getState().set(state));
