import { z } from 'zod';
import { SORT_COLUMNS } from './document-view.js';
import { DOCUMENT_STATES } from './domain.js';
import {
  type Channel,
  type EVENTS,
  type EventName,
  type IpcEvents,
  type IpcResults,
  type METHODS,
  SETTINGS_SECTION_NAMES,
  SETTINGS_SECTIONS,
  type SettingsSection,
} from './ipc-channels.js';
import { isMonth, MAX_BACKFILL_PER_MINUTE, rangeProblem, reasonProblem } from './month.js';
import { formatReason } from './reason-format.js';
import { settingsSchema } from './settings.js';

export * from './ipc-channels.js';

/** Channel → zod input schema. Main parses every input with these before a handler sees it. */

const month = z.string().refine(isMonth, 'month must look like 2026-11');
const reference = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}\-_/.# ]+$/u, 'not a document number');
const text = (max: number) => z.string().max(max);
/** The language the screens speak (a CSV's words, what a search matches): a tag such as sv-SE. */
const locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as sv-SE')
  .max(35)
  .optional();

export const shipToSchema = z.object({
  line1: z.string().trim().min(1, 'street is required').max(100),
  line2: z.string().trim().max(100).optional(),
  city: z.string().trim().min(1, 'city is required').max(50),
  region: z.string().trim().max(50).optional(),
  postalCode: z.string().trim().min(1, 'postal code is required').max(11, 'postal code is at most 11 characters'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'country must be a two-letter ISO code such as SE'),
});

/* Month-end: a day of a range, a pace, a reason the audit trail keeps, an AvaTax document code. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as 2026-11-01');
const perMinute = z.number().int().min(1).max(MAX_BACKFILL_PER_MINUTE).optional();
/** A reason the audit trail keeps: three visible characters at least (zero-width marks say nothing), at most 500. */
const why = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = reasonProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: formatReason(problem, 'en') });
  });
/** An optional note (the close report's): empty, or a reason by the same rule. */
const note = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = v === '' ? undefined : reasonProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: formatReason(problem, 'en') });
  });
const avataxCode = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-_/.#]{0,49}$/u, 'not an AvaTax document code such as VN-INV-260001');

/** Either end alone, ends out of order, unreal dates, more than two years: refused in words. */
function withRange<T extends z.ZodType<{ from?: string; to?: string }>>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const problem = rangeProblem(v.from, v.to);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['from'] });
  });
}
/** What the Transactions grid lists (its tab and filters): listed, and exported as the current view. */
const documentQuery = {
  state: z.enum(DOCUMENT_STATES).optional(),
  documentType: z.enum(['invoice', 'credit-note', 'debit-note']).optional(),
  states: z.array(z.enum(DOCUMENT_STATES)).max(DOCUMENT_STATES.length).optional(),
  search: text(100).optional(),
  customer: z.string().trim().min(1).max(30).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  dateFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  dateTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
};

