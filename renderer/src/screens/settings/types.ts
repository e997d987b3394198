import type { Settings } from '../../../../shared/settings.js';

/** Sections change the draft through one mutating callback (the store clones it first). */
export type Edit = (patch: (draft: Settings) => void) => void;
