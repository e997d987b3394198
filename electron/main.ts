import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor, shell } from 'electron';
import ElectronStore from 'electron-store';
import { AppController } from './app/controller.js';
import { createHandlers } from './app/handlers.js';
import { createRouter, registerIpc } from './app/ipc-router.js';
import type { KeyValueStore } from './app/kv-store.js';
import { SecretsVault } from './app/secrets-vault.js';
import { SettingsRepository } from './app/settings-repo.js';
import { buildMenu } from './desktop/menu.js';
import { registerSchemes, serveRenderer } from './desktop/protocol.js';
import { SafeStorageCipher } from './desktop/safe-storage.js';
import { installSecurity } from './desktop/security.js';
import { createMainWindow, preloadFile } from './desktop/window.js';

// Electron glue only: everything it wires is plain Node under electron/app, engine, store, connectors.
registerSchemes();
if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | undefined;
let controller: AppController | undefined;

function store(options: ConstructorParameters<typeof ElectronStore>[0]): KeyValueStore {
  const s = new ElectronStore(options);
  return { get: (k) => s.get(k) as never, set: (k, v) => s.set(k, v), delete: (k) => s.delete(k as never) };
}

async function start(): Promise<void> {
  const here = import.meta.dirname;
  serveRenderer(join(here, '../renderer'));
  installSecurity(app);
  const dataDir = app.getPath('userData');
  const vault = new SecretsVault(store({ name: 'secrets', configFileMode: 0o600 }), await SafeStorageCipher.create());
  controller = new AppController({
    dataDir,
    settings: new SettingsRepository(store({ name: 'settings' })),
    vault,
    emit: (event, payload) => window?.webContents.send(event, payload),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    chooseExportFolder: async (suggested) => {
      const options = {
        title: 'Export month CSV: choose a folder for the two files',
        defaultPath: suggested,
        buttonLabel: 'Export here',
        properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
  });
  await controller.start();
  registerIpc(ipcMain, createRouter(createHandlers(controller)));
  powerMonitor.on('resume', () => controller?.scheduler.reschedule());
  buildMenu(app, {
    syncNow: () => void controller?.runSync('user').catch(() => undefined),
    openDataFolder: () => void shell.openPath(dataDir),
  });
  window = createMainWindow(preloadFile(here), join(here, '../renderer/icon.png'));
}

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && controller)
    window = createMainWindow(preloadFile(import.meta.dirname), join(import.meta.dirname, '../renderer/icon.png'));
});
let closing = false;
app.on('before-quit', (event) => {
  if (closing || !controller) return;
  event.preventDefault();
  closing = true;
  // Flush the ledger and the audit trail before the process ends.
  void controller.close().finally(() => app.quit());
});

void app.whenReady().then(start, (error) => {
  dialog.showErrorBox('Visma–Avalara Tax Sync could not start', (error as Error).message);
  app.quit();
});
