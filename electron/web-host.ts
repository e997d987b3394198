import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventName, IpcEvents } from '../shared/ipc-channels.js';
import { addBulkDocuments } from './app/bulk-fixture.js';
import { AppController } from './app/controller.js';
import { createHandlers } from './app/handlers.js';
import { createRouter } from './app/ipc-router.js';
import { JsonFileStore, MemoryStore } from './app/kv-store.js';
import { defaultDataDir } from './app/paths.js';
import { SecretsVault } from './app/secrets-vault.js';
import { SettingsRepository } from './app/settings-repo.js';
import { resolveStaticFile } from './app/static-files.js';
import { EphemeralCipher } from './app/web-cipher.js';
import { openDemoWorkspace } from './app/workspace.js';

/**
 * Browser mode: serves the built renderer and the *same* IPC handlers over loopback (random port, a per-start
 * token), on the demo sandboxes, so the UI runs in any browser against the real engine. For development and
 * the Playwright tests; the desktop app never opens a port.
 */

export interface WebHost {
  url: string;
  token: string;
  dataDir: string;
  controller: AppController;
  close(): Promise<void>;
}

export async function startWebHost(
  options: {
    dataDir?: string;
    rendererDir?: string;
    port?: number;
    bulk?: number;
    forceDemo?: boolean;
    /** The app's clock (tests start it on a fixed day; default: the computer's). */
    now?: () => Date;
  } = {},
): Promise<WebHost> {
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'taxsync-web-')));
  const rendererDir = resolve(options.rendererDir ?? 'out/renderer');
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error(`No built renderer in ${rendererDir}: run npm run build first`);
  const token = randomBytes(24).toString('base64url');
  const clients = new Set<ServerResponse>();
  const emit = <E extends EventName>(event: E, payload: IpcEvents[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of clients) c.write(frame);
  };
  const controller = new AppController({
    dataDir,
    settings: new SettingsRepository(new JsonFileStore(join(dataDir, 'settings.json'), 0o600)),
    // Secrets typed in browser mode live in this process only: the data folder may be the desktop app's, whose
    // secrets.json (safeStorage) must never be overwritten with what a per-process key encrypted.
    vault: new SecretsVault(new MemoryStore(), new EphemeralCipher()),
    emit,
    forceDemo: options.forceDemo ?? true,
    lockCommand: 'the app in browser mode (npm start or npm run dev:web)',
    now: options.now,
    workspace: options.bulk
      ? async () => {
          const now = options.now ?? (() => new Date());
          const ws = await openDemoWorkspace({ dataDir, now });
          if (ws.store.ledger.size < options.bulk!) await addBulkDocuments(ws.store, options.bulk!, now());
          return ws;
        }
      : undefined,
  });
  await controller.start();
  const router = createRouter(createHandlers(controller));

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Internal error: ${(error as Error).message}`);
    });
  });

  // The token only ever comes in a header: an address with it would end up in the history, logs and Referer.
  const authorised = (req: IncomingMessage) => {
    const given = String(req.headers['x-taxsync-token'] ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { port } = server.address() as AddressInfo;
    // DNS-rebinding guard: only our own loopback host name.
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      res.writeHead(421).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/ipc/') && req.method === 'POST') {
      if (!authorised(req))
        return json(res, 403, {
          ok: false,
          error: { code: 'forbidden', message: 'Missing or wrong token (it goes in the x-taxsync-token header)' },
        });
      const body = await readBody(req, 1024 * 1024);
      let input: unknown;
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        return json(res, 400, { ok: false, error: { code: 'invalid-input', message: 'Body is not JSON' } });
      }
      const channel = decodePart(url.pathname.slice(5));
      if (channel === undefined)
        return json(res, 400, {
          ok: false,
          error: { code: 'invalid-input', message: 'The channel name in the address is not valid' },
        });
      return json(res, 200, await router(channel, input));
    }
    if (url.pathname === '/events' && req.method === 'GET') {
      if (!authorised(req)) return void res.writeHead(403).end();
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname.startsWith('/exports/') && req.method === 'GET') {
      if (!authorised(req)) return void res.writeHead(403).end();
      const name = decodePart(url.pathname.slice(9));
      if (name === undefined) return void res.writeHead(400).end();
      const file = join(controller.workspace.dataDir, 'exports', basename(name));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${basename(file)}"`,
      });
      res.end(readFileSync(file));
      return;
    }
    if (req.method !== 'GET') return void res.writeHead(405).end();
    const found = resolveStaticFile(rendererDir, url.pathname);
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { ...found.headers, 'cache-control': 'no-store' });
    res.end(readFileSync(found.file));
  }

  await new Promise<void>((r) => server.listen(options.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    dataDir,
    controller,
    async close() {
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await controller.close();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A path segment decoded, or undefined when its % escapes are broken (decodeURIComponent would throw). */
function decodePart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('Request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const isEntry =
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(import.meta.filename).replace(/\.[cm]?[jt]s$/, '');
if (isEntry) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      bulk: { type: 'string' },
    },
  });
  startWebHost({
    port: values.port ? Number(values.port) : 0,
    // The same data folder as the desktop app and the CLI (tests pass a temporary one): the demo company of
    // `npm run cli -- sync --demo` is the one this page shows, and the settings saved here are theirs too.
    dataDir: values['data-dir'] ?? defaultDataDir(),
    rendererDir: values['renderer-dir'],
    bulk: values.bulk ? Number(values.bulk) : undefined,
  }).then(
    (host) => {
      process.stdout.write(
        `Visma–Avalara Tax Sync (browser mode, demo company)\nOpen ${host.url}\nData: ${host.dataDir} (the demo company in ${join(host.dataDir, 'demo')}, shared with npm run cli -- … --demo)\nPress Ctrl+C to stop.\n`,
      );
      const stop = () => void host.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (error) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
