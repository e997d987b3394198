import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUCKETS } from '../../shared/month.js';
import { runCli } from '../helpers/cli.js';
import { clockEnv, TEST_MONTH } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';
import { parseCsv } from '../helpers/parse-csv.js';

/** Month-end from the command line, on the demo company (a contract: scripts read these outputs). */
const DECEMBER = '2026-12-02T09:00:00.000Z';
describe('month-end commands', () => {
  const dir = tempDir('taxsync-month-cli-');
  const month = TEST_MONTH;
  const cli = (...args: string[]) => runCli([...args, '--demo', '--data-dir', dir]);
  beforeAll(async () => {
    expect((await cli('sync', '--json')).code).toBe(0);
  }, 120_000);

  it('reconcile --json prints one object: the six integer bucket counts, a boolean clean and why it is incomplete', async () => {
    const res = await cli('reconcile', '--month', month, '--json');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!);
    expect(Object.keys(r).sort()).toEqual([...BUCKETS, 'clean', 'incomplete'].sort());
    expect(r.incomplete).toEqual([]);
    for (const b of BUCKETS) expect(Number.isInteger(r[b])).toBe(true);
    expect(typeof r.clean).toBe('boolean');
    // The demo month has unreleased invoices AvaTax holds uncommitted: not clean.
    expect(r.uncommitted).toBeGreaterThan(0);
    expect(r.clean).toBe(false);
  }, 60_000);

  it('reconcile --out writes the documents and the totals; close refuses and lists what blocks it', async () => {
    const out = join(dir, 'month-end');
    const res = await cli('reconcile', '--month', month, '--out', out);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/NOT clean/);
    expect(res.stdout).toMatch(/What blocks it/);
    const rows = parseCsv(readFileSync(join(out, `reconciliation-${month}.csv`), 'utf8'));
    expect(rows[0]!.slice(0, 5)).toEqual([
      'bucket',
      'blocks_close',
      'document_type',
      'reference_number',
      'avatax_code',
    ]);
    expect(rows.length).toBeGreaterThan(100);
    const totals = parseCsv(readFileSync(join(out, `reconciliation-totals-${month}.csv`), 'utf8'));
    expect(totals[0]).toContain('vat_difference_base');

    // The month has ended (the clock in December): it is refused for what blocks it, exit 1.
    const close = await runCli(['close', '--month', month, '--demo', '--data-dir', dir], clockEnv(DECEMBER));
    expect(close.code).toBe(1);
    expect(close.stdout).toMatch(/not clean and was not closed/);
  }, 60_000);

  it('issue 15 #7: the running month and a future one are refused from the command line (exit 1), nothing closed', async () => {
    for (const m of [month, '2027-02']) {
      const res = await cli('close', '--month', m);
      expect(res.code, m).toBe(1);
      expect(res.stderr, m).toMatch(/has not ended yet/);
    }
    const note = await runCli(
      ['close', '--month', month, '--reason', '\u200b\u200b\u200b\u200b', '--demo', '--data-dir', dir],
      clockEnv(DECEMBER),
    );
    expect(note.code).toBe(2);
    expect(note.stderr).toMatch(/needs --reason TEXT/);
  }, 60_000);

  it('vat-report writes the VAT by VAT id, by country, by supply and the EU sales list', async () => {
    const out = join(dir, 'vat');
    const res = await cli('vat-report', '--month', month, '--out', out, '--delimiter', ';');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/VAT report/);
    const byId = parseCsv(readFileSync(join(out, `vat-by-vat-id-${month}.csv`), 'utf8'), ';');
    expect(byId[0]).toEqual(['vat_id', 'description', 'vat_rate', 'taxable_base', 'vat_base', 'documents']);
    expect(byId.slice(1).some((r) => r[0] === 'MP1' && /,\d{2}$/.test(r[4]!))).toBe(true);
    const supply = parseCsv(readFileSync(join(out, `vat-by-supply-${month}.csv`), 'utf8'), ';');
    expect(supply.slice(1).map((r) => r[0])).toContain('domestic');
    const eu = parseCsv(readFileSync(join(out, `eu-sales-list-${month}.csv`), 'utf8'), ';');
    expect(eu[0]![0]).toBe('customer_vat_number');
  }, 60_000);

  it('refuses bad arguments before opening anything (exit 2)', async () => {
    for (const args of [
      ['reconcile'],
      ['reconcile', '--month', '2026-13'],
      ['vat-report', '--month', month],
      ['reopen', '--month', month],
      ['void', '--reason', 'gone from Visma'],
      ['void', 'VN-INV-1', 'VN-INV-2', '--reason', 'gone'],
      ['close', '--month', '11-2026'],
    ]) {
      const res = await runCli([...args, '--data-dir', join(dir, 'never-opened')]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).not.toMatch(/at .*\.ts:\d+/);
    }
  }, 60_000);

  it('reopening a month that is not closed says so', async () => {
    const res = await cli('reopen', '--month', month, '--reason', 'checking');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/is not closed/);
  }, 60_000);
});
