import { describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;
const appHandlers = new Map<string, Handler>();
const openExternal = vi.fn();
let permissionHandler: Handler | undefined;
let checkHandler: Handler | undefined;
vi.mock('electron', () => ({
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: Handler) => {
        permissionHandler = h;
      },
      setPermissionCheckHandler: (h: Handler) => {
        checkHandler = h;
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

  it('blocks webviews and every permission request', () => {
    const event = { preventDefault: vi.fn() };
    contents.events.get('will-attach-webview')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    const callback = vi.fn();
    permissionHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(checkHandler!()).toBe(false);
  });
});
