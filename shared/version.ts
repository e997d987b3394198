import pkg from '../package.json' with { type: 'json' };

/** The app's name and version, from package.json: one place, read at build time (never a copy to keep in step). */
export const APP_NAME = 'Visma-Avalara Tax Sync';
export const APP_VERSION: string = pkg.version;
