import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DOCUMENT_STATES, type DocumentState, type RunSummary, SUMMARY_KEYS } from '../shared/domain.js';
import { minorToDecimalString } from '../shared/money.js';
import { taxMinor } from '../shared/tax-details.js';
import { loadSettingsFile, secretsFromEnv } from './app/config.js';
import { testConnections } from './app/connection-test.js';
import { toRow } from './app/document-row.js';
import { defaultDataDir } from './app/paths.js';
import { openDemoWorkspace, openLiveWorkspace, type Workspace } from './app/workspace.js';
import { ConfigurationError } from './engine/errors.js';
import { describeCounts } from './engine/sync-run.js';
import { exportMonth } from './report/month-export.js';
import { DataFolderBusyError, DataFolderError } from './store/index.js';
import { describeHolder, type LockHolder } from './store/lock.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands
  sync [--json]                          one sync run; progress on stderr
  ping                                   test both connections (exit 0 when both authenticate)
  list [--state STATE] [--json]          documents in the ledger
  reprocess NUMBER...                    re-read and process documents again
  accept NUMBER --reason TEXT            accept the VAT Visma booked for a document in needs attention
                                         (a variance): AvaTax records it as booked, the document is posted
  adjust NUMBER --reason TEXT            adjust the committed AvaTax document to the changed Visma document
  export-audit --month YYYY-MM --out DIR [--delimiter ';']
  verify-audit --month YYYY-MM           re-walk the audit trail's hash chain

Options
  --data-dir DIR    where the ledger and audit trail live (default: the desktop app's folder)
  --config FILE     settings as JSON (default: <data-dir>/settings.json)
  --demo            run against the built-in sandboxes with the seeded demo company
  --wait SECONDS    when the desktop app or another command has the data folder, wait this long for it
                    (default: stop at once, exit 2, naming who has it)
Secrets come from the environment: VISMA_CLIENT_SECRET, AVALARA_LICENSE_KEY.
Exit codes: 0 done, 2 configuration or authentication error, 1 anything else.`;

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command || values.help) {
    io.out.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  let workspace: Workspace | undefined;
  try {
    workspace = await open(values, command, io);
    switch (command) {
      case 'sync':
        return await sync(workspace, Boolean(values.json), io);
      case 'ping':
        return await ping(workspace, io);
      case 'list':
        return await list(workspace, values.state, Boolean(values.json), io);
      case 'reprocess':
        return await reprocess(workspace, rest, io);
      case 'accept':
      case 'adjust':
        return await decideByHand(workspace, command, rest, values.reason, io);
      case 'export-audit':
        return await exportAudit(workspace, values, io);
      case 'verify-audit':
        return await verifyAudit(workspace, values.month, io);
      default:
        io.err.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.err.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DataFolderBusyError || error instanceof DataFolderError) {
      io.err.write(`${error.message}\n`);
      return 2;
    }
    io.err.write(`Error: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await workspace?.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      delimiter: { type: 'string' },
      wait: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

async function open(values: Values, command: string, io: { err: NodeJS.WritableStream }): Promise<Workspace> {
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 86_400)
    throw new ConfigurationError(`--wait takes a number of seconds between 0 and 86400, not "${values.wait}"`);
  const lock = {
    command: `the command line (${command})`,
    waitMs: waitSeconds * 1000,
    onWait: (h: LockHolder) => io.err.write(`Waiting for ${describeHolder(h)} to let go of the data folder…\n`),
  };
  if (values.demo) return openDemoWorkspace({ dataDir, lock });
  const configFile = values.config ?? join(dataDir, 'settings.json');
  if (!values.config && !existsSync(configFile)) {
    throw new ConfigurationError(
      `No settings: pass --config FILE (see README), save settings in the desktop app, or use --demo`,
    );
  }
  const settings = loadSettingsFile(configFile);
  const secrets = secretsFromEnv();
  return openLiveWorkspace({ dataDir, settings, secrets: () => secrets, lock });
}

async function sync(
  workspace: Workspace,
  json: boolean,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
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
  return summary.outcome === 'completed' ? 0 : summary.outcome === 'cancelled' ? 1 : 1;
}

