import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../electron/app/handlers.js';
import { createRouter, type IpcMainLike, registerIpc } from '../../electron/app/ipc-router.js';
import type { SenderFrame } from '../../electron/app/sender-guard.js';
import { isExternalHttps, isTrustedSenderUrl } from '../../electron/app/url-guards.js';
import { ConfigurationError } from '../../electron/engine/errors.js';
import { type Channel, IPC_INPUTS } from '../../shared/ipc.js';

type Spies = Handlers & Record<string, ReturnType<typeof vi.fn>> & Record<Channel, ReturnType<typeof vi.fn>>;

function fakeHandlers(): Spies {
  const h: Record<string, ReturnType<typeof vi.fn>> = {};
  for (const channel of Object.keys(IPC_INPUTS)) h[channel] = vi.fn(async (input: unknown) => ({ echo: input }));
  return h as never;
}

/** A stand-in for Electron's WebFrameMain: what the IPC guard reads. */
function frame(url: string, parent: SenderFrame | null, token: number): SenderFrame {
  return { url, parent, processId: 7, frameToken: `token-${token}`, detached: false };
}

/** An IPC event sent by the main (top) frame of its window. */
function mainFrameEvent(url: string) {
  const top = frame(url, null, 1);
  return { senderFrame: top, sender: { mainFrame: top } };
}

