import type { z } from 'zod';
import { localDay } from '../../shared/dates.js';
import type { LedgerDocument } from '../../shared/domain.js';
import type {
  Channel,
  ConnectionResult,
  DocumentRow,
  IpcParsed,
  IpcResults,
  ReprocessOutcome,
  SaveSettingsResult,
  SettingsView,
} from '../../shared/ipc.js';
import { connectionKey, SETTINGS_SECTIONS, type SettingsSection, settingsSectionSchema } from '../../shared/ipc.js';
import { formatReason } from '../../shared/reason-format.js';
import { type Reason, reason, reasons } from '../../shared/reasons.js';
import { matchesSearch } from '../../shared/search.js';
import {
  companyTimeZone,
  csvDelimiter,
  describeSettingsIssues,
  languageOf,
  type Secrets,
  type Settings,
  settingsSchema,
} from '../../shared/settings.js';
import { datedIssues, type SettingsIssue, toSettingsIssues } from '../../shared/settings-issues.js';
import { note } from '../engine/recorder.js';
import { exportMonth } from '../report/month-export.js';
import { exportView } from '../report/view-export.js';
import { ledgerMonth } from '../store/ledger.js';
import { addressesChanged, chooseSecret, type KeptSecret, SECRET_OF } from './connection-secret.js';
import { testAvaTax, testVisma } from './connection-test.js';
import type { AppController } from './controller.js';
import { toRow } from './document-row.js';
import { avataxConsoleUrl } from './links.js';
import { createMonthHandlers } from './month-handlers.js';
import { SecretsUnavailableError } from './secrets-vault.js';
import { settingsSaved } from './settings-audit.js';
import { blankSettings } from './settings-repo.js';
import type { DocumentResult } from './sync-engine.js';

export type Handlers = { [C in Channel]: (input: IpcParsed<C>) => Promise<IpcResults[C]> };

