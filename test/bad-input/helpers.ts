import { expect } from 'vitest';
import type { Fault } from '../../electron/sandbox/http-kit.js';
import type { StoredReason } from '../../shared/reasons.js';
import { TEST_MONTH } from '../helpers/clock.js';
import { type EngineWorld, startEngineWorld } from '../helpers/engine.js';
import { invariantViolations } from '../helpers/invariants.js';
import { text } from '../helpers/reasons.js';

/**
 * The bad-input catalogue's two promises, as helpers: a message a person can read (words, never a stack, an
 * errno alone or "[object Object]"), and nothing lost (once the bad input is gone, a clean run leaves every
 * invariant of test/helpers/invariants.ts holding).
 */
export function unclearParts(message: string | undefined): string[] {
  const text = message ?? '';
  const out: string[] = [];
  if (text.trim() === '') out.push('it is empty');
  if (/^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(text)) out.push('it carries a stack trace');
  if (
    /^\s*(\w*Error|E(NOSPC|ACCES|PERM|ROFS|NOENT|NOTDIR|EXIST|IO|MFILE|CONNRESET|CONNREFUSED|TIMEDOUT|PIPE|BUSY)):/.test(
      text,
    )
  )
    out.push('it starts with an error name or code');
  if (/\[object Object\]|\bundefined\b|\bNaN\b/.test(text)) out.push('it shows a placeholder');
  if (/<(html|body|head|!doctype|div|h1)\b/i.test(text)) out.push('it shows HTML markup');
  if ((text.match(/\p{L}{2,}/gu) ?? []).length < 3) out.push('it has fewer than three words');
  if (text.length > 2_000) out.push(`it is ${text.length} characters long`);
  return out;
}

export function expectClear(message: string | undefined, what = 'the message'): void {
  expect(unclearParts(message), `${what}: ${JSON.stringify(message?.slice(0, 300))}`).toEqual([]);
}

/** A small company: bad input cases start one each, so they must be quick. */
export function smallWorld(): Promise<EngineWorld> {
  return startEngineWorld({ invoices: 12, creditNotes: 2 });
}

/** What a run said: the error it stopped with, or the reasons of documents it could not finish, and the audit. */
export interface RunSaid {
  error?: string;
  reasons: string[];
  failures: string[];
}

export async function runAndListen(w: EngineWorld, how: () => Promise<unknown> = () => w.engine.run('user')) {
  const before = new Set((await w.store.audit.entries(month())).map((e) => e.id));
  let error: string | undefined;
  const value = await how().catch((e: Error) => {
    error = e.message;
  });
  // A document's outcome says why as a reason (a code): read in English words, as the CLI prints it.
  const told = Array.isArray(value)
    ? value
        .map((r: { error?: StoredReason }) => r.error)
        .filter((m) => m !== undefined)
        .map(text)
    : [];
  const fresh = (await w.store.audit.entries(month())).filter((e) => !before.has(e.id));
  const rows = await w.store.ledger.all();
  const said: RunSaid = {
    error,
    reasons: [
      ...told,
      ...rows
        .filter((r) => r.state === 'needs-attention' || r.state === 'pending-retry')
        .flatMap((r) => r.reasons.map(text)),
    ],
    failures: fresh
      .filter((e) => e.action === 'failed' || e.action === 'retried' || /failed/.test(text(e.detail)))
      .map((e) => text(e.detail)),
  };
  return said;
}

/** Every word the run said is clear, and at least one of them names `about` (what went wrong, in words). */
export function expectSaid(said: RunSaid, about: RegExp): void {
  const all = [said.error, ...said.reasons, ...said.failures].filter((m): m is string => m !== undefined);
  for (const m of all) expectClear(m);
  expect(
    all.some((m) => about.test(m)),
    `nothing said matches ${about}: ${JSON.stringify(all).slice(0, 600)}`,
  ).toBe(true);
}

/** The bad input is gone: a clean run (and a reprocess of what waits for the user) leaves nothing lost. */
export async function expectNothingLost(w: EngineWorld): Promise<void> {
  w.sandboxes.visma.server.clearFaults();
  w.sandboxes.avatax.server.clearFaults();
  await w.engine.run('user');
  const waiting = (await w.store.ledger.byState('needs-attention', 'pending-retry')).map((d) => d.referenceNumber);
  if (waiting.length > 0) await w.engine.reprocess(waiting, 'user');
  expect(
    await invariantViolations(
      { sandboxes: w.sandboxes, store: w.store, statuses: w.settingsNow.sync.statuses },
      { settled: true },
    ),
  ).toEqual([]);
}

/** A 200 answer with an odd body, as injectFault takes it. */
export function ok200(body: unknown, contentType = 'application/json'): Fault {
  return { kind: 'status', status: 200, body, contentType };
}

/** The month the tests' clock is in: where a world's audit entries land. */
export function month(): string {
  return TEST_MONTH;
}
