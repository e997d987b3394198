import * as fs from 'node:fs';
import { readdirSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildVatReport, vatReturnOf } from '../../electron/month/vat-report.js';
import { writeReconciliation, writeVatReport } from '../../electron/report/month-end-csv.js';
import { exportMonth } from '../../electron/report/month-export.js';
import { LogWriter, readLog } from '../../electron/store/append-log.js';
import { openStore, WriteFailedError } from '../../electron/store/index.js';
import { emptyBucketCounts, type Reconciliation } from '../../shared/month.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { ledgerDoc } from '../helpers/ledger.js';
import { expectClear } from './helpers.js';

/**
 * A full disk (ENOSPC), simulated: the write gets part of its bytes out and then fails, as a real one does.
 * The message names the file and says why in words; no temp file is left; what was written before stays whole,
 * and once there is room again the next write goes on as if nothing happened.
 */
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open) };
});
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync), writeFileSync: vi.fn(real.writeFileSync) };
});

const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
const realFsp = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
}

/** The next file handle opened writes half of what it is given, then fails with ENOSPC. */
function diskFullOnNextOpen(): void {
  vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
    const handle = await realFsp.open(...args);
    const write = handle.write.bind(handle) as (b: Buffer) => Promise<unknown>;
    (handle as unknown as { write: (b: Buffer) => Promise<never> }).write = async (buffer: Buffer) => {
      await write(buffer.subarray(0, Math.floor(buffer.length / 2)));
      throw enospc();
    };
    return handle;
  });
}

const temps = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.tmp'));

