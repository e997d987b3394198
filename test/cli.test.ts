import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_KEYS } from '../shared/domain.js';
import { runCli } from './helpers/cli.js';
import { TEST_MONTH } from './helpers/clock.js';
import { tempDir } from './helpers/engine.js';

describe('the headless CLI (a contract)', () => {
  const dir = tempDir('taxsync-cli-');
  let first: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    first = await runCli(['sync', '--demo', '--json', '--data-dir', dir]);
  }, 120_000);
  afterAll(() => undefined);

  it('sync --demo --json prints exactly one JSON object with the integer keys, progress on stderr', () => {
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(Object.keys(summary).sort()).toEqual([...SUMMARY_KEYS].sort());
    for (const k of SUMMARY_KEYS) expect(Number.isInteger(summary[k])).toBe(true);
    expect(summary.fetched).toBeGreaterThan(200);
    expect(summary.posted).toBeGreaterThan(0);
    expect(summary.flagged).toBeGreaterThan(0);
    expect(first.stderr).toMatch(/\[\d+\/\d+\]/);
  });

  it('a second run posts nothing new and writes nothing to Visma', async () => {
    const second = await runCli(['sync', '--demo', '--json', '--data-dir', dir]);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect([summary.calculated, summary.posted, summary.writtenBack, summary.flagged]).toEqual([0, 0, 0, 0]);
  }, 60_000);

  it('list --state flagged shows the broken addresses with their reasons', async () => {
    const res = await runCli(['list', '--state', 'flagged', '--json', '--demo', '--data-dir', dir]);
    expect(res.code).toBe(0);
    const rows = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      for (const k of ['documentType', 'referenceNumber', 'state', 'avataxCode', 'totalTax', 'reasons'])
        expect(r).toHaveProperty(k);
      expect(r.state).toBe('flagged');
      expect((r.reasons as string[]).length).toBeGreaterThan(0);
    }
    const names = new Set(rows.map((r) => r.customerName));
    expect(names).toContain('Jørgensen & Ko');
    expect(names).toContain('Ängsbacka Gård');
  }, 60_000);

  it('export-audit writes the two CSV files, and verify-audit finds the chain intact', async () => {
    const out = join(dir, 'export');
    const month = TEST_MONTH;
    const res = await runCli([
      'export-audit',
      '--month',
      month,
      '--out',
      out,
      '--demo',
      '--data-dir',
      dir,
      '--delimiter',
      ';',
    ]);
    expect(res.code).toBe(0);
    const audit = readFileSync(join(out, `audit-${month}.csv`), 'utf8');
    expect(audit.startsWith('\uFEFFtimestamp_utc;run_id;actor;action')).toBe(true);
    expect(existsSync(join(out, `documents-${month}.csv`))).toBe(true);
    const verify = await runCli(['verify-audit', '--month', month, '--demo', '--data-dir', dir]);
    expect(verify.stdout).toMatch(/chain intact/);
    expect(verify.code).toBe(0);
    // A month nothing was recorded in has no chain: said so, not "chain intact".
    const empty = await runCli(['verify-audit', '--month', '2019-01', '--demo', '--data-dir', dir]);
    expect(empty.stdout).toMatch(/no entries were recorded in 2019-01/);
    expect(empty.stdout).not.toMatch(/intact/);
  }, 60_000);

  it('a damaged audit trail stops every command but verify-audit and accept-audit-damage, which go on from it', async () => {
    const month = TEST_MONTH;
    const file = join(dir, 'demo', 'audit', `${month}.jsonl`);
    const kept = readFileSync(file, 'utf8');
    const cut = `${kept.trim().split('\n').slice(0, 2).join('\n')}\n`;
    writeFileSync(file, cut);
    const sync = await runCli(['sync', '--demo', '--data-dir', dir]);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain(file);
    expect(sync.stderr).toMatch(/entries were removed from its end/);
    expect(readFileSync(file, 'utf8')).toBe(cut);
    const verify = await runCli(['verify-audit', '--month', month, '--demo', '--data-dir', dir]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/NOT intact/);
    expect((await runCli(['accept-audit-damage', '--demo', '--data-dir', dir])).code).toBe(2);
    const accepted = await runCli([
      'accept-audit-damage',
      '--reason',
      'The lines were lost with the old laptop',
      '--demo',
      '--data-dir',
      dir,
    ]);
    expect(accepted.code).toBe(0);
    expect((await runCli(['sync', '--demo', '--data-dir', dir])).code).toBe(0);
  }, 120_000);

  it('ping --demo authenticates both connections', async () => {
    const res = await runCli(['ping', '--demo', '--data-dir', dir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Visma\.net: OK/);
    expect(res.stdout).toMatch(/AvaTax: {4}OK/);
  }, 60_000);

  it('exits 2 with a clear message on configuration errors', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        visma: { apiUrl: 'not a url' },
        avalara: {},
        company: { shipFrom: { line1: 'x', city: 'y', postalCode: '1', country: 'Sweden' } },
        vatMapping: [{ country: 'SE', rate: 25, vatCategoryId: '01', vatId: 'MP1' }],
      }),
    );
    const res = await runCli(['sync', '--config', bad, '--data-dir', dir], {
      VISMA_CLIENT_SECRET: 'x',
      AVALARA_LICENSE_KEY: 'y',
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Visma, API URL: must be a web address/);
    expect(res.stderr).toMatch(/VAT mapping, row 1, rate: rate is stored as a fraction: 0.25 for 25 %/);
    expect(res.stderr).toMatch(/country: "Sweden" is a country’s name, not its code: the ISO 3166 code is SE/);

    const noSecrets = await runCli(['sync', '--config', bad, '--data-dir', dir]);
    expect(noSecrets.code).toBe(2);
    const missing = await runCli(['sync', '--data-dir', join(dir, 'empty')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No settings/);
    const unknown = await runCli(['frobnicate', '--demo', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "visma": ');
    const broken = await runCli(['sync', '--config', notJson, '--data-dir', dir], {
      VISMA_CLIENT_SECRET: 'x',
      AVALARA_LICENSE_KEY: 'y',
    });
    expect([broken.code, /not valid JSON/.test(broken.stderr)]).toEqual([2, true]);
  }, 60_000);
});
