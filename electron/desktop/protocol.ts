import { readFileSync } from 'node:fs';
import { protocol } from 'electron';
import { resolveStaticFile } from '../app/static-files.js';

export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from app://taxsync/ with the CSP header (checklist items 7 and 18). */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    if (url.host !== 'taxsync') return new Response('Not found', { status: 404 });
    const found = resolveStaticFile(rendererDir, url.pathname);
    if (!found) return new Response('Not found', { status: 404 });
    return new Response(readFileSync(found.file), { headers: found.headers });
  });
}
