// Bundles the headless CLI into out/cli/cli.js (plain Node, ESM), so `node out/cli/cli.js` starts without tsx.
// Dependencies stay in node_modules (as in out/main); only our own TypeScript is bundled.
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'rolldown';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const external = (id) =>
  id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));

rmSync('out/cli', { recursive: true, force: true });
await build({
  input: 'electron/cli.ts',
  platform: 'node',
  external,
  output: { dir: 'out/cli', format: 'esm', entryFileNames: 'cli.js', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
});
console.log('cli: out/cli/cli.js');
