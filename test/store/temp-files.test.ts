import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogWriter } from '../../electron/store/append-log.js';
import { openStore } from '../../electron/store/index.js';
import { formatReason } from '../../shared/reason-format.js';
import { TEST_MONTH, testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';

/** Issue 10.13: an interrupted write (a kill, a full disk) never leaves its temp file behind for good. */
describe('temp files of interrupted writes', () => {
  it('are removed when the data folder is opened, and the removal is audited', async () => {
    const dir = tempDir('taxsync-tmp-');
    mkdirSync(join(dir, 'ledger'), { recursive: true });
    mkdirSync(join(dir, 'audit'), { recursive: true });
    mkdirSync(join(dir, 'demo'), { recursive: true });
    const left = [
      join(dir, '.state.json.tmp'),
      join(dir, 'ledger', '.2026-11.jsonl.4242-0a1b2c3d.tmp'),
      join(dir, 'audit', '.2026-11.jsonl.4242-deadbeef.tmp'),
    ];
    for (const f of left) writeFileSync(f, '{"half": ');
    // Not ours to remove: a user's file, and another company's folder (it has a lock of its own).
    writeFileSync(join(dir, 'notes.tmp'), 'keep');
    writeFileSync(join(dir, 'demo', '.sandbox.json.1-ffff.tmp'), 'in flight');
    const store = await openStore(dir, { now: testClock().now });
    for (const f of left) expect(existsSync(f), f).toBe(false);
    expect(existsSync(join(dir, 'notes.tmp'))).toBe(true);
    expect(existsSync(join(dir, 'demo', '.sandbox.json.1-ffff.tmp'))).toBe(true);
    await store.checkpoint();
    const month = TEST_MONTH;
    const recovered = (await store.audit.entries(month)).filter((e) => e.action === 'recovered');
    expect(recovered).toHaveLength(3);
    expect(text(recovered[0]!.detail)).toMatch(/half-written temp file .* was removed/);
    // A code the Audit screen says in the reader's language, the file named as it is.
    expect(recovered[0]!.detail).toMatchObject({ code: 'recovered-temp-file' });
    expect(formatReason(recovered[0]!.detail, 'sv')).toMatch(/^En halvskriven temporär fil .* togs bort: /);
    await store.close();
  });

  it('a replace that cannot finish removes its own temp file', async () => {
    const dir = tempDir('taxsync-tmp-');
    const target = join(dir, 'log.jsonl');
    mkdirSync(join(target, 'occupied'), { recursive: true }); // the target is a folder: the rename fails
    const writer = new LogWriter(target, undefined);
    await expect(writer.replace(['{"a":1}'])).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