/** Every IPC channel's implementation, plain Node: the desktop and the browser host serve these same functions. */
export function createHandlers(app: AppController): Handlers {
  const ws = () => app.workspace;
  const audit = (action: 'settings-changed' | 'credentials-changed', detail: Reason) => {
    note(ws().store, { runId: 'settings', actor: 'user', action, detail });
    return ws().store.checkpoint();
  };

  const settingsView = (): SettingsView => {
    const { settings: saved, sections, saved: which } = app.deps.settings.read();
    const secrets = app.deps.vault.state();
    // The form starts from what is saved; in demo mode the demo company's values show where nothing is saved
    // (its mapping, schedule, ship-from: what the demo runs on), but never its sandbox connections.
    const base = saved ?? { ...blankSettings(), ...sections };
    const settings = app.mode === 'demo' ? { ...ws().settings(), visma: base.visma, avalara: base.avalara } : base;
    const live = app.mode === 'live' ? ws().settings() : undefined;
    return {
      settings,
      saved: which,
      secrets: { vismaClientSecret: secrets.vismaClientSecret, avalaraLicenseKey: secrets.avalaraLicenseKey },
      secretsBackend: app.deps.vault.status(),
      lastTests: app.lastTests,
      mode: app.mode,
      ...(live
        ? {
            connected: {
              vismaTenantId: live.visma.tenantId,
              avataxAccountId: live.avalara.accountId,
              avataxCompanyCode: live.avalara.companyCode,
              avataxEnvironment: live.avalara.environment,
            },
          }
        : {}),
    };
  };

  return {
    'app:status': async () => {
      const month = app.today().slice(0, 7);
      const docs = await ws().store.ledger.inMonth(month);
      const count = docs.filter((d) => d.seenReleased).length;
      return { ...app.status(), arrivedReleased: { month, count, total: docs.length } };
    },

    'sync:run-now': async () => app.runSync('user'),

    'data:repair': async ({ month }) => {
      const r = await app.repair(month);
      return {
        month: r.month,
        rebuilt: r.restored,
        known: r.known,
        acceptancesRestored: r.acceptancesRestored,
        gone: r.gone,
        added: r.added.length,
        ...(r.setAside ? { setAside: r.setAside } : {}),
      };
    },

    // The Overview's Cancel is the sync's (and the user's action's): a backfill running beside them between its
    // batches is paused from its own panel, never stopped by it.
    'sync:cancel': async () => ({ cancelled: ws().engine.cancel({ spare: 'backfill' }) }),

    'documents:list': async (q) => {
      const all = await ws().store.ledger.all();
      const rows = listRows(all, q);
      rows.sort(
        (a, b) => b.documentDate.localeCompare(a.documentDate) || b.referenceNumber.localeCompare(a.referenceNumber),
      );
      return {
        total: rows.length,
        rows,
        countries: [...new Set(all.map((d) => d.country).filter(Boolean))].sort(),
        currencies: [...new Set(all.map((d) => d.currency).filter(Boolean))].sort(),
        customers: [...new Map(all.map((d) => [d.customerNumber, d.customerName])).entries()]
          .map(([number, name]) => ({ number, name }))
          .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
        baseCurrency: ws().settings().company.baseCurrency,
      };
    },

    'documents:export-view': async ({ sort, columns, delimiter, locale, ...q }) => {
      const rows = listRows(await ws().store.ledger.all(), q);
      const folder = await app.exportFolder();
      if (!folder) return { cancelled: true };
      const filters = Object.entries(q)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : v}`)
        .join(', ');
      const language = locale ?? languageOf(ws().settings());
      return exportView(
        ws().store,
        folder,
        delimiter ?? csvDelimiter(ws().settings(), language),
        { rows, sort, columns, filters, locale: language },
        app.now(),
      );
    },

    'documents:get': async ({ key }) => {
      const document = await ws().store.ledger.get(key);
      if (!document) return null;
      const months = ws()
        .store.audit.months()
        .filter((m) => m >= ledgerMonth(document));
      const entries = await ws().store.audit.forDocument(key, months);
      // The demo company's AvaTax is the built-in sandbox: Avalara's console knows nothing of it.
      const consoleUrl = app.mode === 'live' ? avataxConsoleUrl(ws().settings().avalara, document) : undefined;
      return {
        document,
        audit: entries.map(({ prevHash: _p, ...e }) => e),
        ...(consoleUrl ? { avataxConsoleUrl: consoleUrl } : {}),
      };
    },

    'documents:reprocess': async ({ references }) => {
      const results = await ws().engine.reprocess(references, 'user');
      app.deps.emit('documents:changed', { at: app.now().toISOString() });
      return results.map(outcome);
    },

    'address:fix': async ({ customerNumber, ...fix }) => {
      const result = await ws().engine.fixAddress(customerNumber, fix, 'user');
      app.deps.emit('documents:changed', { at: app.now().toISOString() });
      return { ...result, documents: result.documents.map(outcome) };
    },

    'visma:vat-lists': async () => ws().engine.vatLists(),

    'documents:accept': async ({ reference, reason }) => {
      const results = await ws().engine.accept(reference, reason, 'user');
      app.deps.emit('documents:changed', { at: app.now().toISOString() });
      return results.map(outcome);
    },

    'documents:adjust': async ({ reference, reason }) => {
      const results = await ws().engine.adjust(reference, reason, 'user');
      app.deps.emit('documents:changed', { at: app.now().toISOString() });
      return results.map(outcome);
    },

    'audit:months': async () => {
      // Every month with audit entries or documents: a month's documents CSV is exported from here, and the
      // documents of a month are often synced (audited) in the next one.
      const months = [...ws().store.audit.months(), ...ws().store.ledger.monthList()];
      const current = app.today().slice(0, 7);
      return [...new Set([...months, current])].sort().reverse();
    },

    'audit:list': async ({ month, action, search, locale }) => {
      const entries = await ws().store.audit.entries(month);
      // Searched in the words the reader sees (and in English, the words of entries before codes), accents aside.
      const words = (e: (typeof entries)[number]) =>
        `${e.referenceNumber ?? ''} ${formatReason(e.detail, locale ?? 'en')} ${locale ? formatReason(e.detail, 'en') : ''}`;
      return entries
        .filter((e) => (!action || e.action === action) && (!search?.trim() || matchesSearch(words(e), search)))
        .map(({ prevHash: _p, ...e }) => e)
        .reverse();
    },

    'audit:export-month': async ({ month, delimiter, locale }) => {
      const folder = await app.exportFolder();
      if (!folder) return { cancelled: true };
      const language = locale ?? languageOf(ws().settings());
      return exportMonth(
        ws().store,
        month,
        folder,
        delimiter ?? csvDelimiter(ws().settings(), language),
        { runId: 'export', actor: 'user' },
        language,
      );
    },

    'settings:get': async () => settingsView(),

    'settings:save': async ({ settings, section, secrets }) => {
      const before = app.deps.settings.read().sections;
      let dropped: string[] = [];
      // What the form showed before, to audit what changed from it (in demo mode, the demo's values).
      const shown = settingsView().settings;
      if (section) {
        // One section, checked on its own: the rest of the form (a blank ship-from…) does not hold it back.
        const keys = SETTINGS_SECTIONS[section];
        const values = Object.fromEntries(keys.map((k) => [k, (settings as Record<string, unknown> | null)?.[k]]));
        const parsed = settingsSectionSchema(section).safeParse(values);
        if (!parsed.success) return refusedFor(parsed.error);
        const dated = datedIssues(parsed.data as Partial<Settings>, today());
        if (dated.length > 0) return { ok: false, errors: dated.map(inEnglish), issues: dated };
        const refused = stored(secrets, section);
        if (refused) return { ok: false, errors: [formatReason(refused, 'en')], refusal: refused };
        const errors = await storeSecrets(secrets);
        if (errors.length > 0) return { ok: false, errors };
        dropped = dropMovedSecrets(before, parsed.data as Partial<Settings>, secrets);
        app.deps.settings.saveSection(section, parsed.data as Partial<Settings>);
      } else {
        const parsed = settingsSchema.safeParse(settings);
        if (!parsed.success) return refusedFor(parsed.error);
        const dated = datedIssues(parsed.data, today());
        if (dated.length > 0) return { ok: false, errors: dated.map(inEnglish), issues: dated };
        const errors = await storeSecrets(secrets);
        if (errors.length > 0) return { ok: false, errors };
        dropped = dropMovedSecrets(before, parsed.data, secrets);
        app.deps.settings.save(parsed.data);
      }
      await app.reload();
      // Audited in the company that is open after the change (the live one once credentials are complete): each
      // setting old → new; a save that changed nothing is not an event.
      const saved = settingsSaved(
        section ? pick(shown, SETTINGS_SECTIONS[section]) : shown,
        section ? pick(settingsView().settings, SETTINGS_SECTIONS[section]) : settingsView().settings,
      );
      if (saved) await audit('settings-changed', saved);
      for (const what of dropped)
        await audit(
          'credentials-changed',
          reason('credentials-dropped', {
            what: reasons([reason(what === 'visma' ? 'credential-visma-secret' : 'credential-avatax-key')]),
          }),
        );
      const newSecrets = [
        ...(secrets?.vismaClientSecret ? [reason('credential-visma-secret')] : []),
        ...(secrets?.avalaraLicenseKey ? [reason('credential-avatax-key')] : []),
      ];
      if (newSecrets.length > 0)
        await audit('credentials-changed', reason('credentials-stored', { what: reasons(newSecrets) }));
      return { ok: true, view: settingsView() };
    },

    'connection:test': async ({ target, settings, secret }) => {
      const { settings: saved, sections } = app.deps.settings.read();
      const key = target === 'visma' ? 'visma' : 'avalara';
      // Only the tested connection's own section counts: Test Visma needs neither the ship-from nor AvaTax.
      const base: Settings = saved ?? (app.mode === 'demo' ? ws().settings() : blankSettings());
      let candidate: Settings | undefined = saved ?? (app.mode === 'demo' ? ws().settings() : undefined);
      if (settings !== undefined) {
        const parsed = settingsSectionSchema(key).safeParse({
          [key]: (settings as Record<string, unknown> | null)?.[key],
        });
        if (!parsed.success)
          return {
            ...result(
              false,
              'other',
              reason('connection-fix-first', { problems: describeSettingsIssues(parsed.error).join('; ') }),
            ),
            issues: toSettingsIssues(parsed.error),
          };
        candidate = { ...base, [key]: (parsed.data as Settings)[key] };
      } else if (!saved && sections[key]) candidate = { ...base, [key]: sections[key] };
      if (!candidate) return result(false, 'other', reason('connection-save-first'));
      const kept: KeptSecret[] = [];
      if (sections[key]) {
        const stored = await app.deps.vault.get(SECRET_OF[target]).catch(() => undefined);
        kept.push({ settings: { ...base, [key]: sections[key] }, secret: stored, saved: true });
      }
      if (app.mode === 'demo')
        kept.push({ settings: ws().settings(), secret: ws().secrets()[SECRET_OF[target]], saved: false });
      const choice = chooseSecret(target, candidate, secret, kept);
      if ('refused' in choice)
        return { ...result(false, 'auth', choice.refused), for: connectionKey(target, candidate) };
      // Only the tested service's secret goes in; the other stays empty.
      const secrets: Secrets = { vismaClientSecret: '', avalaraLicenseKey: '', [SECRET_OF[target]]: choice.secret };
      const outcome = await (target === 'visma' ? testVisma : testAvaTax)(candidate, secrets);
      const tested = { ...outcome, for: connectionKey(target, candidate), testedAt: app.now().toISOString() };
      app.lastTests[target] = tested;
      return tested;
    },

    ...createMonthHandlers(app),
  };

  /** Stores the secrets typed in; what the vault refuses (no keyring) comes back in words. */
  /** Secrets kept for addresses the save moves away from, and not typed again, are removed (named, for the audit). */
  function dropMovedSecrets(
    before: Partial<Settings>,
    after: Partial<Settings>,
    typed: IpcParsed<'settings:save'>['secrets'],
  ): string[] {
    const out: string[] = [];
    for (const target of ['visma', 'avatax'] as const) {
      const name = SECRET_OF[target];
      if (typed?.[name] || !addressesChanged(target, before, after)) continue;
      if (!app.deps.vault.state()[name].set) continue;
      app.deps.vault.clear(name);
      out.push(target);
    }
    return out;
  }

  async function storeSecrets(secrets: IpcParsed<'settings:save'>['secrets']): Promise<string[]> {
    try {
      if (secrets?.vismaClientSecret) await app.deps.vault.set('vismaClientSecret', secrets.vismaClientSecret);
      if (secrets?.avalaraLicenseKey) await app.deps.vault.set('avalaraLicenseKey', secrets.avalaraLicenseKey);
      return [];
    } catch (error) {
      if (error instanceof SecretsUnavailableError) return [error.message];
      throw error;
    }
  }

  /** Today in the company's calendar (its time zone), as a first-run date is meant. */
  function today(): string {
    return localDay(app.now(), companyTimeZone(ws().settings()));
  }

  function result(ok: boolean, kind: ConnectionResult['kind'], said: string | Reason): ConnectionResult {
    const words = typeof said === 'string' ? { message: said } : { message: formatReason(said, 'en'), reason: said };
    return { ok, kind, ...words, testedAt: app.now().toISOString() };
  }
}

/** The documents a tab and its filters show, in ledger order (the caller sorts). */
function listRows(all: readonly LedgerDocument[], q: IpcParsed<'documents:list'>): DocumentRow[] {
  const search = q.search?.trim();
  const states = q.states ?? (q.state ? [q.state] : undefined);
  const rows: DocumentRow[] = [];
  for (const d of all) {
    if (states && !states.includes(d.state)) continue;
    if (q.documentType && d.documentType !== q.documentType) continue;
    if (q.customer && d.customerNumber !== q.customer) continue;
    if (q.country && d.country !== q.country) continue;
    if (q.currency && d.currency !== q.currency) continue;
    if (q.dateFrom && d.documentDate < q.dateFrom) continue;
    if (q.dateTo && d.documentDate > q.dateTo) continue;
    if (search && !matchesSearch(`${d.referenceNumber} ${d.customerName} ${d.customerNumber} ${d.avataxCode}`, search))
      continue;
    rows.push(toRow(d));
  }
  return rows;
}

function outcome(r: DocumentResult): ReprocessOutcome {
  return { referenceNumber: r.referenceNumber, state: r.state, error: r.error };
}

/** A secret is saved with its own connection's section only (a Visma save never stores an AvaTax key). */
function stored(secrets: IpcParsed<'settings:save'>['secrets'], section: SettingsSection): Reason | undefined {
  if (secrets?.vismaClientSecret && section !== 'visma') return reason('secret-with-visma');
  if (secrets?.avalaraLicenseKey && section !== 'avalara') return reason('secret-with-avatax');
  return undefined;
}

/** A save the schema refused: the fields for the screen (in its words), and in English for logs and the CLI. */
function refusedFor(error: z.ZodError): SaveSettingsResult {
  return { ok: false, errors: describeSettingsIssues(error), issues: toSettingsIssues(error) };
}

/** Only the keys a section holds (the rest of the form is not what was saved). */
function pick(settings: Settings, keys: readonly (keyof Settings)[]): Partial<Settings> {
  return Object.fromEntries(keys.map((k) => [k, settings[k]])) as Partial<Settings>;
}

/** A dated problem as the command line and logs read it. */
function inEnglish(issue: SettingsIssue): string {
  return `Sync, start from: must be a day from ${issue.from} to today (${issue.to})`;
}
