import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LogWriter } from '../../electron/store/append-log.js';
import { DataFolderError, openStore, WriteFailedError } from '../../electron/store/index.js';
import { DATA_FORMAT } from '../../electron/store/state-file.js';
import { emptyBucketCounts } from '../../shared/month.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { ledgerDoc as doc } from '../helpers/ledger.js';
import { text } from '../helpers/reasons.js';

/** A clock that moves one second (or `step` ms) per reading. */
function ticking(start: string, step = 1000): () => Date {
  let t = Date.parse(start);
  return () => {
    t += step;
    return new Date(t);
  };
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('the ledger', () => {
  it('partitions by document month and appends only what a checkpoint changed', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-09-03'));
    await store.ledger.put(doc('2', '2026-10-03'));
    await store.checkpoint();
    const september = join(dir, 'ledger', '2026-09.jsonl');
    const before = statSync(september).size;
    await store.ledger.put(doc('3', '2026-11-03'));
    await store.ledger.put(doc('4', '2026-11-04'));
    await store.checkpoint();
    expect(statSync(september).size).toBe(before);
    const november = join(dir, 'ledger', '2026-11.jsonl');
    const size = statSync(november).size;
    await store.ledger.put(doc('3', '2026-11-03', { state: 'flagged' }));
    await store.checkpoint();
    // One more line for the one document that changed, not the month again.
    expect(statSync(november).size - size).toBeLessThan(size);
    expect(JSON.parse(lines(november).at(-1)!).doc.state).toBe('flagged');

    const reopened = await openStore(dir, { now: testClock().now });
    expect((await reopened.ledger.all()).map((d) => d.referenceNumber).sort()).toEqual(['1', '2', '3', '4']);
    expect((await reopened.ledger.get('invoice:3'))?.state).toBe('flagged');
    expect(reopened.ledger.counts().flagged).toBe(1);
  });

  it('lets go of the months it is asked to, keeps one with unwritten changes, and reads them again when asked', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-09-03'));
    await store.ledger.put(doc('2', '2026-10-03'));
    await store.checkpoint();
    await store.ledger.put(doc('3', '2026-11-03'));
    expect(store.ledger.monthsInMemory).toEqual(['2026-09', '2026-10', '2026-11']);
    // October stays (kept), November too (not written yet); September goes.
    store.ledger.letGo('2026-10');
    expect(store.ledger.monthsInMemory).toEqual(['2026-10', '2026-11']);
    await store.checkpoint();
    store.ledger.letGo('2026-10');
    expect(store.ledger.monthsInMemory).toEqual(['2026-10']);
    // Read again from its file when asked for; written to as before.
    expect((await store.ledger.get('invoice:1'))?.documentDate).toBe('2026-09-03');
    await store.ledger.put(doc('1', '2026-09-03', { state: 'flagged' }));
    await store.checkpoint();
    const reopened = await openStore(dir, { now: testClock().now });
    expect((await reopened.ledger.all()).map((d) => [d.referenceNumber, d.state])).toEqual([
      ['1', 'flagged'],
      ['2', doc('2', '2026-10-03').state],
      ['3', doc('3', '2026-11-03').state],
    ]);
  });

  it('opens only the months it needs: counts and queues come from the index', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    for (let m = 1; m <= 9; m++)
      await store.ledger.put(doc(String(m), `2026-0${m}-15`, { state: m === 4 ? 'pending-retry' : 'posted' }));
    await store.checkpoint();
    const reopened = await openStore(dir, { now: testClock().now });
    expect(reopened.ledger.counts()['pending-retry']).toBe(1);
    expect(reopened.ledger.keys((e) => e.state === 'pending-retry')).toEqual(['invoice:4']);
    expect((await reopened.ledger.byState('pending-retry')).map((d) => d.documentDate)).toEqual(['2026-04-15']);
  });

  it('rebuilds the index of a month that changed behind its back (a crash between the two writes)', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-11-01'));
    await store.checkpoint();
    const file = join(dir, 'ledger', '2026-11.jsonl');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}${JSON.stringify({ key: 'invoice:2', doc: doc('2', '2026-11-02', { state: 'flagged' }) })}\n`,
    );
    const reopened = await openStore(dir, { now: testClock().now });
    expect(reopened.ledger.counts().flagged).toBe(1);
    expect((await reopened.ledger.get('invoice:2'))?.referenceNumber).toBe('2');
  });

  it('moves a document to its new month when its date changes', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-09-30'));
    await store.checkpoint();
    await store.ledger.put(doc('1', '2026-10-01'));
    await store.checkpoint();
    const reopened = await openStore(dir, { now: testClock().now });
    expect(await reopened.ledger.all()).toHaveLength(1);
    expect(await reopened.ledger.inMonth('2026-09')).toEqual([]);
    expect((await reopened.ledger.get('invoice:1'))?.documentDate).toBe('2026-10-01');
  });

  describe('anchors each month: a month file that is not the one it wrote stops the run, never reads as fewer rows', () => {
    async function december(rows = 6) {
      const dir = tempDir();
      const store = await openStore(dir, { now: testClock().now });
      for (let i = 1; i <= rows; i++) await store.ledger.put(doc(String(i), `2026-12-0${(i % 9) + 1}`));
      await store.ledger.put(doc('100', '2026-11-30'));
      await store.close();
      return { dir, file: join(dir, 'ledger', '2026-12.jsonl') };
    }
    const reopen = (dir: string) => openStore(dir, { now: testClock().now });

    it('an emptied month: stopped, the file named, how to repair it said, the file as found', async () => {
      const { dir, file } = await december();
      writeFileSync(file, '');
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/empty, but the ledger recorded 6 documents/);
      expect(error.message).toMatch(/repair --month 2026-12/);
      expect(readFileSync(file, 'utf8')).toBe('');
    });

    it('a month cut at a line boundary: stopped', async () => {
      const { dir, file } = await december();
      writeFileSync(file, `${lines(file).slice(0, 2).join('\n')}\n`);
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toMatch(/ends after 2 lines \(2 documents\), but the ledger wrote 6 lines \(6 documents\)/);
    });

    it('a month whose text was replaced (same size): stopped when the month is read', async () => {
      const { dir, file } = await december();
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('"state":"posted"', '"state":"voided"'));
      expect(readFileSync(file, 'utf8')).not.toBe(text);
      expect(statSync(file).size).toBe(Buffer.byteLength(text));
      const store = await reopen(dir).catch((e) => e);
      const error = store instanceof Error ? store : await store.ledger.inMonth('2026-12').catch((e: unknown) => e);
      expect(String((error as Error).message)).toContain(file);
      expect(String((error as Error).message)).toMatch(/changed outside the app/);
    });

    it('a month moved aside, the index deleted too: state.json still knows its documents', async () => {
      const { dir, file } = await december();
      renameSync(file, `${file}.aside`);
      rmSync(join(dir, 'ledger', 'index.jsonl'));
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/missing, but the ledger recorded documents in it/);
    });

    it('the index deleted: rebuilt from month files that state.json vouches for', async () => {
      const { dir } = await december();
      rmSync(join(dir, 'ledger', 'index.jsonl'));
      const store = await reopen(dir);
      expect(store.ledger.size).toBe(7);
    });

    it('a crash right after a compaction, before the index learned of it: the month is ours', async () => {
      const dir = tempDir();
      const store = await openStore(dir, { now: testClock().now });
      await store.ledger.put(doc('1', '2026-11-01', { attempts: 1 }));
      await store.checkpoint();
      const file = join(dir, 'ledger', '2026-11.jsonl');
      // Each flush compacting the month dies before the index's anchor line (and state.json) are written.
      const append = LogWriter.prototype.append;
      const spy = vi.spyOn(LogWriter.prototype, 'append').mockImplementation(function (this: LogWriter, l) {
        if (this.file.endsWith('index.jsonl') && l.some((x) => x.includes('"hash"') && !x.includes('pending')))
          return Promise.reject(new Error('killed'));
        return append.call(this, l);
      });
      let compacted = false;
      let last = 1;
      try {
        for (let i = 2; i < 200 && !compacted; i++) {
          last = i;
          const before = lines(file).length;
          await store.ledger.put(doc('1', '2026-11-01', { attempts: i }));
          await store.ledger.flush().catch(() => undefined);
          compacted = lines(file).length < before;
        }
      } finally {
        spy.mockRestore();
      }
      expect(compacted).toBe(true);
      const reopened = await reopen(dir);
      expect((await reopened.ledger.get('invoice:1'))?.attempts).toBe(last);
    });
  });

  it('a row recorded while a checkpoint writes the trail reaches the disk with its audit entry (found by the soak)', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-11-01', { state: 'needs-attention' }));
    store.audit.append({ runId: 'r', actor: 'cli', action: 'needs-attention', documentKey: 'invoice:1', detail: 'x' });
    await store.checkpoint();
    // Another document's work goes on while the next checkpoint writes the trail: it settles invoice 1 (the row,
    // then its entry, as the recorder does) between the trail's write and the ledger's.
    const append = LogWriter.prototype.append;
    let settled = false;
    const spy = vi.spyOn(LogWriter.prototype, 'append').mockImplementation(async function (this: LogWriter, l) {
      const written = await append.call(this, l);
      if (!settled && /audit/.test(this.file) && !/api-/.test(this.file)) {
        settled = true;
        await store.ledger.put(doc('1', '2026-11-01', { state: 'posted' }));
        store.audit.append({ runId: 'r', actor: 'cli', action: 'accepted', documentKey: 'invoice:1', detail: 'y' });
      }
      return written;
    });
    try {
      store.audit.append({ runId: 'r', actor: 'cli', action: 'fetched', detail: 'a run goes on' });
      await store.checkpoint();
    } finally {
      spy.mockRestore();
    }
    expect(settled).toBe(true);
    // Killed right after that checkpoint: what is on disk must explain itself.
    const reopened = await openStore(dir, { now: testClock().now, lock: false });
    const row = await reopened.ledger.get('invoice:1');
    const trail = (await reopened.audit.entries('2026-11')).filter((e) => e.documentKey === 'invoice:1');
    expect(row?.state).toBe('posted');
    expect(trail.map((e) => e.action)).toEqual(['needs-attention', 'accepted']);
  });

  it('a document moved to another month is never lost when the new month cannot be written', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-10-31'));
    await store.checkpoint();
    const append = LogWriter.prototype.append;
    const spy = vi.spyOn(LogWriter.prototype, 'append').mockImplementation(function (this: LogWriter, l) {
      if (this.file.endsWith('2026-11.jsonl'))
        return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      return append.call(this, l);
    });
    try {
      await store.ledger.put(doc('1', '2026-11-01', { state: 'flagged' }));
      await expect(store.checkpoint()).rejects.toThrow(/disk is full|ENOSPC/);
    } finally {
      spy.mockRestore();
    }
    // The process stops here (the disk stays full); the next start finds the document where it was.
    const reopened = await openStore(dir, { now: testClock().now });
    expect((await reopened.ledger.get('invoice:1'))?.documentDate).toBe('2026-10-31');
    expect(reopened.ledger.size).toBe(1);
  });

  it('compacts a month once dead lines outnumber live ones', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    for (let i = 0; i < 200; i++) {
      await store.ledger.put(doc('1', '2026-11-01', { attempts: i + 1 }));
      await store.checkpoint();
    }
    expect(lines(join(dir, 'ledger', '2026-11.jsonl')).length).toBeLessThan(70);
    expect((await (await openStore(dir, { now: testClock().now })).ledger.get('invoice:1'))?.attempts).toBe(200);
  });

  it('drops a line torn by a crash mid-write and keeps everything before it', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-11-01'));
    await store.checkpoint();
    const file = join(dir, 'ledger', '2026-11.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"key":"invoice:2","doc":{"key":"inv`);
    const reopened = await openStore(dir, { now: testClock().now });
    expect((await reopened.ledger.all()).map((d) => d.referenceNumber)).toEqual(['1']);
    await reopened.ledger.put(doc('3', '2026-11-03'));
    await reopened.checkpoint();
    expect(
      (await (await openStore(dir, { now: testClock().now })).ledger.all()).map((d) => d.referenceNumber).sort(),
    ).toEqual(['1', '3']);
  });

  it('stops on a damaged month, naming the file and the line, and leaves the file as it is', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-11-01'));
    await store.ledger.put(doc('2', '2026-11-02'));
    await store.checkpoint();
    const file = join(dir, 'ledger', '2026-11.jsonl');
    const [first, second] = lines(file);
    const damaged = `${first}\n{"documents": garbage\n${second}\n`;
    writeFileSync(file, damaged);
    rmSync(join(dir, 'ledger', 'index.jsonl'));
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toContain('2026-11.jsonl');
    expect(error.message).toMatch(/line 2/);
    expect(error.message).toMatch(/backup/);
    expect(readFileSync(file, 'utf8')).toBe(damaged);
  });

  it('stops on a row of the wrong type, naming the field', async () => {
    const dir = tempDir();
    const file = join(dir, 'ledger', '2026-11.jsonl');
    mkdirSync(join(dir, 'ledger'), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ key: 'invoice:1', doc: { ...doc('1', '2026-11-01'), amount: 'lots' } })}\n`,
    );
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toMatch(/amount/);
  });

  it('stops when a month the index knows has disappeared', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-10-01'));
    await store.ledger.put(doc('2', '2026-11-01'));
    await store.checkpoint();
    rmSync(join(dir, 'ledger', '2026-10.jsonl'));
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toContain('2026-10.jsonl');
  });

  it('reads a version 0.1 month (one JSON object) once and keeps the old file beside it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ledger'), { recursive: true });
    writeFileSync(
      join(dir, 'ledger', '2026-11.json'),
      JSON.stringify({ documents: { 'invoice:1': doc('1', '2026-11-01'), 'invoice:2': doc('2', '2026-11-02') } }),
    );
    const store = await openStore(dir, { now: testClock().now });
    expect((await store.ledger.all()).map((d) => d.referenceNumber).sort()).toEqual(['1', '2']);
    expect(existsSync(join(dir, 'ledger', '2026-11.json.migrated'))).toBe(true);
  });
});

describe('state.json', () => {
  it('records the data format; a folder a newer version wrote is refused before anything in it changes', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.ledger.put(doc('1', '2026-11-01'));
    await store.close();
    const state = join(dir, 'state.json');
    expect(JSON.parse(readFileSync(state, 'utf8')).format).toBe(DATA_FORMAT);
    const newer = { ...JSON.parse(readFileSync(state, 'utf8')), format: DATA_FORMAT + 1, shinyNewField: { a: 1 } };
    writeFileSync(state, JSON.stringify(newer));
    const stale = join(dir, 'ledger', '.2026-11.jsonl.1-abcd.tmp');
    writeFileSync(stale, 'in flight');
    const snapshot = () =>
      readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => !f.endsWith('taxsync.lock'))
        .sort()
        .map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'utf8') : ''] as const);
    const before = snapshot();
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toMatch(
      new RegExp(
        `written by a newer version .*data format ${DATA_FORMAT + 1}; this version reads up to ${DATA_FORMAT}`,
      ),
    );
    expect(error.message).toMatch(/Nothing in it was changed/);
    expect(snapshot()).toEqual(before);
  });

  it('every write of state.json goes through one place: a failed close names the file and leaves no temp', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    const db = (store.state as unknown as { db: { write: () => Promise<void> } }).db;
    db.write = () => {
      writeFileSync(join(dir, '.state.json.tmp'), 'half');
      return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    };
    const closing = {
      month: '2026-10',
      closedAt: '2026-11-02T08:00:00.000Z',
      by: 'anna',
      counts: emptyBucketCounts(),
      vatBase: 0,
    };
    for (const write of [
      () => store.state.closeMonth(closing),
      () => store.state.reopenMonth('2026-10'),
      () => store.state.acknowledgeClosedMonthChanges('2026-10'),
    ]) {
      const error = await write().catch((e) => e);
      expect(error).toBeInstanceOf(WriteFailedError);
      expect(error.message).toMatch(/state\.json: the disk is full/);
      expect(existsSync(join(dir, '.state.json.tmp'))).toBe(false);
    }
  });

  it.each([
    ['{"watermarks":null}', /watermarks/],
    ['{"watermarks":{"invoice":12}}', /watermarks\.invoice/],
    ['{"watermarks":{"invoice":"yesterday"}}', /watermarks\.invoice/],
    ['not json at all', /not JSON/],
  ])('%s stops with the file and the field named', async (content, field) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), content);
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toContain('state.json');
    expect(error.message).toMatch(field);
  });
});

describe('the audit trail', () => {
  async function trail(entries: number, start = '2026-11-20T08:00:00Z') {
    const dir = tempDir();
    const store = await openStore(dir, ticking(start));
    for (let i = 0; i < entries; i++)
      store.audit.append({ runId: 'r', actor: 'user', action: 'calculated', detail: `entry ${i}` });
    await store.checkpoint();
    return { dir, store, file: join(dir, 'audit', '2026-11.jsonl') };
  }
  /** verify-audit's view: a damaged trail is opened to be looked at, never appended to. */
  const problems = async (dir: string, month = '2026-11') =>
    (await (await openStore(dir, { now: testClock().now, inspect: true })).audit.verify(month)).problems;

  it('verifies an untouched trail', async () => {
    const { dir } = await trail(5);
    expect(await problems(dir)).toEqual([]);
  });

  it('detects an edited entry', async () => {
    const { dir, file } = await trail(5);
    writeFileSync(file, readFileSync(file, 'utf8').replace('entry 2', 'entry 2 (edited)'));
    expect((await problems(dir)).join(' ')).toMatch(/breaks at entry 3/);
  });

  it('detects the last entries dropped', async () => {
    const { dir, file } = await trail(250);
    writeFileSync(file, `${lines(file).slice(0, 50).join('\n')}\n`);
    expect((await problems(dir)).join(' ')).toMatch(/200 entries are missing/);
  });

  it('detects a month rewritten with a chain of its own, edited and re-hashed', async () => {
    const { dir, file } = await trail(5);
    const forged = tempDir();
    const other = await openStore(forged, ticking('2026-11-20T08:00:00Z'));
    for (let i = 0; i < 5; i++)
      other.audit.append({ runId: 'r', actor: 'user', action: 'calculated', detail: `forged ${i}` });
    await other.checkpoint();
    writeFileSync(file, readFileSync(join(forged, 'audit', '2026-11.jsonl')));
    expect((await problems(dir)).join(' ')).toMatch(/changed/);
  });

  it('detects a deleted month, and a month that starts a new chain', async () => {
    const dir = tempDir();
    const daily = ticking('2026-10-30T08:00:00Z', 86_400_000);
    const store = await openStore(dir, daily);
    for (let i = 0; i < 6; i++)
      store.audit.append({ runId: 'r', actor: 'user', action: 'fetched', detail: `day ${i}` });
    await store.checkpoint();
    expect(store.audit.months()).toEqual(['2026-10', '2026-11']);
    expect(await problems(dir, '2026-11')).toEqual([]);
    rmSync(join(dir, 'audit', '2026-10.jsonl'));
    expect((await problems(dir, '2026-10')).join(' ')).toMatch(/2026-10 is missing/);
    expect((await problems(dir, '2026-11')).join(' ')).toMatch(/2026-10 is missing/);
  });

  describe('checks its tail against the last checkpoint before appending', () => {
    const reopen = (dir: string) => openStore(dir, { now: ticking('2026-11-21T08:00:00Z') });
    const incidents = (dir: string) => readdirSync(join(dir, 'audit')).filter((f) => f.startsWith('damaged-'));

    it('the current month deleted: the store stops naming it, records it in a fresh file, adds nothing', async () => {
      const { dir, store, file } = await trail(5);
      await store.close();
      rmSync(file);
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/missing.*recorded 5 entries/);
      expect(error.message).toMatch(/Restore the file from your backup/);
      expect(existsSync(file)).toBe(false);
      expect(incidents(dir)).toHaveLength(1);
    });

    it('its last lines cut off: stops; the file is left exactly as found', async () => {
      const { dir, store, file } = await trail(5);
      await store.close();
      writeFileSync(file, `${lines(file).slice(0, 3).join('\n')}\n`);
      const before = readFileSync(file, 'utf8');
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toMatch(/ends at entry 3, but the last checkpoint recorded 5/);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });

    it('its hashes rewritten (a fresh chain of the same length): stops', async () => {
      const { dir, store, file } = await trail(3);
      await store.close();
      const forged = tempDir();
      const other = await openStore(forged, { now: ticking('2026-11-20T08:00:00Z') });
      for (let i = 0; i < 3; i++)
        other.audit.append({ runId: 'r', actor: 'user', action: 'calculated', detail: `forged ${i}` });
      await other.close();
      writeFileSync(file, readFileSync(join(forged, 'audit', '2026-11.jsonl')));
      const error = await reopen(dir).catch((e) => e);
      expect(error).toBeInstanceOf(DataFolderError);
      expect(error.message).toMatch(/rewritten outside the app/);
    });

    it('more entries than anchored (a checkpoint that wrote the trail, not yet its anchors) is not damage', async () => {
      const { dir, store } = await trail(3);
      const anchors = structuredClone(store.state.auditAnchors);
      store.audit.append({ runId: 'r', actor: 'user', action: 'calculated', detail: 'after' });
      await store.audit.flush();
      await store.state.saveAnchors(anchors);
      await (await reopen(dir)).close();
    });

    it('looked at with verify, then accepted with a reason: the trail says so and goes on', async () => {
      const { dir, store, file } = await trail(5);
      await store.close();
      writeFileSync(file, `${lines(file).slice(0, 2).join('\n')}\n`);
      const inspected = await openStore(dir, { now: ticking('2026-11-21T08:00:00Z'), inspect: true });
      expect(text(inspected.audit.damage?.problem)).toMatch(/entries were removed/);
      inspected.audit.append({ runId: 'r', actor: 'cli', action: 'fetched', detail: 'not written while damaged' });
      await inspected.checkpoint();
      expect(lines(file)).toHaveLength(2);
      inspected.audit.acceptDamage('No backup of the laptop exists; Anna checked the VAT return by hand', 'cli');
      await inspected.close();
      const reopened = await reopen(dir);
      const entries = await reopened.audit.entries('2026-11');
      expect(entries.slice(2).map((e) => [e.seq, e.action])).toEqual([
        [3, 'data-file-damaged'],
        [4, 'fetched'],
      ]);
      expect(text(entries[2]!.detail)).toMatch(/removed from its end.*Anna checked/);
      await reopened.close();
    });
  });

  it('chains the HTTP exchange log too', async () => {
    const { dir, store } = await trail(1);
    for (let i = 0; i < 3; i++)
      store.audit.recordExchange('r', {
        service: 'AvaTax',
        method: 'GET',
        path: `/x/${i}`,
        status: 200,
        durationMs: 1,
        attempt: 1,
      });
    await store.checkpoint();
    expect(await problems(dir)).toEqual([]);
    const file = join(dir, 'audit', 'api-2026-11.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('/x/1', '/x/9'));
    expect((await problems(dir)).join(' ')).toMatch(/HTTP exchange log/);
  });

  it("partitions by the company's month of the entry (UTC for a company in UTC)", async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: ticking('2026-10-31T23:59:59Z'), timeZone: () => 'UTC' });
    store.audit.append({ runId: 'r', actor: 'cli', action: 'run-started', detail: 'a' });
    await store.checkpoint();
    expect(store.audit.months()).toEqual(['2026-11']);
    expect((await store.audit.entries('2026-11'))[0]!.at).toBe('2026-11-01T00:00:00.000Z');
  });

  it('files 00:30 on 1 December in Stockholm under December, though UTC still says November', async () => {
    const dir = tempDir();
    const store = await openStore(dir, {
      now: ticking('2026-11-30T23:29:59Z'),
      timeZone: () => 'Europe/Stockholm',
    });
    store.audit.append({ runId: 'r', actor: 'cli', action: 'run-started', detail: 'a' });
    await store.checkpoint();
    expect(store.audit.months()).toEqual(['2026-12']);
    expect((await store.audit.entries('2026-12'))[0]!.at).toBe('2026-11-30T23:30:00.000Z');
  });

  it('never files back into an earlier month when the zone moves west', async () => {
    const dir = tempDir();
    let zone = 'Europe/Stockholm';
    const store = await openStore(dir, { now: ticking('2026-11-30T23:29:59Z'), timeZone: () => zone });
    store.audit.append({ runId: 'r', actor: 'cli', action: 'run-started', detail: 'a' });
    zone = 'UTC';
    store.audit.append({ runId: 'r', actor: 'cli', action: 'run-finished', detail: 'b' });
    await store.checkpoint();
    expect(store.audit.months()).toEqual(['2026-12']);
    expect((await store.audit.verify('2026-12')).problems).toEqual([]);
  });
});
