import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The layers the code may not cross (design: an import only ever points down), checked on every file's
 * imports: `npm run lint` runs it. Ground floor first:
 *
 *   shared/                        contract, domain, money, dates, reasons
 *   electron/connectors, store     requests and answers; durable bytes
 *   electron/engine, month         core: decisions and classification (pure); engine never imports month
 *   electron/jobs                  carry decisions out through one recorder
 *   electron/app                   job queue, workspace, handlers, scheduler, settings
 *   electron/cli, desktop, entry   entry points (cli.ts, main.ts, preload.ts, web-host.ts)
 *   electron/sandbox               stands apart: servers the demo and tests start (imports shared only, plus
 *                                  the connectors' types); only app/, cli/ and the entry points start them
 *   renderer/                      knows only shared/ and itself
 *
 * and no import cycle anywhere.
 */
export type Layer =
  | 'shared'
  | 'io'
  | 'core-engine'
  | 'core-month'
  | 'jobs'
  | 'report'
  | 'app'
  | 'entry'
  | 'sandbox'
  | 'renderer';

const RANK: Record<Layer, number> = {
  shared: 0,
  io: 1,
  'core-engine': 2,
  'core-month': 3,
  report: 3,
  jobs: 4,
  app: 5,
  entry: 6,
  sandbox: 1,
  renderer: 9,
};

export function layerOf(file: string): Layer | undefined {
  const f = file.split(sep).join('/');
  if (f.startsWith('shared/')) return 'shared';
  if (f.startsWith('renderer/')) return 'renderer';
  if (/^electron\/(connectors|store)\//.test(f)) return 'io';
  if (f.startsWith('electron/engine/')) return 'core-engine';
  if (f.startsWith('electron/month/')) return 'core-month';
  if (f.startsWith('electron/report/')) return 'report';
  if (f.startsWith('electron/jobs/')) return 'jobs';
  if (f.startsWith('electron/app/')) return 'app';
  if (f.startsWith('electron/sandbox/')) return 'sandbox';
  if (/^electron\/(cli|desktop)\//.test(f) || /^electron\/[^/]+\.ts$/.test(f)) return 'entry';
  return undefined;
}

/** Why `from` may not import `to`, or undefined when it may. */
export function refusal(from: string, to: string): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (!a || !b || a === b) return undefined;
  if (a === 'renderer') return b === 'shared' ? undefined : 'the renderer knows only shared/ and window.api';
  if (b === 'renderer') return 'nothing in main imports the renderer';
  if (a === 'sandbox')
    return b === 'shared' || (b === 'io' && /^electron\/connectors\/.*types\.ts$/.test(to.split(sep).join('/')))
      ? undefined
      : 'the sandboxes stand apart: they import shared/ (and the connectors’ types) only';
  if (b === 'sandbox')
    return a === 'app' || a === 'entry' ? undefined : 'only app/, cli/ and the entry points start the sandboxes';
  if (a === 'core-engine' && b === 'core-month') return 'engine/ never imports month/';
  if (RANK[b] > RANK[a]) return `${b} is above ${a}: an import only ever points down`;
  return undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a source file, resolved to repository paths (`.js` written for `.ts`). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    out.push(
      normalize(join(dirname(file), spec))
        .replace(/\.js$/, '.ts')
        .replace(/\.jsx$/, '.tsx'),
    );
  }
  return out;
}

/** Import cycles among the files (Tarjan's strongly connected components of more than one file). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules') return [];
      return statSync(join(root, path)).isDirectory() ? walk(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
    });
  return dirs.flatMap(walk);
}

/** Files that may write ledger rows and audit entries: the store itself and the one recorder. */
const WRITERS = [
  /^electron\/store\//,
  /^electron\/engine\/recorder\.ts$/,
  // Builds a synthetic data folder for the bench and the browser suite's big grid: no run, no services.
  /^electron\/app\/bulk-fixture\.ts$/,
];

/** Why a file may not write records itself, or undefined: every row and entry goes through the recorder. */
export function writerProblem(file: string, text: string): string | undefined {
  const f = file.split(sep).join('/');
  if (WRITERS.some((w) => w.test(f))) return undefined;
  const m = /\.(audit\.append|ledger\.put)\(/.exec(text);
  return m
    ? `${f} calls ${m[1]}: ledger rows and audit entries are written by electron/engine/recorder.ts only`
    : undefined;
}

/** Every problem of the tree, in words: layer crossings (file → import: why) and cycles. */
export function checkTree(root: string): string[] {
  const files = sourceFiles(root, ['electron', 'shared', 'renderer/src']);
  const graph = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const imports = importsOf(file, text);
    const writer = writerProblem(file, text);
    if (writer) problems.push(writer);
    graph.set(file, imports);
    for (const to of imports) {
      const why = refusal(file, to);
      if (why) problems.push(`${file} imports ${relative('.', to)}: ${why}`);
    }
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(' → ')}`);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkTree(process.cwd());
  for (const p of problems) process.stderr.write(`${p}\n`);
  if (problems.length > 0) {
    process.stderr.write(`\n${problems.length} layering problems (see scripts/lint/layers.ts)\n`);
    process.exit(1);
  }
  process.stdout.write('layers: every import points down, no cycles\n');
}
