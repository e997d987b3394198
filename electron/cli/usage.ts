import { parseArgs } from 'node:util';

/**
 * What the CLI says of itself, and how it reads its command line: kept apart from the commands, so `--help` and a
 * usage error answer without loading the store, the engine, the connectors or the settings' schema.
 */

/** Each command's usage line(s), in the order `--help` lists them (commands.ts and month-commands.ts use these). */
export const COMMAND_USAGE = {
  sync: 'sync [--json]                          one sync run; progress on stderr',
  ping: 'ping                                   test both connections (exit 0 when both authenticate)',
  list: 'list [--state STATE] [--json]          documents in the ledger',
  reprocess: 'reprocess NUMBER...                    re-read and process documents again',
  accept:
    'accept NUMBER --reason TEXT            accept the VAT Visma booked for a document in needs attention\n' +
    '                                         (a variance): AvaTax records it as booked, the document is posted',
  adjust: 'adjust NUMBER --reason TEXT            adjust the committed AvaTax document to the changed Visma document',
  'dry-run':
    'dry-run [--from YYYY-MM-DD --to YYYY-MM-DD] [--customer N] [--unreleased] [--json]\n' +
    '                                         what AvaTax would calculate against the VAT Visma booked, per document\n' +
    '                                         and per currency; nothing recorded in AvaTax, nothing written to Visma',
  backfill:
    'backfill --from YYYY-MM-DD --to YYYY-MM-DD [--per-minute N]\n' +
    '                                         process older documents of a range as the sync would, N a minute\n' +
    '                                         (default 60); Ctrl-C pauses after the document in hand\n' +
    '  backfill --resume [--per-minute N]     go on with the paused (or killed) backfill from its saved position;\n' +
    '                                         the same --from and --to again go on from it too',
  'export-audit': "export-audit --month YYYY-MM --out DIR [--delimiter ';']",
  'verify-audit': "verify-audit --month YYYY-MM           re-walk the audit trail's hash chain",
  repair:
    'repair --month YYYY-MM                 rebuild a damaged ledger month from Visma and AvaTax (the file is kept)',
  'accept-audit-damage':
    'accept-audit-damage --reason TEXT     go on from a damaged audit trail when no backup exists (recorded in it)',
  reconcile:
    'reconcile --month YYYY-MM [--out DIR] [--json]\n' +
    '                                         match the month in Visma and AvaTax; the close check',
  close: 'close --month YYYY-MM [--reason NOTE]   close a clean month (audited); lists what blocks it otherwise',
  reopen: 'reopen --month YYYY-MM --reason TEXT   reopen a closed month (audited)',
  'vat-report':
    "vat-report --month YYYY-MM --out DIR [--delimiter ';']\n" +
    '                                         the figures the VAT return is filed from, and the EU sales list',
  void: 'void CODE --reason TEXT                void an AvaTax document Visma no longer has (refused while it does)',
} as const;

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands
${Object.values(COMMAND_USAGE)
  .map((usage) => `  ${usage}`)
  .join('\n')}

Options
  --data-dir DIR    where the ledger and audit trail live (default: the desktop app's folder)
  --config FILE     settings as JSON (default: <data-dir>/settings.json)
  --demo            run against the built-in sandboxes with the seeded demo company
  --wait SECONDS    when the desktop app or another command has the data folder, wait this long for it
                    (default: stop at once, exit 2, naming who has it)
Secrets come from the environment: VISMA_CLIENT_SECRET, AVALARA_LICENSE_KEY.
TAXSYNC_HTTP_TIMEOUT_SECONDS sets how long one request may take (default 60).
Exit codes: 0 done, 2 usage, configuration or authentication error, 1 anything else.`;

/** The command line, read strictly: an unknown option or a value where none is taken is a usage error. */
export function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
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
      from: { type: 'string' },
      to: { type: 'string' },
      customer: { type: 'string' },
      unreleased: { type: 'boolean' },
      resume: { type: 'boolean' },
      'per-minute': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export type Values = ReturnType<typeof parseCommandLine>['values'];
