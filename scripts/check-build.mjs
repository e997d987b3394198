// Checks what electron-vite built: an ESM main, exactly one self-contained CommonJS preload, the renderer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const fail = (message) => {
  console.error(`build check: ${message}`);
  process.exit(1);
};
const main = 'out/main/index.js';
if (!existsSync(main)) fail(`${main} is missing`);
if (!/^import .* from "electron";$/m.test(readFileSync(main, 'utf8')))
  fail(`${main} is not an ES module importing electron`);
const preloads = readdirSync('out/preload');
if (preloads.length !== 1 || preloads[0] !== 'index.cjs')
  fail(`out/preload must hold one index.cjs, found: ${preloads.join(', ')}`);
const preload = readFileSync('out/preload/index.cjs', 'utf8');
const requires = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
if (requires.some((r) => r !== 'electron'))
  fail(`the sandboxed preload may only require electron, not ${requires.join(', ')}`);
if (/^\s*(import|export) /m.test(preload)) fail('the preload is not CommonJS');
if (!existsSync('out/renderer/index.html')) fail('out/renderer/index.html is missing');
if (!readdirSync('out/renderer/assets').some((f) => f.endsWith('.js'))) fail('the renderer has no script');
const cli = 'out/cli/cli.js';
if (!existsSync(cli)) fail(`${cli} is missing`);
if (/from "electron"/.test(readFileSync(cli, 'utf8'))) fail(`${cli} imports electron: the CLI runs in plain Node`);
console.log('build check: main (ESM), preload (one CommonJS file, electron only), renderer, CLI — ok');
