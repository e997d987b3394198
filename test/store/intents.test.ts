import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderError, openStore } from '../../electron/store/index.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

const intent = (what: string) => ({
  at: '2026-11-28T12:00:00.000Z',
  kind: 'void' as const,
  runId: 'run-1',
  actor: 'user' as const,
  by: 'anna',
  key: 'invoice:260001',
  referenceNumber: '260001',
  code: 'VN-INV-260001',
  what,
  why: 'Entered twice by mistake',
});

describe('write-ahead intents', () => {
  it('an intent is on disk before the effect; one never settled is still open at the next start', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    const id = await store.intents.announce(intent('void VN-INV-260001 (DocVoided)'));
    // The process is killed here, after the effect: nothing else was written.
    expect(readFileSync(join(dir, 'intents.jsonl'), 'utf8')).toContain(id);
    const reopened = await openStore(dir, { now: testClock().now });
    expect(reopened.intents.pending()).toEqual([
      expect.objectContaining({ id, by: 'anna', why: 'Entered twice by mistake' }),
    ]);
  });

  it('closes only at the checkpoint that makes its record durable', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    const id = await store.intents.announce(intent('void'));
    store.intents.settle(id, 'voided');
    // Killed before the checkpoint: the record of the outcome never reached the disk, so the intent is open.
    expect((await openStore(dir, { now: testClock().now })).intents.pending().map((i) => i.id)).toEqual([id]);
    await store.checkpoint();
    expect((await openStore(dir, { now: testClock().now })).intents.pending()).toEqual([]);
  });

  it('a torn last line is dropped; a damaged line stops the store naming the file', async () => {
    const dir = tempDir();
    const store = await openStore(dir, { now: testClock().now });
    await store.intents.announce(intent('one'));
    await store.close();
    const file = join(dir, 'intents.jsonl');
    appendFileSync(file, '{"id":"x","kind":"vo');
    expect((await openStore(dir, { now: testClock().now })).intents.pending()).toHaveLength(1);
    writeFileSync(file, `{"id":"y","kind":"teleport","at":"x","what":"?"}\n`);
    const error = await openStore(dir, { now: testClock().now }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/unknown kind/);
  });
});