export const IPC_INPUTS = {
  'app:status': z.object({}).strict(),
  'sync:run-now': z.object({}).strict(),
  'sync:cancel': z.object({}).strict(),
  'documents:list': z.object(documentQuery).strict(),
  'documents:get': z.object({ key: z.string().regex(/^(invoice|credit-note|debit-note):.{1,40}$/) }).strict(),
  'documents:reprocess': z.object({ references: z.array(reference).min(1).max(500) }).strict(),
  'address:fix': z
    .object({
      customerNumber: z.string().trim().min(1).max(30),
      /** The location the flagged documents ship to, when it is one. */
      locationId: z.string().trim().min(1).max(30).optional(),
      address: shipToSchema.optional(),
      vatNumber: z.string().trim().max(25).optional(),
    })
    .strict()
    .refine((f) => f.address !== undefined || f.vatNumber !== undefined, 'give an address or a VAT number'),
  'visma:vat-lists': z.object({}).strict(),
  'documents:accept': z.object({ reference, reason: why }).strict(),
  'documents:adjust': z.object({ reference, reason: why }).strict(),
  'audit:months': z.object({}).strict(),
  'audit:list': z.object({ month, action: text(40).optional(), search: text(100).optional(), locale }).strict(),
  'audit:export-month': z.object({ month, delimiter: z.enum([',', ';']).optional(), locale }).strict(),
  'settings:get': z.object({}).strict(),
  'settings:save': z
    .object({
      settings: z.unknown(),
      /** Save only this section (the rest of `settings` is ignored); without it, the whole settings. */
      section: z.enum(SETTINGS_SECTION_NAMES as [SettingsSection, ...SettingsSection[]]).optional(),
      secrets: z
        .object({
          vismaClientSecret: z.string().min(1).max(500).optional(),
          avalaraLicenseKey: z.string().min(1).max(500).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  'connection:test': z
    .object({
      target: z.enum(['visma', 'avatax']),
      /** Unsaved values from the form; missing parts fall back to what is saved. */
      settings: z.unknown().optional(),
      /** Typed in the form. Without it the saved secret is used, and only against the saved addresses. */
      secret: z.string().min(1).max(500).optional(),
    })
    .strict(),
  'month:reconcile': z.object({ month }).strict(),
  'month:export-reconciliation': z.object({ month, delimiter: z.enum([',', ';']).optional(), locale }).strict(),
  'month:vat-report': z.object({ month, delimiter: z.enum([',', ';']).optional(), locale }).strict(),
  'month:close': z.object({ month, note: note.optional() }).strict(),
  'month:reopen': z.object({ month, reason: why }).strict(),
  'month:void': z.object({ code: avataxCode, reason: why }).strict(),
  'month:acknowledge-changes': z.object({ month }).strict(),
  'data:repair': z.object({ month }).strict(),
  /** The demo company only: release a document in its (sandbox) Visma, as a person there would, then reprocess it. */
  'month:demo-release': z.object({ reference, kind: z.enum(['invoice', 'credit-note', 'debit-note']) }).strict(),
  'month:dry-run': withRange(
    z
      .object({
        from: day.optional(),
        to: day.optional(),
        customer: z.string().trim().min(1).max(30).optional(),
        unreleased: z.boolean().optional(),
      })
      .strict(),
  ).refine((v) => v.from !== undefined || v.customer !== undefined || v.unreleased === true, {
    message: 'Say which documents: a range of dates, a customer, or the unreleased ones',
  }),
  'month:backfill-start': withRange(z.object({ from: day, to: day, perMinute }).strict()),
  'month:backfill-resume': z.object({ perMinute }).strict(),
  'month:backfill-pause': z.object({}).strict(),
  'month:backfill-status': z.object({}).strict(),
  'documents:export-view': z
    .object({
      ...documentQuery,
      sort: z.object({ column: z.enum(SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }).strict(),
      /** The grid's columns in the order shown (those the user hid are left out of the file too). */
      columns: z.array(z.enum(SORT_COLUMNS)).min(1).max(SORT_COLUMNS.length),
      delimiter: z.enum([',', ';']).optional(),
      locale,
    })
    .strict(),
} as const satisfies { [C in Channel]: z.ZodType };

/**
 * The schema of one Settings section: its keys of the settings schema, with their paths (so a problem still
 * reads "VAT mapping › row 2 › Rate %"). Main checks a section save with it; the form checks the draft with it.
 */
export function settingsSectionSchema(section: SettingsSection) {
  const shape = settingsSchema.shape;
  return z.object(Object.fromEntries(SETTINGS_SECTIONS[section].map((k) => [k, shape[k]])) as Partial<typeof shape>);
}

export type IpcInput<C extends Channel> = z.input<(typeof IPC_INPUTS)[C]>;
export type IpcParsed<C extends Channel> = z.output<(typeof IPC_INPUTS)[C]>;

/** `window.api`: one named method per channel, plus event subscriptions that return an unsubscribe. */
export type Api = {
  [M in keyof typeof METHODS]: (input: IpcInput<(typeof METHODS)[M]>) => Promise<IpcResults[(typeof METHODS)[M]]>;
} & {
  [E in keyof typeof EVENTS]: (listener: (payload: IpcEvents[(typeof EVENTS)[E]]) => void) => () => void;
};

export type { Channel, EventName };
