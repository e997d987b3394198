import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, TSX_CLI } from '../../test/helpers/cli.js';

/**
 * The CLI the soak starts: electron/cli.ts bundled once into one ES module (same sources, packages from
 * node_modules), so each of the soak's hundred child processes starts in half a second instead of having tsx
 * compile the sources again; `--tsx` starts it exactly as `npm run cli` does instead.
 */
export async function cliEntry(useTsx: boolean): Promise<string[]> {
  if (useTsx) return TSX_CLI;
  const dir = join(ROOT, 'node_modules', '.cache', 'taxsync-soak');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(ROOT, 'electron', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return [outfile];
}