async function ping(workspace: Workspace, io: { out: NodeJS.WritableStream }): Promise<number> {
  const result = await testConnections(workspace.settings(), workspace.secrets());
  io.out.write(
    `Visma.net: ${result.visma.ok ? 'OK' : 'FAILED'} — ${result.visma.message}\nAvaTax:    ${result.avatax.ok ? 'OK' : 'FAILED'} — ${result.avatax.message}\n`,
  );
  if (result.visma.ok && result.avatax.ok) return 0;
  return result.visma.kind === 'auth' || result.avatax.kind === 'auth' ? 2 : 1;
}

async function list(
  workspace: Workspace,
  state: string | undefined,
  json: boolean,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  if (state && !DOCUMENT_STATES.includes(state as DocumentState)) {
    io.err.write(`Unknown state "${state}". States: ${DOCUMENT_STATES.join(', ')}\n`);
    return 2;
  }
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
    io.out.write(
      `${d.documentType.padEnd(11)} ${d.referenceNumber.padEnd(10)} ${d.documentDate} ${d.state.padEnd(15)} ${d.currency} ${(taxMinor(d) === undefined ? '—' : minorToDecimalString(taxMinor(d)!)).padStart(10)}  ${d.customerName}${d.reasons.length ? `  — ${d.reasons.join('; ')}` : ''}\n`,
    );
  }
  io.out.write(`${docs.length} document${docs.length === 1 ? '' : 's'}\n`);
  return 0;
}

async function reprocess(
  workspace: Workspace,
  numbers: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  if (numbers.length === 0) {
    io.err.write('Name at least one document number: npm run cli -- reprocess 260001\n');
    return 2;
  }
  const results = await workspace.engine.reprocess(numbers, 'cli');
  for (const r of results) io.out.write(`${r.referenceNumber}: ${r.state ?? `not processed — ${r.error}`}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

/** accept / adjust: one document, a reason the audit trail keeps. */
async function decideByHand(
  workspace: Workspace,
  command: 'accept' | 'adjust',
  numbers: string[],
  reason: string | undefined,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  if (numbers.length !== 1 || !reason || reason.trim().length < 3) {
    io.err.write(
      `${command} takes one document number and --reason TEXT (why, in a few words): npm run cli -- ${command} 260001 --reason "Agreed with the customer"\n`,
    );
    return 2;
  }
  const results = await workspace.engine[command](numbers[0]!, reason.trim(), 'cli');
  for (const r of results) io.out.write(`${r.referenceNumber}: ${r.state ?? `not done — ${r.error}`}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

async function exportAudit(
  workspace: Workspace,
  values: Values,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  if (!values.month || !values.out) {
    io.err.write('export-audit needs --month YYYY-MM and --out DIR\n');
    return 2;
  }
  const delimiter = values.delimiter ?? workspace.settings().export.delimiter;
  if (delimiter !== ',' && delimiter !== ';') {
    io.err.write(`--delimiter must be ',' or ';'\n`);
    return 2;
  }
  const result = await exportMonth(workspace.store, values.month, resolve(values.out), delimiter, {
    runId: 'export',
    actor: 'cli',
  });
  io.out.write(
    `${result.auditFile} (${result.auditRows} audit entries)\n${result.documentsFile} (${result.documentRows} documents)\n`,
  );
  return 0;
}

async function verifyAudit(
  workspace: Workspace,
  month: string | undefined,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  if (!month) {
    io.err.write('verify-audit needs --month YYYY-MM\n');
    return 2;
  }
  const { count, problems } = await workspace.store.audit.verify(month);
  if (problems.length === 0) {
    io.out.write(`Audit trail ${month}: ${count} entries, chain intact\n`);
    return 0;
  }
  io.out.write(`Audit trail ${month}: ${count} entries, NOT intact:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  return 1;
}

const isEntry =
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(import.meta.filename).replace(/\.[cm]?[jt]s$/, '');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Everything was closed; should anything still hold the process open, it must not hang a script.
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error) => {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
