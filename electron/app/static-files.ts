import { existsSync, statSync } from 'node:fs';
import { extname, normalize, resolve, sep } from 'node:path';

/**
 * Serving the built renderer, shared by the desktop's app:// protocol and the browser host: the strict CSP
 * (checklist item 7), content types, and a path that can never leave the renderer folder.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The file a URL path names inside `root`, with its headers; undefined when there is none (or it escapes). */
export function resolveStaticFile(
  root: string,
  pathname: string,
): { file: string; headers: Record<string, string> } | undefined {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const relative = pathname === '/' ? 'index.html' : normalize(decoded).replace(/^([/\\])+/, '');
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return {
    file,
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
    },
  };
}
