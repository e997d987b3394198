import { type DocumentState, type RunSummary, SUMMARY_KEYS } from '../../shared/domain.js';
import { minorToDecimalString } from '../../shared/money.js';
import { csvDelimiter } from '../../shared/settings.js';
import { taxMinor } from '../../shared/tax-details.js';
import { testConnections } from '../app/connection-test.js';
import { toRow } from '../app/document-row.js';
import type { Workspace } from '../app/workspace.js';
import { describeCounts } from '../engine/sync-run.js';
import { exportMonth } from '../report/month-export.js';
import * as arg from './args.js';
import { MONTH_COMMANDS } from './month-commands.js';

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface Options {
  json?: boolean;
  state?: string;
  month?: string;
  out?: string;
  delimiter?: string;
  reason?: string;
  from?: string;
  to?: string;
}

/**
 * One command: its usage line, the checks of its arguments (done before the data folder is opened: a usage
 * error exits 2 without touching anything), and what it does.
 */
export interface Command {
  usage: string;
  check(options: Options, positionals: string[]): (workspace: Workspace, io: Io) => Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  sync: {
    usage: 'sync [--json]                          one sync run; progress on stderr',
    check: (o) => (ws, io) => sync(ws, Boolean(o.json), io),
  },
  ping: {
    usage: 'ping                                   test both connections (exit 0 when both authenticate)',
    check: () => (ws, io) => ping(ws, io),
  },
  list: {
    usage: 'list [--state STATE] [--json]          documents in the ledger',
    check: (o) => {
      const state = arg.state(o.state);
      return (ws, io) => list(ws, state, Boolean(o.json), io);
    },
  },
  reprocess: {
    usage: 'reprocess NUMBER...                    re-read and process documents again',
    check: (_o, refs) => {
      if (refs.length === 0)
        throw new arg.UsageError('Name at least one document number: npm run cli -- reprocess 260001');
      const numbers = refs.map(arg.reference);
      return async (ws, io) => report(await ws.engine.reprocess(numbers, 'cli'), io);
    },
  },
  accept: {
    usage:
      'accept NUMBER --reason TEXT            accept the VAT Visma booked for a document in needs attention\n' +
      '                                         (a variance): AvaTax records it as booked, the document is posted',
    check: (o, refs) => {
      const [ref] = one(refs, 'accept');
      const reason = arg.reason(o.reason, 'accept');
      return async (ws, io) => report(await ws.engine.accept(ref, reason, 'cli'), io);
    },
  },
  adjust: {
    usage: 'adjust NUMBER --reason TEXT            adjust the committed AvaTax document to the changed Visma document',
    check: (o, refs) => {
      const [ref] = one(refs, 'adjust');
      const reason = arg.reason(o.reason, 'adjust');
      return async (ws, io) => report(await ws.engine.adjust(ref, reason, 'cli'), io);
    },
  },
  'export-audit': {
    usage: "export-audit --month YYYY-MM --out DIR [--delimiter ';']",
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
    usage: "verify-audit --month YYYY-MM           re-walk the audit trail's hash chain",
    check: (o) => {
      const month = arg.month(o.month);
      return async (ws, io) => {
        const { count, problems } = await ws.store.audit.verify(month);
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
  ...MONTH_COMMANDS,
};

function one(refs: string[], command: string): [string] {
  if (refs.length !== 1) throw new arg.UsageError(`${command} takes exactly one document number`);
  return [arg.reference(refs[0]!)];
}

function report(results: { referenceNumber: string; state?: string; error?: string }[], io: Io): number {
  for (const r of results) io.out.write(`${r.referenceNumber}: ${r.state ?? `not done — ${r.error}`}\n`);
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
    io.out.write(`${workspace.mode === 'demo' ? 'Demo company: ' : ''}${describeCounts(summary)}\n`);
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
        reasons: d.reasons,
        suggestedAddress: d.suggestedAddress ?? null,
      };
    });
    io.out.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const d of docs) {
    const tax = taxMinor(d);
    io.out.write(
      `${d.documentType.padEnd(11)} ${d.referenceNumber.padEnd(10)} ${d.documentDate} ${d.state.padEnd(15)} ${d.currency} ${(tax === undefined ? '—' : minorToDecimalString(tax)).padStart(10)}  ${d.customerName}${d.reasons.length ? `  — ${d.reasons.join('; ')}` : ''}\n`,
    );
  }
  io.out.write(`${docs.length} document${docs.length === 1 ? '' : 's'}\n`);
  return 0;
}
