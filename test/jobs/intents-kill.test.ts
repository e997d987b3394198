import { afterEach, describe, expect, it } from 'vitest';
import { killOnWrite } from '../helpers/cli.js';
import { TEST_MONTH } from '../helpers/clock.js';
import {
  carriedOut,
  expectResolved,
  type KillWorld,
  startKillWorld,
  trailOf,
  versionsOf,
} from '../helpers/kill-world.js';
import { text } from '../helpers/reasons.js';

/**
 * Kill-and-restart for each kind of write-ahead intent (issue 14, item 5): the real CLI is SIGKILLed right after
 * the service carried out the effect (its answer lost), or right before (the request dropped, the effect never
 * made), then started again. Each time: no intent left open, the ledger says what the services hold, the trail
 * says who asked for the effect, why, and that it was interrupted, no effect made twice, every invariant holds.
 */
const DOC_PUT = /^\/v1\/customer(invoice|CreditNote|DebitNote)\/[^/]+$/i;
const refOf = (path: string) => decodeURIComponent(path.split('/')[3] ?? '');
const SYNC = ['sync', '--json'];
const BY_CLI = /asked by command line/;

let w: KillWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('a sync killed at one of its effects, then started again', () => {
  it('write-back, after Visma carried it out: written once, recorded, said interrupted', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release' } });
    let ref = '';
    const puts = w.sandboxes.visma.server;
    // The write is carried out when its background job is read; that read's answer is lost.
    await w.killedAt(SYNC, 'visma', (e) => {
      const put = puts.log.find((p) => p.method === 'PUT' && p.status === 202);
      if (put) ref = refOf(put.path);
      return ref !== '' && e.method === 'GET' && /^\/v1\/background\/[^/]+$/.test(e.path);
    });
    expect(ref).not.toBe('');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    const writes = w.sandboxes.visma.server.log.filter(
      (e) => e.method === 'PUT' && e.status === 202 && refOf(e.path) === ref,
    );
    expect(writes, 'written to Visma once').toHaveLength(1);
    const store = await w.open();
    await expectResolved(w, store, { referenceNumber: ref, by: BY_CLI });
    await store.close();
  }, 120_000);

  it('write-back, right before Visma got it: written once after the restart', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release' } });
    await w.killedBefore(SYNC, 'visma', 'PUT', DOC_PUT);
    expect(carriedOut(w, 'visma', 'PUT', DOC_PUT)).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    const writes = w.sandboxes.visma.server.log.filter((e) => e.method === 'PUT' && e.status === 202);
    const perDoc = new Map<string, number>();
    for (const e of writes) perDoc.set(refOf(e.path), (perDoc.get(refOf(e.path)) ?? 0) + 1);
    expect(
      [...perDoc.values()].every((n) => n === 1),
      'no document written twice',
    ).toBe(true);
    const store = await w.open();
    await expectResolved(w, store, { by: BY_CLI });
    await store.close();
  }, 120_000);

  it('record (a released document recorded as Visma booked it, committed): one version in AvaTax', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release' } });
    let code = '';
    await w.killedAt(SYNC, 'avatax', (e) => {
      if (!/\/transactions\/create$/.test(e.path) || e.status !== 200) return false;
      const body = JSON.parse(e.body);
      if (body.commit !== true) return false;
      code = body.code;
      return true;
    });
    expect(versionsOf(w, code)).toBe(1);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(versionsOf(w, code), 'recorded once').toBe(1);
    const store = await w.open();
    const ref = code.replace(/^VN-[A-Z]+-/, '');
    await expectResolved(w, store, { referenceNumber: ref, by: BY_CLI });
    const row = (await store.ledger.all()).find((r) => r.avataxCode === code)!;
    expect(row.avataxStatus).toBe('Committed');
    await store.close();
  }, 120_000);

  it('commit (commit immediately): committed once, the ledger says so', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    let code = '';
    await w.killedAt(SYNC, 'avatax', (e) => {
      const m = /\/transactions\/([^/]+)\/commit$/.exec(e.path);
      if (!m || e.status !== 200) return false;
      code = decodeURIComponent(m[1]!);
      return true;
    });
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Committed');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(versionsOf(w, code)).toBe(1);
    const store = await w.open();
    const row = (await store.ledger.all()).find((r) => r.avataxCode === code)!;
    expect(row.avataxStatus).toBe('Committed');
    await expectResolved(w, store, { referenceNumber: row.referenceNumber, by: BY_CLI });
    await store.close();
  }, 120_000);

  it('void (a document voided in Visma): voided once, the ledger says voided', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const victim = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    const code = `VN-INV-${victim.referenceNumber}`;
    w.sandboxes.visma.voidDocument('invoice', victim.referenceNumber);
    await w.killedAt(SYNC, 'avatax', (e) => /\/void$/.test(e.path) && e.status === 200);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Cancelled');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(carriedOut(w, 'avatax', 'POST', /\/void$/), 'voided once').toBe(1);
    const store = await w.open();
    expect((await store.ledger.get(`invoice:${victim.referenceNumber}`))?.state).toBe('voided');
    await expectResolved(w, store, { referenceNumber: victim.referenceNumber, by: BY_CLI });
    await store.close();
  }, 120_000);

  it('void, right before AvaTax got it: voided once after the restart', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const victim = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    const code = `VN-INV-${victim.referenceNumber}`;
    w.sandboxes.visma.voidDocument('invoice', victim.referenceNumber);
    await w.killedBefore(SYNC, 'avatax', 'POST', /\/void$/);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Committed');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(carriedOut(w, 'avatax', 'POST', /\/void$/), 'voided once').toBe(1);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Cancelled');
    const store = await w.open();
    expect((await store.ledger.get(`invoice:${victim.referenceNumber}`))?.state).toBe('voided');
    await expectResolved(w, store, { referenceNumber: victim.referenceNumber, by: BY_CLI });
    await store.close();
  }, 120_000);

  it('release (release after verify): released once, committed, posted', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release', releaseAfterVerify: true } });
    for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
    let ref = '';
    // The release is carried out when its background job is read: killed there, its answer lost.
    const jobs = w.sandboxes.visma.background.jobs;
    await w.killedAt(SYNC, 'visma', (e) => {
      const ran = jobs.find((j) => /\/action\/release$/.test(j.originalUri) && j.status === 'Succeeded');
      if (!ran || !/^\/v1\/background\//.test(e.path)) return false;
      ref = decodeURIComponent(ran.originalUri.split('/')[3] ?? '');
      return true;
    });
    expect(ref).not.toBe('');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    // Carried out once: a release Visma accepted (202) runs when its job is read, and the killed run never read it.
    const releases = w.sandboxes.visma.background.jobs.filter(
      (j) => j.originalUri.endsWith(`/${encodeURIComponent(ref)}/action/release`) && j.status === 'Succeeded',
    );
    expect(releases, 'released once').toHaveLength(1);
    await expectPostedAndResolved(w, ref);
  }, 120_000);

  it('release whose 202 was lost, carried out by Visma on its own meanwhile: not asked again, committed, posted', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release', releaseAfterVerify: true } });
    // A real Visma's background worker may run an accepted job whether or not anyone reads its state.
    w.sandboxes.visma.background.runs = 'on-its-own';
    for (const d of w.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
    let ref = '';
    // Killed as Visma accepts the release (202): the process never learns the job's id, the job runs anyway.
    await w.killedAt(SYNC, 'visma', (e) => {
      if (e.method !== 'POST' || !/\/action\/release$/.test(e.path) || e.status !== 202) return false;
      ref = decodeURIComponent(e.path.split('/')[3] ?? '');
      return true;
    });
    expect(ref).not.toBe('');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    const releases = w.sandboxes.visma.background.jobs.filter((j) =>
      j.originalUri.endsWith(`/${encodeURIComponent(ref)}/action/release`),
    );
    expect(
      releases.map((j) => j.status),
      'released once, and not asked again',
    ).toEqual(['Succeeded']);
    await expectPostedAndResolved(w, ref);
  }, 120_000);
});

