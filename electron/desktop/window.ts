import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from '../app/url-guards.js';

/** The main window per the checklist: context isolation, sandbox, no Node, our preload only. */
export function createMainWindow(preloadPath: string, iconPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Visma–Avalara Tax Sync',
    icon: iconPath,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export function preloadFile(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs');
}
