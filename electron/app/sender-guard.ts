import { isTrustedSenderUrl } from './url-guards.js';

/** The part of Electron's WebFrameMain the IPC guard reads, so it is testable without Electron. */
export interface SenderFrame {
  url: string;
  parent: SenderFrame | null;
  processId: number;
  frameToken: string;
  detached?: boolean;
}

/** The part of an IpcMainInvokeEvent the guard reads: the frame that sent it and its window's web contents. */
export interface IpcSenderEvent {
  senderFrame?: SenderFrame | null;
  sender?: { mainFrame?: SenderFrame | null };
}

/**
 * Only the top-level frame of our window, showing app://taxsync, may call main. An <iframe> inside our page
 * (even one on app://taxsync) or any other frame is refused, as is a frame that is gone.
 */
export function isTrustedSender(event: IpcSenderEvent): boolean {
  const frame = event.senderFrame;
  const main = event.sender?.mainFrame;
  if (!frame || !main || frame.detached) return false;
  if (frame.parent !== null || !sameFrame(frame, main)) return false;
  return isTrustedSenderUrl(frame.url);
}

/** Electron hands out one WebFrameMain per frame; the ids make the answer independent of that. */
function sameFrame(a: SenderFrame, b: SenderFrame): boolean {
  return a === b || (a.processId === b.processId && a.frameToken === b.frameToken);
}
