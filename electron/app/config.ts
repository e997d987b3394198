import { readFileSync } from 'node:fs';
import {
  describeSettingsIssues,
  SECRET_ENV,
  type Secrets,
  type Settings,
  settingsSchema,
} from '../../shared/settings.js';
import { ConfigurationError } from '../engine/errors.js';

/** Reads `--config FILE` (the same settings the desktop app edits) with messages a finance user can act on. */
export function loadSettingsFile(file: string): Settings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `Cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigurationError(`The config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSettings(raw, `the config file ${file}`);
}

export function parseSettings(raw: unknown, where = 'the settings'): Settings {
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigurationError(`Problems in ${where}:\n  - ${describeSettingsIssues(parsed.error).join('\n  - ')}`);
  return parsed.data;
}

/** Secrets come only from the environment for the CLI (the app keeps them with safeStorage). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  const missing = Object.values(SECRET_ENV).filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigurationError(
      `Missing secret${missing.length > 1 ? 's' : ''} in the environment: ${missing.join(', ')}`,
    );
  return {
    vismaClientSecret: env[SECRET_ENV.vismaClientSecret]!,
    avalaraLicenseKey: env[SECRET_ENV.avalaraLicenseKey]!,
  };
}

/** Whether settings name a company at all (for "demo company when no credentials are set"). */
export function hasCredentials(settings: Settings | undefined): boolean {
  return Boolean(settings?.visma.clientId && settings.visma.tenantId && settings.avalara.accountId);
}
