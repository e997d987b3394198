import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` on the Node the project declares prints no EBADENGINE: every package the lock file installs says it
 * supports the oldest Node the README and package.json name (a package that needs a newer one is a warning on
 * every install, and may not work at all).
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('the project declares a Node range with a lowest version', () => {
    expect(oldest).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it(`every installed package supports Node ${oldest}, the oldest the project declares`, () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, p]) => {
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        if (!range) return [];
        return semver.satisfies(oldest, range, { includePrerelease: true })
          ? []
          : [`${path.replace(/^.*node_modules\//, '')}@${p.version} needs Node ${range}`];
      });
    expect(refusing).toEqual([]);
  });

  it('the check can fail: a package needing Node 24 is refused', () => {
    expect(semver.satisfies(oldest, '>=24.0.0')).toBe(false);
  });

  it('the project declares the Node Electron needs (its lock-file entry names the range)', () => {
    const electron = lock.packages['node_modules/electron'];
    const range = Array.isArray(electron?.engines) ? undefined : electron?.engines?.node;
    expect(range).toBeTruthy();
    expect(semver.subset(pkg.engines.node, range!)).toBe(true);
  });
});
