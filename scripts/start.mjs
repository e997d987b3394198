// `npm start`: the desktop app, on the demo company until credentials are saved. Electron fetches its binary on
// first run; where that cannot happen (an offline machine), the same app opens in browser mode, said in words.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { electronBinaryPresent, fetchElectronBinary } from './electron-binary.mjs';

const electronDir = join('node_modules', 'electron');

const run = (command, args) =>
  new Promise((resolve) =>
    spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' }).on('close', resolve),
  );

const build = await run('npx', ['electron-vite', 'build']);
if (build !== 0) process.exit(build ?? 1);

let why = '';
if (!electronBinaryPresent(electronDir)) {
  console.log('Fetching the Electron binary (first run)…');
  const fetched = fetchElectronBinary(electronDir);
  if (!fetched.ok) why = ` (${fetched.reason})`;
}
if (electronBinaryPresent(electronDir)) {
  process.exit((await run('npx', ['electron-vite', 'preview'])) ?? 0);
}
console.log(`\nThe Electron binary could not be fetched on this machine${why}.`);
console.log('Starting the same app in browser mode instead: open the address below in your browser.\n');
process.exit((await run(process.execPath, ['--import', 'tsx', 'electron/web-host.ts'])) ?? 0);