describe('a person’s effect from the command line killed, then a sync', () => {
  it('adjust (a committed document changed in Visma): one new version, in the person’s words', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const invoice = w.sandboxes.visma.state.documents.find(
      (d) =>
        d.kind === 'invoice' &&
        d.status === 'Balanced' &&
        w!.sandboxes.avatax.state.transactions.some(
          (t) => t.code === `VN-INV-${d.referenceNumber}` && t.status === 'Committed',
        ),
    )!;
    const code = `VN-INV-${invoice.referenceNumber}`;
    w.sandboxes.visma.editDocument('invoice', invoice.referenceNumber, (d) => {
      d.lines[0]!.amount += 100;
      d.lines[0]!.amountInCurrency += 100;
    });
    expect((await w.cli(SYNC)).code).toBe(0);
    const before = versionsOf(w, code);
    await w.killedAt(
      ['adjust', invoice.referenceNumber, '--reason', 'Quantity corrected with the customer'],
      'avatax',
      (e) => /\/adjust$/.test(e.path) && e.status === 200,
    );
    expect(versionsOf(w, code)).toBe(before + 1);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(versionsOf(w, code), 'adjusted once').toBe(before + 1);
    const store = await w.open();
    expect((await store.ledger.get(`invoice:${invoice.referenceNumber}`))?.state).toBe('posted');
    await expectResolved(w, store, {
      referenceNumber: invoice.referenceNumber,
      by: BY_CLI,
      why: /Quantity corrected/,
    });
    await store.close();
  }, 120_000);

  it('accept as booked where AvaTax already records it: killed after AvaTax answered, accepted after the restart', async () => {
    w = await startKillWorld({ sync: { commit: 'on-release' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const first = await w.open();
    const variance = (await first.ledger.all()).find(
      (r) => r.state === 'needs-attention' && r.avataxStatus === 'Committed',
    )!;
    await first.close();
    const code = variance.avataxCode;
    const before = versionsOf(w, code);
    // The record is announced, AvaTax answers with what it holds; the kill lands before the acceptance is kept.
    await w.killedAt(
      ['accept', variance.referenceNumber, '--reason', 'Agreed with the customer on the phone'],
      'avatax',
      (e) => e.method === 'GET' && e.path.endsWith(`/transactions/${code}`),
    );
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(versionsOf(w, code)).toBe(before);
    const store = await w.open();
    const row = await store.ledger.get(variance.key);
    expect(row?.state).toBe('posted');
    expect(row?.acceptance?.reason).toMatch(/Agreed with the customer/);
    await expectResolved(w, store, { referenceNumber: variance.referenceNumber, by: BY_CLI, why: /Agreed/ });
    await store.close();
  }, 120_000);

  it('void from Month-end: voided once, recorded voided with who and why', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const victim = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(victim), 1);
    const code = `VN-INV-${victim.referenceNumber}`;
    await w.killedAt(
      ['void', code, '--reason', 'Entered twice, deleted in Visma'],
      'avatax',
      (e) => /\/void$/.test(e.path) && e.status === 200,
    );
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(carriedOut(w, 'avatax', 'POST', /\/void$/), 'voided once').toBe(1);
    const store = await w.open();
    expect((await store.ledger.get(`invoice:${victim.referenceNumber}`))?.state).toBe('voided');
    await expectResolved(w, store, {
      referenceNumber: victim.referenceNumber,
      by: BY_CLI,
      why: /Entered twice/,
    });
    await store.close();
  }, 120_000);
});

