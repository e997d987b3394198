import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { electronBinaryPresent, fetchElectronBinary, shortReason } from '../../scripts/electron-binary.mjs';

/** A node_modules/electron whose install script fails as it does offline (Electron's prints `err.stack`). */
function offlineElectron(stack: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'electron-'));
  writeFileSync(join(dir, 'install.js'), `console.error(${JSON.stringify(stack)}); process.exit(1);\n`);
  return dir;
}

const FETCH_FAILED = `TypeError: fetch failed
    at node:internal/deps/undici/undici:13502:13
    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)
    at async downloadArtifact (/x/node_modules/@electron/get/dist/index.js:1:1) {
  [cause]: Error: getaddrinfo ENOTFOUND github.com
      at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26) {
    errno: -3008,
    code: 'ENOTFOUND',
    syscall: 'getaddrinfo',
    hostname: 'github.com'
  }
}`;

describe('npm start: the Electron binary', () => {
  it('offline: one reason in words, no stack trace', () => {
    const dir = offlineElectron(FETCH_FAILED);
    const result = fetchElectronBinary(dir);
    expect(result).toEqual({ ok: false, reason: 'getaddrinfo ENOTFOUND github.com' });
    expect(electronBinaryPresent(dir)).toBe(false);
  });

  it('a failure without a network cause gives its first line, without the error class', () => {
    expect(shortReason('Error: EACCES: permission denied, mkdir /root/.cache\n    at mkdirSync (node:fs:1:1)')).toBe(
      'EACCES: permission denied, mkdir /root/.cache',
    );
    expect(shortReason('')).toBe('the install script failed without saying why');
  });

  it('a binary already in place is found, and fetching says ok', () => {
    const dir = mkdtempSync(join(tmpdir(), 'electron-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    writeFileSync(join(dir, 'path.txt'), 'electron');
    writeFileSync(join(dir, 'install.js'), 'process.exit(0);\n');
    expect(electronBinaryPresent(dir)).toBe(true);
    expect(fetchElectronBinary(dir)).toEqual({ ok: true });
  });
});