/** Inputs every channel must refuse. */
const MALFORMED: Record<Channel, unknown[]> = {
  'app:status': ['x', 42, [], { extra: 1 }],
  'sync:run-now': [null, 'now', { force: true }],
  'sync:cancel': [{ all: true }, 7],
  'documents:list': [
    { state: 'deleted' },
    { search: 'x'.repeat(101) },
    { country: 'Sweden' },
    { currency: 'kr' },
    { dateFrom: '1/11/2026' },
    { states: ['posted', 'nope'] },
    { limit: 10 },
  ],
  'documents:get': [{}, { key: 'order:1' }, { key: 'invoice:' }, { key: 42 }, { key: 'invoice:1', x: 1 }],
  'documents:reprocess': [
    {},
    { references: [] },
    { references: ['260001; rm -rf /'] },
    { references: 'all' },
    { references: Array(501).fill('1') },
    { references: [''] },
  ],
  'address:fix': [
    {},
    { customerNumber: '10001' },
    { customerNumber: '10001', address: { line1: '', city: 'x', postalCode: '1', country: 'SE' } },
    { customerNumber: '10001', address: { line1: 'a', city: 'x', postalCode: '123456789012', country: 'SE' } },
    { customerNumber: '10001', address: { line1: 'a', city: 'x', postalCode: '1', country: 'Sweden' } },
    { customerNumber: '', address: { line1: 'a', city: 'x', postalCode: '1', country: 'SE' } },
    { customerNumber: '10001', vatNumber: 'DE'.repeat(13) },
  ],
  'visma:vat-lists': [{ all: true }, 'x'],
  'documents:export-view': [
    {},
    { sort: { column: 'date', direction: 'desc' } },
    { sort: { column: 'hash', direction: 'desc' }, columns: ['date'] },
    { sort: { column: 'date', direction: 'up' }, columns: ['date'] },
    { sort: { column: 'date', direction: 'desc' }, columns: [] },
    { sort: { column: 'date', direction: 'desc' }, columns: ['date', 'password'] },
    { sort: { column: 'date', direction: 'desc' }, columns: ['date'], out: '/etc' },
    { sort: { column: 'date', direction: 'desc' }, columns: ['date'], delimiter: '\t' },
  ],
  'documents:accept': [
    {},
    { reference: '260001' },
    { reference: '260001', reason: '' },
    { reference: '260001', reason: 'x'.repeat(501) },
  ],
  'documents:adjust': [{}, { reason: 'because' }, { reference: ['260001'], reason: 'because' }],
  'audit:months': [{ month: '2026-11' }],
  'audit:list': [{}, { month: '2026-13' }, { month: '11/2026' }, { month: '2026-11', action: 'x'.repeat(41) }],
  'audit:export-month': [
    {},
    { month: '2026-00' },
    { month: '2026-11', delimiter: '\t' },
    { month: '2026-11', out: '/etc' },
  ],
  'settings:get': [{ reveal: true }],
  'settings:save': [
    {},
    { settings: {}, secrets: { vismaClientSecret: '' } },
    { settings: {}, secrets: { password: 'x' } },
    { settings: {}, secrets: { avalaraLicenseKey: 'k'.repeat(501) } },
  ],
  'connection:test': [{}, { target: 'sftp' }, { target: 'visma', secret: '' }, { target: 'avatax', host: 'evil' }],
  'month:reconcile': [{}, { month: '2026-13' }, { month: '2026-11', out: '/tmp' }],
  'month:export-reconciliation': [{}, { month: '2026-11', delimiter: '|' }, { month: '2026-11', dir: '/etc' }],
  'month:vat-report': [{}, { month: 'November' }, { month: '2026-11', out: '/etc' }],
  'month:close': [
    {},
    { month: '2026-11', note: 'x'.repeat(501) },
    { month: '2026-11', by: 'someone else' },
    { month: '2026-11', note: '\u200b\u200d\ufeff' },
  ],
  'month:reopen': [
    { month: '2026-11' },
    { month: '2026-11', reason: ' ' },
    { month: '2026-11', reason: 'x'.repeat(501) },
    // Issue 15 #7: a reason of zero-width spaces says nothing.
    { month: '2026-11', reason: '\u200b\u200b\u200b\u200b' },
  ],
  'month:void': [
    { code: 'VN-INV-260001' },
    { code: 'VN-INV-260001', reason: 'no' },
    { code: '../etc/passwd', reason: 'because' },
    { code: 'VN INV 1; drop', reason: 'because' },
  ],
  'month:acknowledge-changes': [{}, { month: '2026-1' }],
  'data:repair': [{}, { month: '0000-01' }, { month: '../2026-11' }, { month: '2026-11', force: true }],
  'month:demo-release': [{}, { reference: '260001' }, { reference: '260001', kind: 'order' }, { kind: 'invoice' }],
  'month:dry-run': [
    {},
    { from: '2026-11-01' },
    { from: '2026-11-30', to: '2026-11-01' },
    { from: '2026-02-30', to: '2026-03-01' },
    { customer: '' },
    { unreleased: 'yes' },
  ],
  'month:backfill-start': [
    {},
    { from: '2020-01-01', to: '2026-11-30' },
    { from: '2026-11-01', to: '2026-11-30', perMinute: 0 },
    { from: '2026-11-01', to: '2026-11-30', perMinute: 1001 },
  ],
  'month:backfill-resume': [{ perMinute: 1.5 }, { from: '2026-11-01' }],
  'month:backfill-pause': [{ now: true }, 'x'],
  'month:backfill-status': [{ id: '1' }],
};

