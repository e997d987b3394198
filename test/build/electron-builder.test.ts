import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = parse(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8'));

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own schema", async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validator rejects what electron-builder would (so the check can fail)', async () => {
    await expect(
      validateConfiguration({ ...structuredClone(config), nsis: { oneClick: 'sometimes' } }, new DebugLogger(false)),
    ).rejects.toThrow(/configuration/i);
  });

  it('packages what a finance team needs: per-user NSIS keeping data, hardened dmg, AppImage and deb, fuses', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, deleteAppDataOnUninstall: false });
    expect(config.mac).toMatchObject({ hardenedRuntime: true, category: 'public.app-category.finance' });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.files).toContain('out/**');
  });

  it('sets every fuse, for every platform: no Node mode, no NODE_OPTIONS or inspector, app only from an intact ASAR', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    // All code in app.asar: nothing unpacked beside it, the integrity hash not skipped.
    expect(config.asar).toBe(true);
    expect(config).not.toHaveProperty('asarUnpack');
    expect(config).not.toHaveProperty('disableAsarIntegrity');
    for (const platform of ['win', 'mac', 'linux']) {
      expect(config[platform], platform).not.toHaveProperty('asar');
      expect(config[platform], platform).not.toHaveProperty('asarUnpack');
    }
  });

  it('npm run dist checks the packaged binaries afterwards, the Linux ones included', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.dist).toMatch(/electron-builder && tsx scripts\/check-fuses\.ts$/);
  });
});
