import { type App, type Session, session, shell } from 'electron';
import { isExternalHttps, isTrustedSenderUrl } from '../app/url-guards.js';

/**
 * Electron's security checklist for every web contents: no navigation away from app://, no new windows (an
 * https link opens in the user's browser), no <webview>, and no permission of any kind (see denyPermissions).
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
  denyPermissions(session.defaultSession);
}

/**
 * The renderer needs no web permission, so every one is refused, for our own page too: sync notifications
 * come from main (Electron's Notification, no page permission), copy and paste go through the Edit menu's
 * roles (not the async Clipboard API), and nothing uses the camera, microphone, screen, location or devices.
 * Devices: no grant without a prompt, and with no select-*-device listener every device prompt is cancelled.
 * Screen capture: getDisplayMedia gets no stream.
 */
export function denyPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}
