import { z } from 'zod';

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
  .url({ error: 'must be a web address such as https://api.finance.visma.net', abort: true })
  .refine(
    isAllowedApiUrl,
    'must start with https:// (http:// only for a sandbox on this computer: localhost, 127.0.0.1 or [::1])',
  );

export const COUNTRY_CODE = /^[A-Z]{2}$/;

export const addressSchema = z.object({
  line1: z.string().trim().min(1, 'street is required').max(100),
  line2: z.string().trim().max(100).optional(),
  city: z.string().trim().min(1, 'city is required').max(50),
  region: z.string().trim().max(50).optional(),
  postalCode: z.string().trim().min(1, 'postal code is required').max(11),
  country: z.string().trim().toUpperCase().regex(COUNTRY_CODE, 'country must be a two-letter ISO code such as SE'),
});
export type Address = z.infer<typeof addressSchema>;

export const vatMappingRowSchema = z.object({
  country: z.string().trim().toUpperCase().regex(COUNTRY_CODE, 'country must be a two-letter ISO code'),
  /** A fraction (0.25). Absent: matches every rate of the country (US sales tax varies by locality). */
  rate: z
    .number({ error: 'rate must be a number such as 0.25' })
    .min(0, 'rate cannot be negative')
    .max(1, 'rate is a fraction: write 0.25 for 25 %')
    .optional(),
  vatCategoryId: z.string().trim().min(1, 'VAT category is required').max(30),
  vatId: z.string().trim().min(1, 'VAT id is required').max(30),
});
export type VatMappingRow = z.infer<typeof vatMappingRowSchema>;

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

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as 2026-11-01')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a real date');

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
  avalara: z.object({
    environment: z.enum(['sandbox', 'production', 'custom']).default('sandbox'),
    apiUrl: url.default('https://sandbox-rest.avatax.com'),
    accountId: z.string().trim().regex(/^\d*$/, 'account id is a number').max(20).default(''),
    companyCode: z.string().trim().max(50).default('DEFAULT'),
  }),
  company: z.object({ shipFrom: addressSchema }),
  vatMapping: z.array(vatMappingRowSchema).default([]),
  itemTaxCodes: z.record(z.string(), z.string().trim().min(1).max(25)).default({}),
  defaultTaxCode: z.string().trim().min(1).max(25).default('P0000000'),
  sync: z
    .object({
      statuses: z.array(z.enum(VISMA_STATUSES)).min(1, 'pick at least one status').default(['Balanced', 'Open']),
      commit: z.enum(['on-release', 'immediately']).default('on-release'),
      concurrency: z.number().int().min(1).max(16).default(4),
      startFrom: isoDate.optional(),
      schedule: scheduleSchema.default({ mode: 'end-of-day', time: '17:30', weekdaysOnly: true }),
    })
    .default({
      statuses: ['Balanced', 'Open'],
      commit: 'on-release',
      concurrency: 4,
      schedule: { mode: 'end-of-day', time: '17:30', weekdaysOnly: true },
    }),
  export: z.object({ delimiter: z.enum([',', ';']).default(',') }).default({ delimiter: ',' }),
  ui: z.object({ locale: z.enum(['en', 'sv-SE', 'da-DK', 'de-DE']).default('en') }).default({ locale: 'en' }),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Turns zod issues into sentences a finance user can act on: "VAT mapping, row 2, rate: rate is a fraction…". */
export function describeSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path
      .map((p) => (typeof p === 'number' ? `row ${p + 1}` : (LABELS[String(p)] ?? String(p))))
      .join(', ');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
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
