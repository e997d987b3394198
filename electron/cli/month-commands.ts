import { userInfo } from 'node:os';
import { minorToDecimalString } from '../../shared/money.js';
import { BLOCKING_BUCKETS, BUCKET_LABELS, bucketTotals, type Reconciliation } from '../../shared/month.js';
import { formatReason } from '../../shared/reason-format.js';
import { csvDelimiter } from '../../shared/settings.js';
import { describe } from '../month/month-end.js';
import type { VatReport } from '../month/vat-report.js';
import * as arg from './args.js';
import type { Command, Io, Options } from './command.js';
import { COMMAND_USAGE } from './usage.js';

/** Month-end from the command line: reconcile, close and reopen, the VAT report, and voiding what Visma lost. */
export const MONTH_COMMANDS: Record<string, Command> = {
  reconcile: {
    usage: COMMAND_USAGE.reconcile,
    check: (o) => {
      const month = arg.month(o.month);
      const out = o.out === undefined ? undefined : arg.outputFolder(o.out);
      const delimiter = arg.delimiter(o.delimiter);
      return async (ws, io) => {
        const { reconciliation: r, files } = out
          ? await ws.engine.exportReconciliation(month, 'cli', {
              dir: out,
              delimiter: delimiter ?? csvDelimiter(ws.settings()),
            })
          : { reconciliation: await ws.engine.reconcileMonth(month, 'cli'), files: [] };
        if (o.json)
          io.out.write(
            `${JSON.stringify({ ...r.counts, clean: r.clean, incomplete: r.incomplete.map((x) => formatReason(x, 'en')) })}\n`,
          );
        else printReconciliation(r, io);
        for (const f of files) io.err.write(`${f.file} (${f.rows} rows)\n`);
        return 0;
      };
    },
  },
  close: {
    usage: COMMAND_USAGE.close,
    check: (o) => {
      const month = arg.month(o.month);
      const note = o.reason === undefined ? undefined : arg.reason(o.reason, 'close');
      return async (ws, io) => {
        const result = await ws.engine.closeMonth(month, 'cli', whoAmI(), note);
        if (result.closed) {
          io.out.write(`${month} closed: ${describe(result.reconciliation)}\n`);
          return 0;
        }
        io.out.write(`${month} is not clean and was not closed.\n`);
        printReconciliation(result.reconciliation, io);
        return 1;
      };
    },
  },
  reopen: {
    usage: COMMAND_USAGE.reopen,
    check: (o) => {
      const month = arg.month(o.month);
      const reason = arg.reason(o.reason, 'reopen');
      return async (ws, io) => {
        await ws.engine.reopenMonth(month, 'cli', whoAmI(), reason);
        io.out.write(`${month} reopened\n`);
        return 0;
      };
    },
  },
  'vat-report': {
    usage: COMMAND_USAGE['vat-report'],
    check: (o) => {
      const month = arg.month(o.month);
      const out = arg.outputFolder(o.out);
      const delimiter = arg.delimiter(o.delimiter);
      return async (ws, io) => {
        const { report, files } = await ws.engine.vatReport(month, 'cli', {
          dir: out,
          delimiter: delimiter ?? csvDelimiter(ws.settings()),
        });
        printVatReport(report, io);
        for (const f of files) io.out.write(`${f.file} (${f.rows} rows)\n`);
        return 0;
      };
    },
  },
  void: {
    usage: COMMAND_USAGE.void,
    check: (o: Options, codes) => {
      if (codes.length !== 1 || !/^[\p{L}\p{N}][\p{L}\p{N}\-_/.#]{0,49}$/u.test(codes[0]!))
        throw new arg.UsageError('void takes exactly one AvaTax document code, such as VN-INV-260001');
      const code = codes[0]!;
      const reason = arg.reason(o.reason, 'void');
      return async (ws, io) => {
        const result = await ws.engine.voidInAvaTax(code, reason, 'cli');
        io.out.write(
          `${code}: ${result.status ? `voided (${result.status})` : `not voided — ${result.error ? formatReason(result.error, 'en') : ''}`}\n`,
        );
        return result.error ? 1 : 0;
      };
    },
  },
};

/** Who closes: the person logged in to this computer (the CLI has no other name for them). */
function whoAmI(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

function printReconciliation(r: Reconciliation, io: Io): void {
  const base = r.baseCurrency ?? 'base currency';
  const m = (n: number) => `${minorToDecimalString(n)} ${base}`;
  const state = r.clean ? 'clean' : r.incomplete.length > 0 ? 'INCOMPLETE' : 'NOT clean';
  io.out.write(`${r.month} (${r.from} – ${r.to}): ${state}\n`);
  for (const doubt of r.incomplete) io.out.write(`  incomplete: ${formatReason(doubt, 'en')}\n`);
  for (const problem of r.problems) io.out.write(`  cannot be read: ${formatReason(problem, 'en')}\n`);
  for (const b of bucketTotals(r))
    io.out.write(
      `  ${BUCKET_LABELS[b.bucket].padEnd(26)} ${String(b.documents).padStart(6)}  variance (Visma − AvaTax) ${m(b.difference)}\n`,
    );
  io.out.write(
    `  VAT reported (every supply): Visma ${m(r.vatBase.visma)}, AvaTax ${m(r.vatBase.avatax)}, difference (Visma − AvaTax) ${m(r.vatBase.difference)}\n`,
  );
  io.out.write(`  Domestic VAT (the VAT return): ${m(r.vatReturn.domestic.vat)}\n`);
  for (const c of r.vatReturn.oss.byCountry) io.out.write(`  OSS VAT ${c.country} (the OSS return): ${m(c.vat)}\n`);
  if (r.closed) io.out.write(`  Closed ${r.closed.closedAt.slice(0, 10)} by ${r.closed.by}\n`);
  const blocking = r.documents.filter((d) => BLOCKING_BUCKETS.includes(d.bucket));
  if (blocking.length > 0) io.out.write(`What blocks it (${blocking.length}):\n`);
  for (const d of blocking.slice(0, 200))
    io.out.write(
      `  ${BUCKET_LABELS[d.bucket].padEnd(26)} ${(d.referenceNumber || d.code).padEnd(14)} ${d.why.map((w) => formatReason(w, 'en')).join('; ')}  → ${d.actions.join(', ') || '—'}\n`,
    );
  if (blocking.length > 200) io.out.write(`  … and ${blocking.length - 200} more (use --out DIR for the full list)\n`);
}

function printVatReport(report: VatReport, io: Io): void {
  const cur = report.baseCurrency ?? '';
  const m = (n: number) => minorToDecimalString(n).padStart(14);
  const vr = report.vatReturn;
  for (const note of report.notes) io.out.write(`Note: ${formatReason(note, 'en')}\n`);
  io.out.write(`VAT report ${report.month} (${cur}, credit notes netted; taxable, VAT)\n`);
  io.out.write('Domestic VAT return:\n');
  for (const v of vr.domestic.byVatId) io.out.write(`  ${v.vatId.padEnd(22)} ${m(v.taxable)} ${m(v.vat)}\n`);
  io.out.write(`  ${'Domestic VAT'.padEnd(22)} ${m(vr.domestic.taxable)} ${m(vr.domestic.vat)}\n`);
  io.out.write('OSS return (not on the domestic return):\n');
  for (const c of vr.oss.byCountry) io.out.write(`  ${c.country.padEnd(22)} ${m(c.taxable)} ${m(c.vat)}\n`);
  io.out.write(`  ${'OSS VAT'.padEnd(22)} ${m(vr.oss.taxable)} ${m(vr.oss.vat)}\n`);
  io.out.write(`Intra-EU supplies to VAT-registered buyers: ${m(vr.intraEuB2b.taxable)}\n`);
  io.out.write(`Exports outside the EU:                     ${m(vr.exports.taxable)}\n`);
  if (vr.unknown.documents > 0) io.out.write(`Ship-to country unknown: ${vr.unknown.documents} documents\n`);
  io.out.write(`EU sales list: ${report.euSalesList.length} buyers\n`);
}
