import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/**
 * Run after electron-builder (`npm run dist`): reads the fuse wire of every packaged Electron binary in
 * dist/ and fails unless each fuse is as electron-builder.yml sets it, and unless all the app's code is
 * inside resources/app.asar.
 *
 * Why this matters most for Linux: Electron checks an ASAR's integrity only on macOS and Windows, where the
 * expected hash sits in the signed Info.plist or executable. Linux has no code signature for it to lean on,
 * so there the EnableEmbeddedAsarIntegrityValidation fuse does nothing. What protects a Linux install is
 * that the code is in app.asar (onlyLoadAppFromAsar), inside a read-only AppImage or a root-owned deb, and
 * that the binary refuses the ways in: ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect. This check makes
 * sure those fuses really are flipped in the Linux binary, as in the others.
 */

/** The fuses in their order on Electron's V1 wire (@electron/fuses, FuseV1Options). */
export const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSE_ORDER)[number];
export type FuseState = 'on' | 'off' | 'removed';

/** Marks the fuse wire in every Electron binary since 12. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const STATES: Record<number, FuseState> = { 48: 'off', 49: 'on', 114: 'removed' };

/** The fuse wire after the (first) sentinel: one state per fuse; undefined when the file has none. */
export function readFuseWire(binary: Buffer): FuseState[] | undefined {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at === -1) return undefined;
  const wire = at + FUSE_SENTINEL.length;
  if (binary[wire] !== 1) return undefined;
  const length = binary[wire + 1] ?? 0;
  return [...binary.subarray(wire + 2, wire + 2 + length)].map((b) => STATES[b] ?? 'removed');
}

/** Every way the binary differs from what the config wants, in words. */
function compareFuses(where: string, wire: FuseState[], wanted: Partial<Record<FuseName, boolean>>): string[] {
  const problems: string[] = [];
  FUSE_ORDER.forEach((name, index) => {
    const want = wanted[name];
    if (want === undefined) return;
    const state = wire[index];
    if (state === undefined) {
      problems.push(`${where}: the binary has no ${name} fuse (its wire has ${wire.length})`);
    } else if (state !== (want ? 'on' : 'off')) {
      problems.push(`${where}: ${name} is ${state}, electron-builder.yml wants it ${want ? 'on' : 'off'}`);
    }
  });
  return problems;
}

/** The files of an unpacked Linux or Windows app that may be its Electron binary. */
function binaryCandidates(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((file) => {
      const stat = statSync(file);
      return stat.isFile() && (file.endsWith('.exe') || (stat.mode & 0o111) !== 0);
    });
}

/** The Electron binaries of each app electron-builder left in `dist`: linux-unpacked, win-unpacked, mac*. */
function packagedApps(dist: string): { dir: string; binaries: string[] }[] {
  if (!existsSync(dist)) return [];
  const apps: { dir: string; binaries: string[] }[] = [];
  for (const name of readdirSync(dist)) {
    const dir = join(dist, name);
    if (!statSync(dir).isDirectory()) continue;
    if (/^(linux|win)(-[a-z0-9]+)?-unpacked$/.test(name)) apps.push({ dir, binaries: binaryCandidates(dir) });
    else if (/^mac/.test(name)) {
      for (const bundle of readdirSync(dir).filter((f) => f.endsWith('.app'))) {
        const framework = join(dir, bundle, 'Contents/Frameworks/Electron Framework.framework/Electron Framework');
        apps.push({ dir: join(dir, bundle, 'Contents'), binaries: existsSync(framework) ? [framework] : [] });
      }
    }
  }
  return apps;
}

/** Checks every packaged app under `dist` against the wanted fuses; lists what was checked and what is wrong. */
export function checkPackagedApps(
  dist: string,
  wanted: Partial<Record<FuseName, boolean>>,
): { checked: string[]; problems: string[] } {
  const apps = packagedApps(dist);
  if (apps.length === 0)
    return { checked: [], problems: ['no packaged app in the output folder: run electron-builder first'] };
  const checked: string[] = [];
  const problems: string[] = [];
  for (const app of apps) {
    const where = relative(dist, app.dir);
    const found = app.binaries
      .map((file) => ({ file, wire: readFuseWire(readFileSync(file)) }))
      .filter((b): b is { file: string; wire: FuseState[] } => b.wire !== undefined);
    if (found.length === 0) problems.push(`${where}: no Electron binary with fuses found`);
    for (const { file, wire } of found) {
      checked.push(relative(dist, file));
      problems.push(...compareFuses(relative(dist, file), wire, wanted));
    }
    const resources = join(app.dir, existsSync(join(app.dir, 'Resources')) ? 'Resources' : 'resources');
    for (const outside of ['app', 'app.asar.unpacked', 'default_app.asar']) {
      if (existsSync(join(resources, outside)))
        problems.push(
          `${where}: ${relative(app.dir, join(resources, outside))} holds code outside the checked archive`,
        );
    }
  }
  return { checked, problems };
}

const isEntry = process.argv[1] && /check-fuses\.[cm]?[jt]s$/.test(process.argv[1]);
if (isEntry) {
  const config = parse(readFileSync('electron-builder.yml', 'utf8'));
  const dist = config.directories?.output ?? 'dist';
  const { checked, problems } = checkPackagedApps(dist, config.electronFuses ?? {});
  for (const p of problems) console.error(`fuse check: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log(`fuse check: ${checked.join(', ')}: every fuse as electron-builder.yml sets it, code only in app.asar`);
}
