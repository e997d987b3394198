import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SECRETS, demoSettings } from '../../electron/sandbox/demo-company.js';
import { DATA_FORMAT } from '../../electron/store/state-file.js';
import { runCli } from '../helpers/cli.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { text } from '../helpers/reasons.js';
import { expectClear, expectNothingLost, month } from './helpers.js';

/**
 * A data folder as a kill, a power cut or a careless hand leaves it: a last line half written, a line damaged in
 * the middle, a file cut short. A torn tail is dropped and said so in the audit trail; damage stops everything
 * with the file, the line and the way back named, the file left as it is. Nothing is lost either way.
 */
describe('a damaged data folder on start', () => {
  let w: EngineWorld;
  beforeEach(async () => {
    // The exchanges go to the HTTP exchange log, as the app's and the CLI's do.
    w = await startEngineWorld({
      invoices: 12,
      creditNotes: 2,
      connector: { onExchange: (e) => w.store.audit.recordExchange('test', e) },
    });
    await w.engine.run('user');
    await w.store.close();
  });
  afterEach(() => w.close());

  const file = (...parts: string[]) => join(w.dir, ...parts);
  const cutLastLineInHalf = (path: string) => {
    const text = readFileSync(path, 'utf8');
    const last = text.trimEnd().split('\n').at(-1)!;
    appendFileSync(path, last.slice(0, Math.floor(last.length / 2)));
  };
  const recovered = async () =>
    (await w.store.audit.entries(month())).filter((e) => e.action === 'recovered').map((e) => text(e.detail));

  for (const [what, parts] of [
    ['a ledger month', ['ledger', `${month()}.jsonl`]],
    ['the ledger index', ['ledger', 'index.jsonl']],
    ['the audit trail', ['audit', `${month()}.jsonl`]],
    ['the HTTP exchange log', ['audit', `api-${month()}.jsonl`]],
    ['the run history', ['runs.jsonl']],
    ['the intent log', ['intents.jsonl']],
  ] as const) {
    it(`${what} whose last line a kill cut in half: dropped, said so, nothing lost`, async () => {
      cutLastLineInHalf(file(...parts));
      await w.reopen();
      await w.engine.run('user');
      const notes = await recovered();
      const note = notes.find((n) => n.includes(parts.at(-1)!));
      expect(note, JSON.stringify(notes)).toMatch(/ended in a write that did not finish .* That part was dropped/);
      expectClear(note);
      await expectNothingLost(w);
    });
  }

  it('the ledger index damaged in the middle: rebuilt from the months, said so', async () => {
    const index = file('ledger', 'index.jsonl');
    const lines = readFileSync(index, 'utf8').split('\n');
    lines.splice(2, 0, '{"k": oops');
    writeFileSync(index, lines.join('\n'));
    await w.reopen();
    const note = (await recovered()).find((n) => n.includes('index.jsonl'));
    expect(note).toMatch(/damaged at line 3\b.* the index was rebuilt from the month files/);
    expectClear(note);
    await expectNothingLost(w);
  });

  it('the run history damaged in the middle: moved aside, said so, and the last run is known again', async () => {
    const runs = file('runs.jsonl');
    writeFileSync(runs, `garbage\n${readFileSync(runs, 'utf8')}`);
    await w.reopen();
    const note = (await recovered()).find((n) => n.includes('runs.jsonl'));
    expect(note).toMatch(/damaged at line 1\b.* moved aside .* starts again/);
    expectClear(note);
    expect(readdirSync(w.dir).some((f) => f.startsWith('runs.jsonl.damaged-'))).toBe(true);
    await w.engine.run('user');
    await w.store.close();
    await w.reopen();
    expect(w.store.state.lastRun()).toBeDefined();
    await expectNothingLost(w);
  });

  it('an audit month damaged in the middle: verify names the line, in words', async () => {
    const audit = file('audit', `${month()}.jsonl`);
    const lines = readFileSync(audit, 'utf8').split('\n');
    // Someone edits what an entry says (its detail may be text or a reason code).
    const edited = JSON.parse(lines[3]!) as { detail: unknown };
    edited.detail = 'EDITED';
    lines[3] = JSON.stringify(edited);
    writeFileSync(audit, lines.join('\n'));
    await w.reopen();
    const { problems } = await w.store.audit.verify(month());
    expect(problems.join(' ')).toMatch(/The chain of \d{4}-\d{2} breaks at entry 4/);
    for (const p of problems) expectClear(p);
  });

  /** The CLI on the same folder: exit 2 and the message, in words. */
  async function cliSync(): Promise<{ code: number | null; stderr: string }> {
    const config = join(w.dir, 'cli-config.json');
    writeFileSync(config, JSON.stringify(demoSettings(w.sandboxes.urls, w.sandboxes.startFrom)));
    return runCli(['sync', '--config', config, '--data-dir', w.dir], {
      VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
      AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
    });
  }

  it('a ledger month with a damaged line in the middle: the CLI stops (exit 2), names file and line, touches nothing', async () => {
    const ledger = file('ledger', `${month()}.jsonl`);
    const original = readFileSync(ledger, 'utf8');
    const lines = original.split('\n');
    lines[1] = `${lines[1]!.slice(0, 40)}#`;
    const damaged = lines.join('\n');
    writeFileSync(ledger, damaged);
    const res = await cliSync();
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`${month()}\\.jsonl: damaged at line 2 .* Restore it from your backup`));
    expect(res.stderr).toMatch(new RegExp(`repair --month ${month()}`));
    expectClear(res.stderr.trim());
    expect(readFileSync(ledger, 'utf8')).toBe(damaged);
    writeFileSync(ledger, original);
    await w.reopen();
    await expectNothingLost(w);
  }, 60_000);

  it('the intent log with a damaged line in the middle: the CLI stops (exit 2), names the file, touches nothing', async () => {
    // A document's effect announced and never settled: what the next start must resolve is never dropped.
    const intents = file('intents.jsonl');
    const original = readFileSync(intents, 'utf8');
    const lines = original.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    lines[1] = `${lines[1]!.slice(0, 30)}#`;
    const damaged = `${lines.join('\n')}\n`;
    writeFileSync(intents, damaged);
    const res = await cliSync();
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/intents\.jsonl: damaged at line 2 .* Restore it from your backup/);
    expectClear(res.stderr.trim());
    expect(readFileSync(intents, 'utf8')).toBe(damaged);
    writeFileSync(intents, original);
    await w.reopen();
    await expectNothingLost(w);
  }, 60_000);

  it.each([
    ['emptied', (_text: string) => '', /empty, but the ledger recorded \d+ documents/],
    [
      'cut at a line boundary',
      (text: string) => `${text.trimEnd().split('\n').slice(0, 3).join('\n')}\n`,
      /ends after 3 lines/,
    ],
    [
      'its text replaced (another valid ledger, fewer rows)',
      (text: string) => `${text.trimEnd().split('\n').slice(1, 4).join('\n')}\n`,
      /changed outside the app/,
    ],
  ])(
    'a ledger month %s: the CLI stops (exit 2) naming the file and repair, loses nothing',
    async (_what, damage, says) => {
      const ledger = file('ledger', `${month()}.jsonl`);
      const original = readFileSync(ledger, 'utf8');
      writeFileSync(ledger, damage(original));
      const res = await cliSync();
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(ledger);
      expect(res.stderr, res.stderr).toMatch(says);
      expect(res.stderr).toMatch(new RegExp(`repair --month ${month()}`));
      expectClear(res.stderr.trim());
      writeFileSync(ledger, original);
      await w.reopen();
      await expectNothingLost(w);
    },
    60_000,
  );

  it('an emptied month rebuilt with repair --month: the CLI says what it restored, and the sync goes on', async () => {
    const ledger = file('ledger', `${month()}.jsonl`);
    writeFileSync(ledger, '');
    const config = join(w.dir, 'cli-config.json');
    writeFileSync(config, JSON.stringify(demoSettings(w.sandboxes.urls, w.sandboxes.startFrom)));
    const env = {
      VISMA_CLIENT_SECRET: DEMO_SECRETS.vismaClientSecret,
      AVALARA_LICENSE_KEY: DEMO_SECRETS.avalaraLicenseKey,
    };
    const repaired = await runCli(['repair', '--month', month(), '--config', config, '--data-dir', w.dir], env);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout, repaired.stdout).toMatch(new RegExp(`${month()} rebuilt from Visma and AvaTax: \\d+ `));
    expect(repaired.stdout).toMatch(/the damaged file is kept as/);
    expect((await cliSync()).code).toBe(0);
    await w.reopen();
    await expectNothingLost(w);
  }, 120_000);

  it('a ledger row of the wrong type: the CLI stops (exit 2), naming the document and the field', async () => {
    const ledger = file('ledger', `${month()}.jsonl`);
    const original = readFileSync(ledger, 'utf8');
    const lines = original.trimEnd().split('\n');
    const row = JSON.parse(lines[0]!);
    row.doc.state = 'exploded';
    lines[0] = JSON.stringify(row);
    writeFileSync(ledger, `${lines.join('\n')}\n`);
    writeFileSync(file('ledger', 'index.jsonl'), '');
    const res = await cliSync();
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`document ${row.key}.*state`));
    expectClear(res.stderr.trim());
    writeFileSync(ledger, original);
    await w.reopen();
    await expectNothingLost(w);
  }, 60_000);

  it('state.json cut off mid-write: the CLI stops (exit 2), says how to restore it, touches nothing', async () => {
    const state = file('state.json');
    const original = readFileSync(state, 'utf8');
    writeFileSync(state, original.slice(0, Math.floor(original.length / 2)));
    const res = await cliSync();
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/state\.json: it is not JSON .* Restore state\.json from a backup, or delete it/);
    expectClear(res.stderr.trim());
    expect(readFileSync(state, 'utf8')).toBe(original.slice(0, Math.floor(original.length / 2)));
    writeFileSync(state, original);
    await w.reopen();
    await expectNothingLost(w);
  }, 60_000);

  it('a data folder a newer version wrote: the CLI stops (exit 2), says so, changes nothing', async () => {
    const state = file('state.json');
    const original = readFileSync(state, 'utf8');
    const newer = JSON.stringify({ ...JSON.parse(original), format: DATA_FORMAT + 1, shinyNewField: { a: 1 } });
    writeFileSync(state, newer);
    const ledger = readFileSync(file('ledger', `${month()}.jsonl`), 'utf8');
    const res = await cliSync();
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/written by a newer version/);
    expectClear(res.stderr.trim());
    expect(readFileSync(state, 'utf8')).toBe(newer);
    expect(readFileSync(file('ledger', `${month()}.jsonl`), 'utf8')).toBe(ledger);
    writeFileSync(state, original);
    await w.reopen();
    await expectNothingLost(w);
  }, 60_000);

  it('state.json with a watermark of the wrong type: stops, naming the field', async () => {
    const state = file('state.json');
    const original = readFileSync(state, 'utf8');
    writeFileSync(state, JSON.stringify({ ...JSON.parse(original), watermarks: { invoice: 20261125 } }));
    const error = await w.reopen().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/state\.json: field watermarks\.invoice/);
    expectClear((error as Error).message);
    writeFileSync(state, original);
    await w.reopen();
    await expectNothingLost(w);
  });
});
