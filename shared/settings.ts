import { z } from 'zod';
import { checkPostalCode, countryProblem, ISO_CURRENCIES } from './countries.js';
import { isRealDate, isTimeZone, systemTimeZone } from './dates.js';
import { formatReason } from './reason-format.js';
import { type Reason, reason } from './reasons.js';

/** One settings schema for the desktop app (electron-store) and the CLI (`--config FILE`). No secrets here. */

/** Plain http only reaches a sandbox on this computer; anything that leaves it must be https. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedApiUrl(value: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

const url = z
  .string()
  .trim()
  .max(2_000, { error: 'is longer than a web address can be (at most 2,000 characters)', abort: true })
  .url({ error: 'must be a web address such as https://api.finance.visma.net', abort: true })
  // A space inside is a typing slip (a browser would send %20 to a path no one meant), never part of an API's address.
  .regex(/^\S*$/, { error: 'must not contain spaces', abort: true })
  .refine(
    isAllowedApiUrl,
    'must start with https:// (http:// only for a sandbox on this computer: localhost, 127.0.0.1 or [::1])',
  );

export const COUNTRY_CODE = /^[A-Z]{2}$/;

/** A refusal decided as a reason code: zod carries it in the issue's params, the message is its English words. */
function refuse(ctx: z.RefinementCtx, problem: Reason, path?: (string | number)[]): void {
  ctx.addIssue({ code: 'custom', message: formatReason(problem, 'en'), params: { reason: problem }, path });
}

/**
 * An ISO 3166-1 alpha-2 country code. A name ("Sverige") is refused with its code, anything else that is no ISO
 * code ("XX", "SV" is El Salvador and stays valid) with the reason: a country that saves relabels every figure and
 * moves sales between domestic and intra-EU.
 */
const isoCountry = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = countryProblem(value);
    if (problem) refuse(ctx, problem);
  })
  .transform((value) => value.toUpperCase());