describe('a void from Month-end killed right before AvaTax got it, then a sync', () => {
  it('the void the person asked for is made once, with who and why', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const victim = w.sandboxes.visma.state.documents.find((d) => d.kind === 'invoice' && d.status === 'Open')!;
    w.sandboxes.visma.state.documents.splice(w.sandboxes.visma.state.documents.indexOf(victim), 1);
    const code = `VN-INV-${victim.referenceNumber}`;
    await w.killedBefore(['void', code, '--reason', 'Entered twice, deleted in Visma'], 'avatax', 'POST', /\/void$/);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Committed');
    expect((await w.cli(SYNC)).code).toBe(0);
    expect((await w.cli(SYNC)).code).toBe(0);
    expect(carriedOut(w, 'avatax', 'POST', /\/void$/), 'voided once').toBe(1);
    expect(w.sandboxes.avatax.state.transactions.find((t) => t.code === code)?.status).toBe('Cancelled');
    const store = await w.open();
    expect((await store.ledger.get(`invoice:${victim.referenceNumber}`))?.state).toBe('voided');
    await expectResolved(w, store, { referenceNumber: victim.referenceNumber, by: BY_CLI, why: /Entered twice/ });
    await store.close();
  }, 120_000);
});

describe('a repair killed halfway, then a sync', () => {
  it('every row of the month is back, none lost; the trail says the repair was interrupted and finished', async () => {
    w = await startKillWorld({ sync: { commit: 'immediately' } });
    expect((await w.cli(SYNC)).code).toBe(0);
    const before = await w.open();
    const rows = (await before.ledger.inMonth(TEST_MONTH)).length;
    await before.close();
    expect(rows).toBeGreaterThan(5);
    // The month's file is set aside as the repair starts; killed while it rebuilds (AvaTax's 5th answer).
    let answers = 0;
    await w.killedAt(['repair', '--month', TEST_MONTH], 'avatax', () => ++answers === 5);
    expect((await w.cli(SYNC)).code).toBe(0);
    const store = await w.open();
    expect((await store.ledger.inMonth(TEST_MONTH)).length).toBe(rows);
    await expectResolved(w, store, { by: BY_CLI });
    expect((await trailOf(store)).some((e) => e.action === 'repaired')).toBe(true);
    await store.close();
  }, 120_000);
});

