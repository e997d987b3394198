import { type DocumentState, type RunSummary, SUMMARY_KEYS } from '../../shared/domain.js';
import { minorToDecimalString } from '../../shared/money.js';
import { formatReason, formatReasons } from '../../shared/reason-format.js';
import { asReason, type Reason } from '../../shared/reasons.js';
import { csvDelimiter } from '../../shared/settings.js';
import { taxMinor } from '../../shared/tax-details.js';
import { testConnections } from '../app/connection-test.js';
import { toRow } from '../app/document-row.js';
import type { Workspace } from '../app/workspace.js';
import { describeCounts } from '../engine/sync-run.js';
import { describeRepair } from '../jobs/repair.js';
import {
  type BackfillProgress,
  type BackfillRecord,
  type BackfillRequest,
  describe as describeBackfill,
  NothingToResumeError,
} from '../month/backfill.js';
import type { DryRunResult, DryRunSelection } from '../month/dry-run.js';
import { exportMonth } from '../report/month-export.js';
import * as arg from './args.js';
import type { Command, Io } from './command.js';
import { MONTH_COMMANDS } from './month-commands.js';
import { COMMAND_USAGE } from './usage.js';

export type { Command, Io, Options } from './command.js';

export const COMMANDS: Record<string, Command> = {
  sync: {
    usage: COMMAND_USAGE.sync,
    check: (o) => (ws, io) => sync(ws, Boolean(o.json), io),
  },
  ping: {
    usage: COMMAND_USAGE.ping,
    check: () => (ws, io) => ping(ws, io),
  },
  list: {
    usage: COMMAND_USAGE.list,
    check: (o) => {
      const state = arg.state(o.state);
      return (ws, io) => list(ws, state, Boolean(o.json), io);
    },
  },
  reprocess: {
    usage: COMMAND_USAGE.reprocess,
    check: (_o, refs) => {
      if (refs.length === 0)
        throw new arg.UsageError('Name at least one document number: npm run cli -- reprocess 260001');
      const numbers = refs.map(arg.reference);
      return async (ws, io) => report(await ws.engine.reprocess(numbers, 'cli'), io);
    },
  },
  accept: {
    usage: COMMAND_USAGE.accept,
    check: (o, refs) => {
      const [ref] = one(refs, 'accept');
      const reason = arg.reason(o.reason, 'accept');
      return async (ws, io) => report(await ws.engine.accept(ref, reason, 'cli'), io);
    },
  },
  adjust: {
    usage: COMMAND_USAGE.adjust,
    check: (o, refs) => {
      const [ref] = one(refs, 'adjust');
      const reason = arg.reason(o.reason, 'adjust');
      return async (ws, io) => report(await ws.engine.adjust(ref, reason, 'cli'), io);
    },
  },
  'dry-run': {
    usage: COMMAND_USAGE['dry-run'],
    check: (o, rest) => {
      if (rest.length > 0)
        throw new arg.UsageError(
          'dry-run takes no document numbers: choose with --from/--to, --customer or --unreleased',
        );
      const selection: DryRunSelection = {
        range: arg.range(o.from, o.to),
        customer: arg.customer(o.customer),
        unreleased: o.unreleased ? true : undefined,
      };
      if (!selection.range && !selection.customer && !selection.unreleased)
        throw new arg.UsageError(
          'Say which documents: --from YYYY-MM-DD --to YYYY-MM-DD, --customer N, or --unreleased (they can be combined)',
        );
      return async (ws, io) => {
        const result = await ws.engine.dryRun(selection, 'cli', {
          onProgress: (p) => {
            if (p.total > 0 && (p.done === p.total || p.done % 25 === 0))
              io.err.write(`[${p.done}/${p.total}] calculated as estimates\n`);
          },
        });
        io.out.write(o.json ? `${JSON.stringify(result)}\n` : dryRunTable(result));
        return 0;
      };
    },
  },
  backfill: {
    usage: COMMAND_USAGE.backfill,
    check: (o, rest) => {
      if (rest.length > 0) throw new arg.UsageError('backfill takes no document numbers: give --from and --to');
      const perMinute = arg.perMinute(o['per-minute']);
      let request: BackfillRequest;
      if (o.resume) {
        if (o.from !== undefined || o.to !== undefined)
          throw new arg.UsageError('backfill --resume goes on with the paused range: leave out --from and --to');
        request = { resume: true };
      } else {
        const range = arg.range(o.from, o.to);
        if (!range)
          throw new arg.UsageError(
            'backfill needs --from YYYY-MM-DD --to YYYY-MM-DD (or --resume to go on with a paused one)',
          );
        request = { range };
      }
      return (ws, io) => runBackfill(ws, request, perMinute, io);
    },
  },
  'export-audit': {
    usage: COMMAND_USAGE['export-audit'],
    check: (o) => {
      const month = arg.month(o.month);
      const delimiter = arg.delimiter(o.delimiter);
      const out = arg.outputFolder(o.out);
      return async (ws, io) => {
        const result = await exportMonth(ws.store, month, out, delimiter ?? csvDelimiter(ws.settings()), {
          runId: 'export',
          actor: 'cli',
        });
        io.out.write(
          `${result.auditFile} (${result.auditRows} audit entries)\n${result.documentsFile} (${result.documentRows} documents)\n`,
        );
        return 0;
      };
    },
  },
  'verify-audit': {
    usage: COMMAND_USAGE['verify-audit'],
    inspect: true,
    check: (o) => {
      const month = arg.month(o.month);
      return async (ws, io) => {
        const { count, problems } = await ws.store.audit.verify(month);
        if (count === 0 && problems.length === 0) {
          io.out.write(`Audit trail ${month}: no entries were recorded in ${month}; there is no chain to check\n`);
          return 0;
        }
        if (problems.length === 0) {
          io.out.write(`Audit trail ${month}: ${count} entries, chain intact\n`);
          return 0;
        }
        io.out.write(
          `Audit trail ${month}: ${count} entries, NOT intact:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
        return 1;
      };
    },
  },
  repair: {
    usage: COMMAND_USAGE.repair,
    repairMonth: (o) => arg.month(o.month),
    check: (o) => {
      const month = arg.month(o.month);
      return async (ws, io) => {
        const report = await ws.engine.repair(month, 'cli');
        if (o.json) io.out.write(`${JSON.stringify(report)}\n`);
        else io.out.write(`${describeRepair(report)}\n`);
        return report.gone.length > 0 ? 1 : 0;
      };
    },
  },
  'accept-audit-damage': {
    usage: COMMAND_USAGE['accept-audit-damage'],
    inspect: true,
    check: (o) => {
      const reason = arg.reason(o.reason, 'accept-audit-damage');
      return async (ws, io) => {
        const damage = ws.store.audit.damage;
        if (!damage) {
          io.out.write('The audit trail is not damaged: there is nothing to accept\n');
          return 0;
        }
        ws.store.audit.acceptDamage(reason, 'cli');
        await ws.store.checkpoint();
        io.out.write(
          `Recorded in the audit trail and continued from what is on disk: ${formatReason(damage.problem, 'en')}\n`,
        );
        return 0;
      };
    },
  },
  ...MONTH_COMMANDS,
};

function one(refs: string[], command: string): [string] {
  if (refs.length !== 1) throw new arg.UsageError(`${command} takes exactly one document number`);
  return [arg.reference(refs[0]!)];
}

function report(results: { referenceNumber: string; state?: string; error?: Reason }[], io: Io): number {
  for (const r of results)
    io.out.write(
      `${r.referenceNumber}: ${r.error ? `not done${r.state ? ` (${r.state})` : ''} — ${formatReason(r.error, 'en')}` : r.state}\n`,
    );
  return results.some((r) => r.error) ? 1 : 0;
}

async function sync(workspace: Workspace, json: boolean, io: Io): Promise<number> {
  let lastShown = -1;
  workspace.engine.onProgress((p) => {
    const tenth = p.total === 0 ? 0 : Math.floor((p.done / p.total) * 10);
    if (p.done === 0 || p.done === p.total || tenth !== lastShown) {
      lastShown = tenth;
      io.err.write(`[${p.done}/${p.total}] ${p.step}\n`);
    }
  });
  const summary: RunSummary = await workspace.engine.run('cli');
  if (json) {
    const counts = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, summary[k]]));
    io.out.write(`${JSON.stringify({ ...counts })}\n`);
  } else {
    io.out.write(
      `${workspace.mode === 'demo' ? 'Demo company: ' : ''}${formatReason(describeCounts(summary), 'en')}\n`,
    );
    const flagged = workspace.store.ledger.counts().flagged;
    if (flagged > 0)
      io.out.write(
        `${flagged} flagged address${flagged === 1 ? '' : 'es'} in the ledger: npm run cli -- list --state flagged${workspace.mode === 'demo' ? ' --demo' : ''}\n`,
      );
  }
  return summary.outcome === 'completed' ? 0 : 1;
}

async function ping(workspace: Workspace, io: Io): Promise<number> {
  const result = await testConnections(workspace.settings(), workspace.secrets());
  io.out.write(
    `Visma.net: ${result.visma.ok ? 'OK' : 'FAILED'} — ${result.visma.message}\nAvaTax:    ${result.avatax.ok ? 'OK' : 'FAILED'} — ${result.avatax.message}\n`,
  );
  if (result.visma.ok && result.avatax.ok) return 0;
  return result.visma.kind === 'auth' || result.avatax.kind === 'auth' ? 2 : 1;
}

async function list(workspace: Workspace, state: DocumentState | undefined, json: boolean, io: Io): Promise<number> {
  const docs = (await workspace.store.ledger.all())
    .filter((d) => !state || d.state === state)
    .sort((a, b) => a.documentDate.localeCompare(b.documentDate) || a.referenceNumber.localeCompare(b.referenceNumber));
  if (json) {
    const rows = docs.map((d) => {
      const { key: _key, reason: _reason, flag: _flag, country: _country, ...row } = toRow(d);
      return {
        ...row,
        avataxStatus: d.avataxStatus ?? null,
        // In English words (the command line's language), with each reason's stable code beside them.
        reasons: d.reasons.map((r) => formatReason(r, 'en')),
        reasonCodes: d.reasons.map((r) => asReason(r).code),
        suggestedAddress: d.suggestedAddress ?? null,
      };
    });
    io.out.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const d of docs) {
    const tax = taxMinor(d);
    io.out.write(
      `${d.documentType.padEnd(11)} ${d.referenceNumber.padEnd(10)} ${d.documentDate} ${d.state.padEnd(15)} ${d.currency} ${(tax === undefined ? '—' : minorToDecimalString(tax)).padStart(10)}  ${d.customerName}${d.reasons.length ? `  — ${formatReasons(d.reasons, 'en')}` : ''}\n`,
    );
  }
  io.out.write(`${docs.length} document${docs.length === 1 ? '' : 's'}\n`);
  return 0;
}

function money(m: number | null): string {
  return m === null ? '—' : minorToDecimalString(m);
}

/** The dry run as a table for a person: one line per document, its problems and causes under it, then totals. */
function dryRunTable(r: DryRunResult): string {
  if (r.documents.length === 0)
    return 'No documents match this selection: nothing was sent to AvaTax. Check the dates, the customer number or --unreleased.\n';
  const lines: string[] = [];
  lines.push(
    `${'type'.padEnd(11)} ${'number'.padEnd(10)} ${'date'.padEnd(10)} ${'status'.padEnd(8)} cur ${'booked'.padStart(12)} ${'calculated'.padStart(12)} ${'Visma−AvaTax'.padStart(12)}  customer`,
  );
  for (const d of r.documents) {
    lines.push(
      `${d.documentType.padEnd(11)} ${d.referenceNumber.padEnd(10)} ${d.documentDate.padEnd(10)} ${d.status.padEnd(8)} ${d.currency.padEnd(3)} ${money(d.bookedVat).padStart(12)} ${money(d.calculatedVat).padStart(12)} ${(d.differs ? money(d.difference) : '').padStart(12)}  ${d.customerNumber} ${d.customerName}`,
    );
    for (const r of [...d.problems, ...d.explanations]) lines.push(`    ${formatReason(r, 'en')}`);
  }
  lines.push('');
  lines.push(`${r.documents.length} document${r.documents.length === 1 ? '' : 's'}`);
  for (const t of r.totals)
    lines.push(
      `${t.currency}: booked ${minorToDecimalString(t.bookedVat)}, AvaTax ${minorToDecimalString(t.calculatedVat)}, difference (Visma − AvaTax) ${minorToDecimalString(t.difference)} over ${t.calculated} calculated; ${t.differing} differ, ${t.withProblems} with problems`,
    );
  for (const n of r.notes) lines.push(`Note: ${formatReason(n, 'en')}`);
  lines.push('Nothing was recorded in AvaTax or written to Visma.');
  return `${lines.join('\n')}\n`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Runs (or resumes) the backfill, progress and time left on stderr. Ctrl-C pauses after the document in hand
 * (a second Ctrl-C stops at once); the position is kept, and `backfill --resume` goes on from there.
 */
async function runBackfill(
  ws: Workspace,
  request: BackfillRequest,
  perMinute: number | undefined,
  io: Io,
): Promise<number> {
  const pause = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err.write('Pausing after the document in hand… (Ctrl-C again to stop at once)\n');
      pause.abort();
    } else ws.engine.cancel();
  };
  process.on('SIGINT', onInterrupt);
  let shownAt = 0;
  const show = (p: BackfillProgress) => {
    const now = Date.now();
    // The start, the first document, the end, and at most every two seconds between.
    if (p.done > 1 && p.done !== p.total && now - shownAt < 2_000) return;
    shownAt = now;
    io.err.write(
      `[${p.done}/${p.total}] about ${duration(p.etaSeconds)} left${p.reference ? ` — ${p.reference}` : ''}\n`,
    );
  };
  let record: BackfillRecord;
  try {
    record = await ws.engine.backfill(request, 'cli', { perMinute, pause: pause.signal, onProgress: show });
  } catch (error) {
    if (error instanceof NothingToResumeError) throw new arg.UsageError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  const demo = ws.mode === 'demo' ? ' --demo' : '';
  if (record.status === 'completed' && record.total === 0) {
    io.out.write(`There were no documents from ${record.from} to ${record.to}: nothing was processed.\n`);
    return 0;
  }
  if (record.status === 'completed') {
    io.out.write(
      `Backfill of ${record.from} to ${record.to} finished: ${formatReason(describeBackfill(record), 'en')}\n`,
    );
    return 0;
  }
  io.out.write(
    `Backfill of ${record.from} to ${record.to} paused after ${record.done} of ${record.total} documents${
      record.lastError ? ` (${record.lastError})` : ''
    }. Go on with: npm run cli -- backfill --resume${demo}\n`,
  );
  return 1;
}
