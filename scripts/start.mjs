// `npm start`: the desktop app, on the demo company until credentials are saved. Electron 45 fetches its
// binary on first run; where that cannot happen (an offline machine), the same app opens in browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronDir = join('node_modules', 'electron');
const binaryPresent = () => {
  const pathFile = join(electronDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
};

const run = (command, args) =>
  new Promise((resolve) =>
    spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' }).on('close', resolve),
  );

const build = await run('npx', ['electron-vite', 'build']);
if (build !== 0) process.exit(build ?? 1);

if (!binaryPresent()) {
  console.log('Fetching the Electron binary (first run)…');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 180_000 });
}
if (binaryPresent()) {
  process.exit((await run('npx', ['electron-vite', 'preview'])) ?? 0);
}
console.log('\nThe Electron binary is not available on this machine (no internet?).');
console.log('Starting the same app in browser mode instead: open the address below in your browser.\n');
process.exit((await run(process.execPath, ['--import', 'tsx', 'electron/web-host.ts'])) ?? 0);
