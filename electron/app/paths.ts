import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_FOLDER = 'Visma-Avalara Tax Sync';

/** The same folder Electron's app.getPath('userData') gives the desktop app, so CLI and app share a ledger. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.TAXSYNC_DATA_DIR) return env.TAXSYNC_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_FOLDER);
}

/** Demo mode keeps its ledger, audit and sandbox state apart from the real company's. */
export function demoDataDir(dataDir: string): string {
  return join(dataDir, 'demo');
}
