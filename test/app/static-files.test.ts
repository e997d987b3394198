import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP, resolveStaticFile } from '../../electron/app/static-files.js';
import { tempDir } from '../helpers/engine.js';

describe('serving the built renderer (app:// and browser mode)', () => {
  const root = join(tempDir('taxsync-static-'), 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'app.js'), '');
  writeFileSync(join(root, '..', 'secret.txt'), 'outside');

  it('serves files inside the folder with the CSP and a content type', () => {
    expect(resolveStaticFile(root, '/')).toMatchObject({
      file: join(root, 'index.html'),
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      },
    });
    expect(resolveStaticFile(root, '/assets/app.js')?.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never leaves the folder and refuses what is not a file', () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/assets',
      '/missing.js',
      '/%E0%A4%A',
    ]) {
      expect(resolveStaticFile(root, path), path).toBeUndefined();
    }
  });
});
