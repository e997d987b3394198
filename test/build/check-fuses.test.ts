import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackagedApps, FUSE_SENTINEL, readFuseWire } from '../../scripts/check-fuses.js';
import { tempDir } from '../helpers/engine.js';

const WANTED = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};
/** The wire electron-builder writes for WANTED, one ASCII '0' / '1' per fuse in Electron's order. */
const FLIPPED = '01001100';

/** A stand-in for an Electron binary: some bytes, the fuse sentinel, wire version 1, its length, the wire. */
function fakeElectron(wire: string): Buffer {
  return Buffer.concat([
    Buffer.from('\x7fELF....padding'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.from('....more code'),
  ]);
}

/** dist/linux-unpacked as electron-builder leaves it. */
function linuxPackage(wire: string | undefined, extra: (dir: string) => void = () => undefined): string {
  const dist = tempDir('taxsync-dist-');
  const dir = join(dist, 'linux-unpacked');
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'resources', 'app.asar'), 'asar');
  const binary = join(dir, 'visma-avalara-tax-sync');
  writeFileSync(binary, wire === undefined ? Buffer.from('no sentinel here') : fakeElectron(wire));
  chmodSync(binary, 0o755);
  writeFileSync(join(dir, 'chrome-sandbox'), 'helper');
  chmodSync(join(dir, 'chrome-sandbox'), 0o755);
  writeFileSync(join(dir, 'libffmpeg.so'), 'library');
  extra(dir);
  return dist;
}

describe('the fuse check after packaging', () => {
  it('reads the fuse wire of an Electron binary', () => {
    expect(readFuseWire(fakeElectron('01r0'))).toEqual(['off', 'on', 'removed', 'off']);
    expect(readFuseWire(Buffer.from('no sentinel'))).toBeUndefined();
  });

  it('passes a Linux package whose binary has every fuse as configured and its code only in app.asar', () => {
    expect(checkPackagedApps(linuxPackage(FLIPPED), WANTED)).toEqual({
      checked: ['linux-unpacked/visma-avalara-tax-sync'],
      problems: [],
    });
  });

  it('fails a binary whose fuses were not flipped, naming each one', () => {
    const { problems } = checkPackagedApps(linuxPackage('10111011'), WANTED);
    expect(problems).toEqual([
      'linux-unpacked/visma-avalara-tax-sync: runAsNode is on, electron-builder.yml wants it off',
      'linux-unpacked/visma-avalara-tax-sync: enableCookieEncryption is off, electron-builder.yml wants it on',
      'linux-unpacked/visma-avalara-tax-sync: enableNodeOptionsEnvironmentVariable is on, electron-builder.yml wants it off',
      'linux-unpacked/visma-avalara-tax-sync: enableNodeCliInspectArguments is on, electron-builder.yml wants it off',
      'linux-unpacked/visma-avalara-tax-sync: onlyLoadAppFromAsar is off, electron-builder.yml wants it on',
      'linux-unpacked/visma-avalara-tax-sync: loadBrowserProcessSpecificV8Snapshot is on, electron-builder.yml wants it off',
      'linux-unpacked/visma-avalara-tax-sync: grantFileProtocolExtraPrivileges is on, electron-builder.yml wants it off',
    ]);
  });

  it('fails a package without an Electron binary, with code outside app.asar, or with nothing packaged at all', () => {
    expect(checkPackagedApps(linuxPackage(undefined), WANTED).problems).toEqual([
      'linux-unpacked: no Electron binary with fuses found',
    ]);
    const unpacked = linuxPackage(FLIPPED, (dir) => mkdirSync(join(dir, 'resources', 'app.asar.unpacked')));
    expect(checkPackagedApps(unpacked, WANTED).problems).toEqual([
      'linux-unpacked: resources/app.asar.unpacked holds code outside the checked archive',
    ]);
    const folder = linuxPackage(FLIPPED, (dir) => mkdirSync(join(dir, 'resources', 'app')));
    expect(checkPackagedApps(folder, WANTED).problems).toEqual([
      'linux-unpacked: resources/app holds code outside the checked archive',
    ]);
    expect(checkPackagedApps(tempDir('taxsync-empty-dist-'), WANTED).problems).toEqual([
      'no packaged app in the output folder: run electron-builder first',
    ]);
  });

  it('refuses a fuse the config names that this Electron does not have', () => {
    const { problems } = checkPackagedApps(linuxPackage('0100'), WANTED);
    expect(problems).toContain(
      'linux-unpacked/visma-avalara-tax-sync: the binary has no onlyLoadAppFromAsar fuse (its wire has 4)',
    );
  });
});
