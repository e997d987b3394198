import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('allows no inline style or script: style-src and script-src are self only', () => {
    const directives = parsePolicy(CSP);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/unsafe-/);
  });

  it("the page's own meta policy says the same (a meta cannot carry frame-ancestors)", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const fromHeader = parsePolicy(CSP);
    fromHeader.delete('frame-ancestors');
    expect(parsePolicy(meta!)).toEqual(fromHeader);
  });
});

function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values);
  }
  return directives;
}
