import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/** An empty selection is said as such, never as a result about documents that are not there (issue 17, item 7). */
describe('empty answers on the command line', () => {
  const dir = tempDir('taxsync-empty-cli-');
  const cli = (...args: string[]) => runCli([...args, '--demo', '--data-dir', dir]);

  it('a dry run for a customer with no documents says there were none', async () => {
    const res = await cli('dry-run', '--customer', 'abc');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^No documents match this selection: nothing was sent to AvaTax\./m);
  }, 60_000);

  it('a backfill of a range without documents says so, not "finished: 0 of 0"', async () => {
    const res = await cli('backfill', '--from', '2027-01-01', '--to', '2027-12-31');
    expect(res.stdout).not.toMatch(/0 of 0/);
    expect(res.stdout).toMatch(/There were no documents from 2027-01-01 to 2027-12-31: nothing was processed\./);
    expect(res.code).toBe(0);
  }, 60_000);
});