describe('a full disk', () => {
  afterEach(() => vi.clearAllMocks());

  it('an append that fails part-way names the file; the half line is cut off before the next append', async () => {
    const dir = tempDir();
    const file = join(dir, 'log.jsonl');
    const writer = new LogWriter(file, undefined);
    await writer.append(['{"n":1}']);
    diskFullOnNextOpen();
    const error = await writer.append(['{"n":2,"padding":"xxxxxxxxxxxxxxxxxxxxxxxx"}']).catch((e: Error) => e);
    expect(error).toBeInstanceOf(WriteFailedError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/the disk is full \(ENOSPC\)/);
    expectClear((error as Error).message);
    await writer.append(['{"n":3}']);
    expect((await readLog(file, (v) => v))?.records).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('the first append to a new file that fails part-way leaves no half line behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'fresh.jsonl');
    const writer = new LogWriter(file, undefined);
    diskFullOnNextOpen();
    await expect(writer.append(['{"n":1,"padding":"xxxxxxxxxxxxxxxxxxxx"}'])).rejects.toThrow(/fresh\.jsonl/);
    await writer.append(['{"n":2}']);
    expect((await readLog(file, (v) => v))?.records).toEqual([{ n: 2 }]);
  });

  it('a rewrite (compaction) that fails leaves the old file whole and no temp file', async () => {
    const dir = tempDir();
    const file = join(dir, 'month.jsonl');
    const writer = new LogWriter(file, undefined);
    await writer.append(['{"n":1}', '{"n":2}']);
    diskFullOnNextOpen();
    const error = await writer.replace(['{"n":2}']).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Could not write .*month\.jsonl: the disk is full \(ENOSPC\)/);
    expectClear((error as Error).message);
    expect(temps(dir)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });

  it('the one-off synchronous rewrite (a migration) that fails leaves no temp file and names the file', () => {
    const dir = tempDir();
    const file = join(dir, 'migrated.jsonl');
    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw enospc();
    });
    const error = (() => {
      try {
        LogWriter.writeSync(file, ['{"n":1}']);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/Could not write .*migrated\.jsonl: the disk is full/);
    expect(temps(dir)).toEqual([]);
    expect(realFs.existsSync(file)).toBe(false);
  });

  it('a checkpoint on a full disk fails with the file named; after it, nothing recorded is lost', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(ledgerDoc('1', '2026-11-01'));
    await store.checkpoint();
    await store.ledger.put(ledgerDoc('2', '2026-11-02'));
    diskFullOnNextOpen();
    const error = await store.checkpoint().catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Could not write .*\.jsonl: the disk is full \(ENOSPC\)/);
    expectClear((error as Error).message);
    await store.checkpoint();
    await store.close();
    const reopened = await openStore(dir, { now: testClock().now });
    expect((await reopened.ledger.all()).map((d) => d.referenceNumber).sort()).toEqual(['1', '2']);
    for (const m of reopened.audit.months()) expect((await reopened.audit.verify(m)).problems).toEqual([]);
    expect(temps(dir)).toEqual([]);
    await reopened.close();
  });

  it('the month-end CSV is written as it is made, in pieces: a big month never sits in memory as one string', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    for (let i = 1; i <= 4500; i++) await store.ledger.put(ledgerDoc(String(100000 + i), '2026-11-03'));
    const out = tempDir('taxsync-out-');
    vi.mocked(fs.writeSync).mockClear();
    vi.mocked(fs.writeFileSync).mockClear();
    const result = await exportMonth(store, '2026-11', out, ',', { runId: 'x', actor: 'user' });
    expect(result.documentRows).toBe(4500);
    // The BOM and header, then 2,000 rows at a time: never one write of the whole file.
    expect(vi.mocked(fs.writeSync).mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(vi.mocked(fs.writeFileSync)).not.toHaveBeenCalled();
    const csv = readFileSync(result.documentsFile, 'utf8');
    expect(csv.startsWith('\uFEFFdocument_type,')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + result.documentLines);
    await store.close();
  });

  it('the month-end CSV on a full disk: no half CSV, no temp file, the file named', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(ledgerDoc('1', '2026-11-01', { customerName: 'Åkesson & Söner AB' }));
    const out = tempDir('taxsync-out-');
    // The CSV's first piece gets half its bytes out, then the disk is full.
    vi.mocked(fs.writeSync).mockImplementationOnce(((fd: number, buffer: Buffer, offset: number, length: number) => {
      realFs.writeSync(fd, buffer, offset, Math.floor(length / 2));
      throw enospc();
    }) as unknown as typeof fs.writeSync);
    const error = await exportMonth(store, '2026-11', out, ',', { runId: 'x', actor: 'user' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Could not write .*audit-2026-11\.csv: the disk is full \(ENOSPC\)/);
    expectClear((error as Error).message);
    expect(readdirSync(out)).toEqual([]);
    const again = await exportMonth(store, '2026-11', out, ',', { runId: 'x', actor: 'user' });
    expect(readFileSync(again.documentsFile, 'utf8')).toContain('Åkesson & Söner AB');
    await store.close();
  });

  it('issue 15 #10: reconcile --out and vat-report on a full disk: no half CSV, no temp file, the file named', () => {
    const r = monthOf([]);
    for (const [writeTo, first] of [
      [(dir: string) => writeReconciliation(r, dir, ','), 'reconciliation-2026-11.csv'],
      [(dir: string) => writeVatReport(buildVatReport(r, 'SE'), dir, ','), 'vat-by-vat-id-2026-11.csv'],
    ] as const) {
      const out = tempDir('taxsync-out-');
      const write = () => writeTo(out);
      vi.mocked(fs.writeSync).mockImplementationOnce(((fd: number, buffer: Buffer, offset: number, length: number) => {
        realFs.writeSync(fd, buffer, offset, Math.floor(length / 2));
        throw enospc();
      }) as unknown as typeof fs.writeSync);
      let error: Error | undefined;
      try {
        write();
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(
        new RegExp(`Could not write .*${first.replace(/\./g, '\\.')}: the disk is full \\(ENOSPC\\)`),
      );
      expectClear(error!.message);
      expect(readdirSync(out)).toEqual([]);
      // Room again: every file whole.
      const files = write();
      for (const f of files) expect(readFileSync(f.file, 'utf8').startsWith('\uFEFF')).toBe(true);
    }
  });
});

/** A month with nothing in it, as the writers take it. */
function monthOf(documents: Reconciliation['documents']): Reconciliation {
  return {
    month: '2026-11',
    from: '2026-11-01',
    to: '2026-11-30',
    generatedAt: '2026-12-01T08:00:00.000Z',
    baseCurrency: 'SEK',
    tolerance: 1,
    counts: emptyBucketCounts(),
    clean: true,
    documents,
    totals: [],
    vatBase: { visma: 0, avatax: 0, difference: 0 },
    vatReturn: vatReturnOf(documents, 'SE'),
    withoutRate: 0,
    problems: [],
    incomplete: [],
  };
}
