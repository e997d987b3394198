import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { TEST_NOW } from './helpers/clock.js';
import { tempDir } from './helpers/engine.js';

const day = (offset: number) => new Date(Date.parse(TEST_NOW) + offset * 86_400_000).toISOString().slice(0, 10);

/** The month-end commands as a person or a script runs them, against the demo company. */
describe('dry-run and backfill on the command line', () => {
  it('dry-run --json prints one object with documents and totals in minor units; the table says nothing was recorded', async () => {
    const dir = tempDir('taxsync-cli-month-');
    const json = await runCli(['dry-run', '--unreleased', '--json', '--demo', '--data-dir', dir]);
    expect(json.code).toBe(0);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result.documents.length).toBeGreaterThan(50);
    for (const d of result.documents) {
      expect(['Hold', 'Balanced']).toContain(d.status);
      expect(Number.isInteger(d.bookedVat)).toBe(true);
      if (d.calculatedVat !== null) expect(d.difference).toBe(d.bookedVat - d.calculatedVat);
    }
    expect(result.totals.length).toBeGreaterThan(1);
    for (const t of result.totals)
      for (const k of ['bookedVat', 'calculatedVat', 'difference']) expect(Number.isInteger(t[k])).toBe(true);
    const sandbox = JSON.parse(readFileSync(join(dir, 'demo', 'sandbox.json'), 'utf8'));
    expect(sandbox.avatax.transactions).toEqual([]);

    const table = await runCli(['dry-run', '--customer', '10024', '--demo', '--data-dir', dir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^type {8}number/);
    expect(table.stdout).toMatch(/Bäckerei Weiß/);
    expect(table.stdout).toMatch(/\nEUR: booked -?\d+\.\d{2}, AvaTax -?\d+\.\d{2}, difference/);
    expect(table.stdout.trim().split('\n').at(-1)).toBe('Nothing was recorded in AvaTax or written to Visma.');
    const list = await runCli(['list', '--json', '--demo', '--data-dir', dir]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 240_000);

  it('backfill: Ctrl-C pauses while it waits for its pace, --resume goes on, and a second one sends nothing', async () => {
    const dir = tempDir('taxsync-cli-month-');
    const range = ['--from', day(-3), '--to', day(0)];
    let sent = false;
    const first = await runCli(
      ['backfill', ...range, '--per-minute', '1', '--demo', '--data-dir', dir],
      {},
      (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          if (!sent && /\[1\/\d+\]/.test(String(d))) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    );
    expect(first.stderr).toMatch(/Pausing after the document in hand/);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      /paused after 1 of (\d+) documents\. Go on with: npm run cli -- backfill --resume --demo/,
    );
    const total = Number(/paused after 1 of (\d+)/.exec(first.stdout)![1]);
    expect(total).toBeGreaterThan(5);
    const state = JSON.parse(readFileSync(join(dir, 'demo', 'state.json'), 'utf8'));
    expect(state.backfill).toMatchObject({ status: 'paused', done: 1, total, perMinute: 1 });

    const resumed = await runCli(['backfill', '--resume', '--per-minute', '1000', '--demo', '--data-dir', dir]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`finished: ${total} of ${total} documents`));
    expect(resumed.stderr).toMatch(/about \d+ (s|min) left/);

    const again = await runCli(['backfill', ...range, '--demo', '--data-dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(
        `finished: ${total} of ${total} documents: 0 posted, 0 calculated, 0 already in AvaTax, .* ${total} already recorded`,
      ),
    );
    const nothing = await runCli(['backfill', '--resume', '--demo', '--data-dir', dir]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/is finished: there is nothing to resume/);
  }, 240_000);
});
