import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as arg from '../electron/cli/args.js';
import { main } from '../electron/cli.js';
import { tempDir } from './helpers/engine.js';

/** Runs the CLI in this process and captures what it says. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await main(args, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) });
  return { code, out, err };
}

/**
 * Defect: `--month` was not validated: `verify-audit --month ../../../../victim/payroll` renamed a file outside
 * the data folder; `garbage` and `2026-13` printed "chain intact". Every argument is checked before anything is
 * opened; a bad one exits 2 with what is expected.
 */
describe('command-line arguments', () => {
  it('a month that walks out of the data folder is refused, and nothing outside it is touched', async () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'payroll.json'), '{}');
    const data = join(dir, 'a', 'b', 'c', 'data');
    const res = await cli(['verify-audit', '--month', '../../../../victim/payroll', '--data-dir', data]);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/--month must be a month such as 2026-11/);
    expect(readdirSync(victim)).toEqual(['payroll.json']);
  });

  it.each([
    [['verify-audit', '--month', 'garbage']],
    [['verify-audit', '--month', '2026-13']],
    [['reconcile', '--month', '0000-01']],
    [['verify-audit']],
    [['export-audit', '--month', 'garbage', '--out', '/tmp']],
    [['export-audit', '--month', '2026-11']],
    [['export-audit', '--month', '2026-11', '--out', '/tmp', '--delimiter', '|']],
    [['reprocess']],
    [['reprocess', '260001; rm -rf /']],
    [['accept', '260001']],
    [['accept', '260001', '--reason', 'x']],
    [['adjust', '260001', '260002', '--reason', 'Price corrected']],
    [['list', '--state', 'deleted']],
    [['sync', '--wait', 'forever']],
    [['sync', '--no-such-option']],
    [['teleport']],
    [['dry-run']],
    [['dry-run', '--json']],
    [['dry-run', '--from', '2026-11-30', '--to', '2026-11-01']],
    [['dry-run', '--from', 'yesterday', '--to', '2026-11-01']],
    [['dry-run', '--from', '2026-02-30', '--to', '2026-03-31']],
    [['dry-run', '--from', '2024-01-01', '--to', '2026-11-30']],
    [['dry-run', '--from', '2026-11-01']],
    [['dry-run', '--customer', '10001; rm -rf /']],
    [['dry-run', '260001', '--unreleased']],
    [['backfill']],
    [['backfill', '--to', '2026-11-30']],
    [['backfill', '--from', '2026-11-30', '--to', '2026-11-01']],
    [['backfill', '--from', '2026-11-01', '--to', '2026-11-30', '--per-minute', '0']],
    [['backfill', '--from', '2026-11-01', '--to', '2026-11-30', '--per-minute', 'fast']],
    [['backfill', '--from', '2026-11-01', '--to', '2026-11-30', '--per-minute', '1.5']],
    [['backfill', '--from', '2026-11-01', '--to', '2026-11-30', '--per-minute', '5000']],
    [['backfill', '--resume', '--from', '2026-11-01', '--to', '2026-11-30']],
  ])('%j is a usage error (exit 2) with a message, nothing opened', async (args) => {
    const data = tempDir();
    const res = await cli([...args, '--data-dir', data]);
    expect(res.code).toBe(2);
    expect(res.err.split('\n')[0]!.length).toBeGreaterThan(10);
    expect(readdirSync(data)).toEqual([]);
  });

  it('a range is checked in words: the order of its ends, real dates, at most two years', async () => {
    const say = async (...args: string[]) => (await cli([...args, '--data-dir', tempDir()])).err.split('\n')[0];
    expect(await say('dry-run', '--from', '2026-11-30', '--to', '2026-11-01')).toBe(
      '--from 2026-11-30 is after --to 2026-11-01: the range must start before it ends',
    );
    expect(await say('backfill', '--from', '2026-02-30', '--to', '2026-03-31')).toBe(
      '--from must be a date such as 2026-11-01, not "2026-02-30"',
    );
    expect(await say('backfill', '--from', '2024-01-01', '--to', '2026-11-30')).toMatch(
      /^2024-01-01 to 2026-11-30 is 1065 days: take at most two years/,
    );
    expect(await say('dry-run')).toMatch(/^Say which documents: --from YYYY-MM-DD --to YYYY-MM-DD, --customer N/);
    expect(await say('backfill', '--from', '2026-11-01', '--to', '2026-11-30', '--per-minute', '0')).toMatch(
      /^--per-minute takes a whole number of documents a minute from 1 to 1000/,
    );
  });

  it('--out under a file, or in /proc, is refused in words instead of ENOENT or a hang', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const underFile = await cli([
      'export-audit',
      '--month',
      '2026-11',
      '--out',
      join(dir, 'file', 'out'),
      '--data-dir',
      dir,
    ]);
    expect(underFile.code).toBe(2);
    expect(underFile.err).toMatch(/cannot be created \(a part of the path is a file/);
    const proc = await cli(['export-audit', '--month', '2026-11', '--out', '/proc/x', '--data-dir', dir]);
    expect(proc.code).toBe(2);
    expect(proc.err).toMatch(/not a folder files can be written to/);
    // Creating a folder under /proc never returns: refused before anything touches it (it hung).
    const data = await cli(['list', '--demo', '--data-dir', '/proc/1/x']);
    expect(data.code).toBe(2);
    expect(data.err).toMatch(/--data-dir \/proc\/1\/x: not a folder files can be written to/);
  });

  it("Visma's own 'Error: ' before its message is not said twice", async () => {
    const { parseVismaError } = await import('../electron/connectors/visma/errors.js');
    const error = parseVismaError(
      400,
      { ExceptionMessage: 'Error: documentDate is not a valid date: 0000-01-01', ExceptionFaultCode: '10010' },
      '',
    );
    // The CLI says "Error: " itself: the message must not start with it again.
    expect(error.message).not.toMatch(/^\s*Error:/i);
    expect(error.message).toMatch(/documentDate is not a valid date/);
  });

  it('a config with a date that does not exist (2026-02-30) is a configuration error', async () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        visma: {},
        avalara: {},
        company: { shipFrom: { line1: 'Industrigatan 12', city: 'Göteborg', postalCode: '417 07', country: 'SE' } },
        sync: { startFrom: '2026-02-30' },
      }),
    );
    const res = await cli(['list', '--config', config, '--data-dir', dir]);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/start from: not a real date/);
  });

  it('TAXSYNC_HTTP_TIMEOUT_SECONDS is checked before the data folder is opened', async () => {
    const dir = tempDir();
    const before = process.env.TAXSYNC_HTTP_TIMEOUT_SECONDS;
    try {
      for (const bad of ['soon', '0', '-1', '9999']) {
        process.env.TAXSYNC_HTTP_TIMEOUT_SECONDS = bad;
        const res = await cli(['list', '--demo', '--data-dir', join(dir, 'data')]);
        expect(res.code, bad).toBe(2);
        expect(res.err).toMatch(/TAXSYNC_HTTP_TIMEOUT_SECONDS takes a number of seconds between 0.1 and 600/);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TAXSYNC_HTTP_TIMEOUT_SECONDS;
      else process.env.TAXSYNC_HTTP_TIMEOUT_SECONDS = before;
    }
  });
});

describe('the example a missing reason gives', () => {
  const said = (command: string) => {
    try {
      arg.reason(undefined, command);
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  };
  it('is a command line that works: a month for reopen and close, an AvaTax code for void, a number for accept', () => {
    expect(said('reopen')).toContain('npm run cli -- reopen --month 2026-11 --reason "');
    expect(said('reopen')).not.toMatch(/260001/);
    expect(said('close')).toContain('npm run cli -- close --month 2026-11 --reason "');
    expect(said('void')).toContain('npm run cli -- void VN-INV-260001 --reason "');
    expect(said('accept')).toContain('npm run cli -- accept 260001 --reason "');
  });
});
