/** Where the desktop UI is served from (electron/desktop/protocol.ts). */
export const APP_ORIGIN = 'app://taxsync';

/** Only the app's own pages may call main: `app://taxsync/…` (parsed, never matched by prefix). */
export function isTrustedSenderUrl(url: string | undefined, extraOrigins: string[] = []): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'app:' && parsed.host === 'taxsync') return true;
  return extraOrigins.includes(parsed.origin);
}

/** Only plain https links without credentials go to the OS browser (checklist item 15). */
export function isExternalHttps(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
}