/** The UI's languages as saved; `auto` follows the computer's. */
export const UI_LOCALES = ['auto', 'en', 'sv-SE', 'da-DK', 'de-DE'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Avalara's own addresses for its two environments: production traffic never goes to the sandbox. */
export const AVATAX_ENVIRONMENT_URLS = {
  sandbox: 'https://sandbox-rest.avatax.com',
  production: 'https://rest.avatax.com',
} as const;

/** An address: an ISO country, and a postal code in that country's format (shared/countries.ts). */
export const addressSchema = z
  .object({
    line1: z.string().trim().min(1, 'street is required').max(100),
    line2: z.string().trim().max(100).optional(),
    city: z.string().trim().min(1, 'city is required').max(50),
    region: z.string().trim().max(50).optional(),
    postalCode: z.string().trim().min(1, 'postal code is required').max(11),
    country: isoCountry,
  })
  .superRefine((a, ctx) => {
    const problem = checkPostalCode(a.postalCode, a.country);
    if (problem) refuse(ctx, problem, ['postalCode']);
  });
export type Address = z.infer<typeof addressSchema>;

const countryCode = (_what: string) => isoCountry;

/**
 * One row of the VAT mapping: AvaTax's result for a line (the country that taxes it, taken from the details;
 * the destination country; the rate; whether it is a reverse charge) → Visma's VAT zone (optional), VAT
 * category and VAT id. Swedish 25 % and Danish 25 % (OSS) are different rows because their taxing country
 * differs; a reverse-charge pair (Output and Input detail) maps to one row.
 */
export const vatMappingRowSchema = z.object({
  /** The ship-to country. */
  country: countryCode('country'),
  /** The country whose VAT AvaTax applied (its details' country). Absent: any. */
  taxCountry: countryCode('taxing country').optional(),
  /** An exact fraction (0.25; the app shows percent). Absent: every rate of the country (US sales tax). */
  rate: z
    .number({ error: 'rate must be a number, in percent in the app (25 for 25 %)' })
    .min(0, 'rate cannot be negative')
    .max(1, 'rate is stored as a fraction: 0.25 for 25 %')
    .optional(),
  /** An Output/Input pair: the buyer accounts for the VAT. Absent: no. */
  reverseCharge: z.boolean().optional(),
  vatZoneId: z.string().trim().min(1).max(30).optional(),
  vatCategoryId: z.string().trim().min(1, 'VAT category is required').max(30),
  vatId: z.string().trim().min(1, 'VAT id is required').max(30),
});
export type VatMappingRow = z.infer<typeof vatMappingRowSchema>;

/**
 * Visma's document statuses a user can choose to sync. `Scheduled` marks a recurring-invoice template: it stays
 * readable in a saved file, but the sync never takes a template, whatever is chosen (it is not a sale).
 */
export const VISMA_STATUSES = [
  'Hold',
  'Balanced',
  'Open',
  'Closed',
  'Voided',
  'Scheduled',
  'PendingPrint',
  'PendingEmail',
  'CreditHold',
] as const;
export type VismaStatus = (typeof VISMA_STATUSES)[number];
/** What a new company syncs: every status a sale is in, released or waiting to be (see electron/engine/visma-document.ts). */
export const DEFAULT_SYNC_STATUSES: VismaStatus[] = [
  'Hold',
  'Balanced',
  'PendingPrint',
  'PendingEmail',
  'CreditHold',
  'Open',
  'Closed',
];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as 2026-11-01')
  .refine(isRealDate, 'not a real date');

export const scheduleSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('manual') }),
  z.object({
    mode: z.literal('end-of-day'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use a time such as 17:30'),
    weekdaysOnly: z.boolean().default(true),
  }),
  z.object({ mode: z.literal('interval'), minutes: z.number().int().min(5, 'at least every 5 minutes').max(720) }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export const settingsSchema = z.object({
  visma: z.object({
    tokenUrl: url.default('https://connect.visma.com/connect/token'),
    apiUrl: url.default('https://api.finance.visma.net'),
    tenantId: z.string().trim().max(100).default(''),
    clientId: z.string().trim().max(200).default(''),
  }),
  avalara: z
    .object({
      environment: z.enum(['sandbox', 'production', 'custom']).default('sandbox'),
      /** Only for `custom`: sandbox and production always go to Avalara's own address for them. */
      apiUrl: url.optional(),
      accountId: z.string().trim().regex(/^\d*$/, 'account id is a number').max(20).default(''),
      companyCode: z.string().trim().max(50).default('DEFAULT'),
    })
    .refine((a) => a.environment !== 'custom' || a.apiUrl, {
      message: 'a custom AvaTax environment needs its API URL',
      path: ['apiUrl'],
    })
    .transform((a) => ({
      ...a,
      apiUrl: a.environment === 'custom' ? a.apiUrl! : AVATAX_ENVIRONMENT_URLS[a.environment],
    })),
  company: z.object({
    shipFrom: addressSchema,
    /**
     * The company's base currency in Visma (SEK, DKK, EUR…), an ISO 4217 code: month-end totals are shown in it,
     * so a made-up one ('XYZ') would relabel every figure.
     */
    baseCurrency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, { error: 'base currency is a three-letter code such as SEK', abort: true })
      .superRefine((value, ctx) => {
        if (!ISO_CURRENCIES.has(value)) refuse(ctx, reason('currency-not-iso', { value }));
      })
      .optional(),
    /**
     * The company's time zone (IANA, e.g. Europe/Stockholm): its days and months, which the audit trail, the
     * Overview and month-end count in. Absent: the computer's (`companyTimeZone`).
     */
    timeZone: z.string().trim().refine(isTimeZone, 'time zone is a name such as Europe/Stockholm').optional(),
  }),
  vatMapping: z.array(vatMappingRowSchema).max(500, 'at most 500 rows').default([]),
  itemTaxCodes: z
    .record(z.string().max(50, 'an item number is at most 50 characters'), z.string().trim().min(1).max(25))
    .refine((codes) => Object.keys(codes).length <= 10_000, 'at most 10,000 items')
    .default({}),
  defaultTaxCode: z.string().trim().min(1).max(25).default('P0000000'),
  sync: z
    .object({
      /** Unreleased documents get their VAT set; released ones are recorded as Visma booked them. */
      statuses: z.array(z.enum(VISMA_STATUSES)).min(1, 'pick at least one status').default(DEFAULT_SYNC_STATUSES),
      commit: z.enum(['on-release', 'immediately']).default('on-release'),
      /**
       * The most documents a run keeps in flight: fewer while the services' rate limits say so (the run's pace,
       * electron/connectors/pace.ts grows to it while the windows have room and halves on a 429).
       */
      concurrency: z.number().int().min(1).max(16).default(8),
      startFrom: isoDate.optional(),
      schedule: scheduleSchema.default({ mode: 'end-of-day', time: '17:30', weekdaysOnly: true }),
      /** The rounding allowed between Visma's VAT and AvaTax's per VAT id, in minor units (öre, cents). */
      tolerance: z.number().int().min(0).max(100).default(1),
      /** Append "AvaTax: <document code>" to the invoice's note (never replacing what the user wrote). */
      appendNote: z.boolean().default(false),
      /** Release the document in Visma once its VAT is verified (otherwise a person releases it). */
      releaseAfterVerify: z.boolean().default(false),
    })
    .default({
      statuses: DEFAULT_SYNC_STATUSES,
      commit: 'on-release',
      concurrency: 8,
      schedule: { mode: 'end-of-day', time: '17:30', weekdaysOnly: true },
      tolerance: 1,
      appendNote: false,
      releaseAfterVerify: false,
    }),
  /** `auto`: `;` with a decimal comma when the app speaks Swedish, Danish or German (their Excel), else `,`. */
  export: z.object({ delimiter: z.enum(['auto', ',', ';']).default('auto') }).default({ delimiter: 'auto' }),
  /** `auto`: the computer's language (the UI follows the OS; the CLI its locale). */
  ui: z.object({ locale: z.enum(UI_LOCALES).default('auto') }).default({ locale: 'auto' }),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** How far back the first run may start: as far as a backfill reaches (two years), and never after today. */
export const START_FROM_YEARS = 2;

/** The earliest first-run date allowed on `today` (YYYY-MM-DD). */
export function earliestStartFrom(today: string): string {
  return `${Number(today.slice(0, 4)) - START_FROM_YEARS}${today.slice(4, 10)}`;
}

/** Why a first-run date cannot be used on `today` (a day in 1999 or 2030): undefined when it can. */
export function startFromProblem(
  startFrom: string | undefined,
  today: string,
): { from: string; to: string } | undefined {
  if (!startFrom) return undefined;
  const from = earliestStartFrom(today);
  const to = today.slice(0, 10);
  return startFrom < from || startFrom > to ? { from, to } : undefined;
}

/** The computer's language as Node (or the browser) knows it: the process's locale, e.g. 'sv-SE'. */
export function systemLocale(): string {
  return Intl.DateTimeFormat().resolvedOptions().locale;
}

/** The language settings name: the one saved, or the computer's (`auto`). */
export function languageOf(settings: Pick<Settings, 'ui'>, system: string = systemLocale()): string {
  return settings.ui.locale === 'auto' ? system : settings.ui.locale;
}

/**
 * The CSV delimiter the user's Excel expects: their choice, or what the language's Excel uses (`;` with a decimal
 * comma for Swedish, Danish and German, else `,`). `language`: the language the export is in (the app passes the
 * one its screens speak at export time; the CLI the saved one, or the computer's).
 */
export function csvDelimiter(settings: Pick<Settings, 'export' | 'ui'>, language = languageOf(settings)): ',' | ';' {
  if (settings.export.delimiter !== 'auto') return settings.export.delimiter;
  return /^(sv|da|de)\b/i.test(language) ? ';' : ',';
}

/** Turns zod issues into sentences a finance user can act on: "VAT mapping, row 2, rate: rate is a fraction…". */
export function describeSettingsIssues(error: z.ZodError): string[] {
  const issues = error.issues.slice(0, 20).map((issue) => {
    const where = issue.path
      .map((p) => (typeof p === 'number' ? `row ${p + 1}` : (LABELS[String(p)] ?? String(p).slice(0, 40))))
      .join(', ');
    const what = inWords(issue.message);
    return where ? `${where}: ${what}` : what;
  });
  if (error.issues.length > 20) issues.push(`and ${error.issues.length - 20} more problems`);
  return issues;
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'yes or no',
  object: 'a group of settings',
  array: 'a list',
  null: 'empty',
};

/** zod's "Invalid input: expected object, received undefined" as a person says it: "is missing". */
function inWords(message: string): string {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!m) return message;
  if (m[2] === 'undefined') return 'is missing';
  return `should be ${KINDS[m[1]!] ?? m[1]}, not ${KINDS[m[2]!] ?? m[2]}`;
}

const LABELS: Record<string, string> = {
  visma: 'Visma',
  avalara: 'AvaTax',
  company: 'Company',
  shipFrom: 'ship-from address',
  vatMapping: 'VAT mapping',
  itemTaxCodes: 'Item tax codes',
  sync: 'Sync',
  tokenUrl: 'token URL',
  apiUrl: 'API URL',
  tenantId: 'tenant id',
  clientId: 'client id',
  accountId: 'account id',
  companyCode: 'company code',
  vatCategoryId: 'VAT category',
  vatId: 'VAT id',
  startFrom: 'start from',
  line1: 'street',
  postalCode: 'postal code',
};

/** Secrets never live in settings: only their names, for the environment (CLI) or safeStorage (app). */
export const SECRET_ENV = {
  vismaClientSecret: 'VISMA_CLIENT_SECRET',
  avalaraLicenseKey: 'AVALARA_LICENSE_KEY',
} as const;
export type Secrets = { vismaClientSecret: string; avalaraLicenseKey: string };

/** The zone the company's days and months are counted in: Settings, else the computer's. */
export function companyTimeZone(settings: { company?: { timeZone?: string } } | undefined): string {
  return settings?.company?.timeZone || systemTimeZone();
}