/** A clean month: every document waits in Visma for its VAT, and the sync sets, verifies, releases and commits. */
async function cleanMonth(): Promise<KillWorld> {
  const world = await startKillWorld({ sync: { commit: 'on-release', releaseAfterVerify: true } });
  for (const d of world.sandboxes.visma.state.documents) Object.assign(d, { status: 'Balanced', hold: false });
  expect((await world.cli(SYNC)).code).toBe(0);
  return world;
}
const DECEMBER = '2026-12-03T10:00:00.000Z';
const CLOSE = ['close', '--month', '2026-11', '--reason', 'VAT return filed'];

describe('a close killed between its records, then a sync', () => {
  it('after its audit entry, before state.json: the close is finished, once', async () => {
    w = await cleanMonth();
    const killed = await w.cli(CLOSE, { at: DECEMBER, env: killOnWrite(/audit/, /"month-closed"/) });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect((await w.cli(SYNC, { at: DECEMBER })).code).toBe(0);
    const store = await w.open();
    expect(store.state.closedMonth('2026-11')).toMatchObject({ month: '2026-11', note: 'VAT return filed' });
    const closes = (await trailOf(store)).filter((e) => e.action === 'month-closed');
    expect(closes).toHaveLength(1);
    await expectResolved(w, store, { by: BY_CLI, why: /VAT return filed/ });
    await store.close();
    // Closing again is refused: it is closed.
    expect((await w.cli(CLOSE, { at: DECEMBER })).code).not.toBe(0);
  }, 120_000);

  it('after its intent, before its audit entry: not closed, said so; closing again works', async () => {
    w = await cleanMonth();
    const killed = await w.cli(CLOSE, { at: DECEMBER, env: killOnWrite(/intents/, /"kind":"close"/) });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect((await w.cli(SYNC, { at: DECEMBER })).code).toBe(0);
    let store = await w.open();
    expect(store.state.closedMonth('2026-11')).toBeUndefined();
    const said = await expectResolved(w, store, { by: BY_CLI, why: /VAT return filed/ });
    expect(text(said.detail)).toMatch(/not closed/);
    await store.close();
    expect((await w.cli(CLOSE, { at: DECEMBER })).code).toBe(0);
    store = await w.open();
    expect(store.state.closedMonth('2026-11')).toBeDefined();
    expect((await trailOf(store)).filter((e) => e.action === 'month-closed')).toHaveLength(1);
    await store.close();
  }, 120_000);
});

/** After the restarts: the released document is posted and committed, its intent resolved in the command line's name. */
async function expectPostedAndResolved(world: KillWorld, ref: string): Promise<void> {
  const store = await world.open();
  const row = (await store.ledger.all()).find((r) => r.referenceNumber === ref)!;
  expect(row.state).toBe('posted');
  expect(row.avataxStatus).toBe('Committed');
  await expectResolved(world, store, { referenceNumber: ref, by: BY_CLI });
  await store.close();
}
