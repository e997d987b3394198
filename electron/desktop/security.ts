import { type App, session, shell } from 'electron';
import { isExternalHttps, isTrustedSenderUrl } from '../app/url-guards.js';

/**
 * Electron's security checklist for every web contents: no navigation away from app://, no new windows (an
 * https link opens in the user's browser), no <webview>, every permission request denied.
 */
export function installSecurity(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedSenderUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedSenderUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalHttps(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
