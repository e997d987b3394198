import { describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;
const appHandlers = new Map<string, Handler>();
const openExternal = vi.fn();
let permissionHandler: Handler | undefined;
let checkHandler: Handler | undefined;
let deviceHandler: Handler | undefined;
let displayMediaHandler: Handler | undefined;
vi.mock('electron', () => ({
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: Handler) => {
        permissionHandler = h;
      },
      setPermissionCheckHandler: (h: Handler) => {
        checkHandler = h;
      },
      setDevicePermissionHandler: (h: Handler) => {
        deviceHandler = h;
      },
      setDisplayMediaRequestHandler: (h: Handler) => {
        displayMediaHandler = h;
      },
    },
  },
  shell: { openExternal: (url: string) => openExternal(url) },
}));

function fakeContents() {
  const events = new Map<string, Handler>();
  let windowOpen: Handler | undefined;
  return {
    events,
    get windowOpen() {
      return windowOpen!;
    },
    on: (name: string, h: Handler) => void events.set(name, h),
    setWindowOpenHandler: (h: Handler) => {
      windowOpen = h;
    },
  };
}

describe('the window security rules', async () => {
  const { installSecurity } = await import('../../electron/desktop/security.js');
  installSecurity({ on: (name: string, h: Handler) => void appHandlers.set(name, h) } as never);
  const contents = fakeContents();
  appHandlers.get('web-contents-created')!({}, contents);

  it('denies navigation away from app://taxsync', () => {
    for (const [url, allowed] of [
      ['app://taxsync/index.html', true],
      ['https://evil.example/', false],
      ['file:///etc/passwd', false],
      ['app://taxsync.evil/', false],
    ] as const) {
      const event = { preventDefault: vi.fn() };
      contents.events.get('will-navigate')!(event, url);
      expect(event.preventDefault.mock.calls.length, url).toBe(allowed ? 0 : 1);
    }
  });

  it('opens no window: https links go to the OS browser, anything else nowhere', () => {
    expect(contents.windowOpen({ url: 'https://status.avalara.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://status.avalara.com/');
    openExternal.mockClear();
    expect(contents.windowOpen({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpen({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks webviews', () => {
    const event = { preventDefault: vi.fn() };
    contents.events.get('will-attach-webview')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  // Our own page asking, from the top frame: even then nothing is granted (the app needs no permission).
  const ours = { getURL: () => 'app://taxsync/index.html' };
  const details = { requestingUrl: 'app://taxsync/index.html', isMainFrame: true };
  const PERMISSIONS = [
    'media',
    'display-capture',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'idle-detection',
    'window-management',
    'unknown',
  ];

  it('denies every permission request, our own page included', () => {
    for (const permission of PERMISSIONS) {
      const callback = vi.fn();
      permissionHandler!(ours, permission, callback, details);
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
  });

  it('answers every permission check with no', () => {
    for (const permission of PERMISSIONS) {
      expect(checkHandler!(ours, permission, 'app://taxsync', details), permission).toBe(false);
    }
  });

  it('grants no device (USB, HID, serial, Bluetooth) without asking', () => {
    for (const deviceType of ['hid', 'serial', 'usb', 'bluetooth']) {
      expect(deviceHandler!({ deviceType, origin: 'app://taxsync', device: {} }), deviceType).toBe(false);
    }
  });

  it('refuses screen and window capture (getDisplayMedia)', () => {
    const callback = vi.fn();
    displayMediaHandler!({ frame: null, securityOrigin: 'app://taxsync', videoRequested: true }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith(null);
  });
});