describe('the IPC wrapper', () => {
  it('covers every channel of the contract', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual(Object.keys(IPC_INPUTS).sort());
  });

  for (const [channel, inputs] of Object.entries(MALFORMED)) {
    it(`rejects every malformed input of ${channel} without calling the handler`, async () => {
      const handlers = fakeHandlers();
      const route = createRouter(handlers);
      for (const input of inputs) {
        const result = await route(channel, input);
        expect(result.ok, JSON.stringify(input)).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid-input');
          expect(result.error.issues?.length).toBeGreaterThan(0);
        }
      }
      expect(handlers[channel]).not.toHaveBeenCalled();
    });
  }

  it('passes parsed, normalised input to the handler', async () => {
    const handlers = fakeHandlers();
    const route = createRouter(handlers);
    const result = await route('address:fix', {
      customerNumber: ' 10001 ',
      address: { line1: ' Storgatan 4 ', city: 'Malmö', postalCode: '211 34', country: 'se' },
    });
    expect(result.ok).toBe(true);
    expect(handlers['address:fix']).toHaveBeenCalledWith({
      customerNumber: '10001',
      address: { line1: 'Storgatan 4', city: 'Malmö', postalCode: '211 34', country: 'SE' },
    });
  });

  it('refuses unknown channels, and prototype keys', async () => {
    const route = createRouter(fakeHandlers());
    for (const channel of ['shell:open', '__proto__', 'constructor', 'toString']) {
      const result = await route(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('turns handler failures into typed errors the UI can show', async () => {
    const handlers = fakeHandlers();
    handlers['sync:run-now'].mockRejectedValueOnce(
      new ConfigurationError('Visma Connect refused the token request (invalid_client)'),
    );
    handlers['documents:list'].mockRejectedValueOnce(new Error('disk full'));
    const route = createRouter(handlers);
    expect(await route('sync:run-now', {})).toEqual({
      ok: false,
      error: { code: 'configuration', message: 'Visma Connect refused the token request (invalid_client)' },
    });
    expect(await route('documents:list', {})).toEqual({ ok: false, error: { code: 'failed', message: 'disk full' } });
  });

  it('registers every channel and refuses a bad sender before parsing anything', async () => {
    const registered = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    const handlers = fakeHandlers();
    registerIpc({ handle: (channel, listener) => registered.set(channel, listener) }, createRouter(handlers));
    expect([...registered.keys()].sort()).toEqual(Object.keys(IPC_INPUTS).sort());
    const listener = registered.get('sync:run-now')!;
    for (const url of [
      'https://evil.example/',
      'file:///tmp/x.html',
      'app://evil/index.html',
      'app://user:pw@taxsync/',
      'http://127.0.0.1:5173/',
    ]) {
      expect(await listener(mainFrameEvent(url), {}), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await listener({ senderFrame: null }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers['sync:run-now']).not.toHaveBeenCalled();
    expect(await listener(mainFrameEvent('app://taxsync/index.html'), {})).toMatchObject({ ok: true });
  });

  it('answers only the top frame of the window: an app://taxsync iframe or a frame that is not the main one is refused', async () => {
    const registered = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
    const handlers = fakeHandlers();
    registerIpc({ handle: (channel, listener) => registered.set(channel, listener) }, createRouter(handlers));
    const listener = registered.get('settings:get')!;
    const top = frame('app://taxsync/index.html', null, 1);
    const child = frame('app://taxsync/index.html', top, 2);
    const otherTop = frame('app://taxsync/index.html', null, 3);
    const refused = [
      { what: 'an iframe of our own page', event: { senderFrame: child, sender: { mainFrame: top } } },
      {
        what: 'a parentless frame that is not the main frame',
        event: { senderFrame: otherTop, sender: { mainFrame: top } },
      },
      { what: 'a frame without its web contents', event: { senderFrame: top } },
      {
        what: 'a frame already detached',
        event: { senderFrame: { ...top, detached: true }, sender: { mainFrame: top } },
      },
    ];
    for (const { what, event } of refused) {
      expect(await listener(event, {}), what).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(handlers['settings:get']).not.toHaveBeenCalled();
    expect(await listener({ senderFrame: top, sender: { mainFrame: top } }, {})).toMatchObject({ ok: true });
  });

  it('parses URLs instead of matching prefixes', () => {
    expect(isTrustedSenderUrl('app://taxsync/index.html#/x')).toBe(true);
    expect(isTrustedSenderUrl('app://taxsync.evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('not a url')).toBe(false);
    expect(isExternalHttps('https://status.avalara.com/')).toBe(true);
    expect(isExternalHttps('http://status.avalara.com/')).toBe(false);
    expect(isExternalHttps('https://user:pw@x.example/')).toBe(false);
    expect(isExternalHttps('file:///etc/passwd')).toBe(false);
  });
});
