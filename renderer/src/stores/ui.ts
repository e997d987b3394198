import { create } from 'zustand';
import { applyLocale } from '../i18n/index.js';
import {
  browserLanguages,
  type Locale,
  type LocaleChoice,
  localeFromLanguages,
  resolveLocale,
} from '../i18n/locale.js';

export type { Locale } from '../i18n/locale.js';
export type Screen = 'overview' | 'transactions' | 'flagged' | 'audit' | 'month-end' | 'settings';
export type Theme = 'system' | 'light' | 'dark';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

interface UiState {
  screen: Screen;
  locale: Locale;
  theme: Theme;
  toasts: Toast[];
  go(screen: Screen): void;
  /** The user picked a language (Settings): remembered on this computer too; `auto` follows the computer's again. */
  setLocale(choice: LocaleChoice): void;
  /** The language saved in Settings, read at start: it wins unless it is only the schema's default. */
  adoptSavedLocale(saved: string | undefined): void;
  setTheme(theme: Theme): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

const saved = (key: string) => (typeof localStorage !== 'undefined' ? localStorage.getItem(key) : null);
const save = (key: string, value: string) => {
  if (typeof localStorage !== 'undefined') localStorage.setItem(key, value);
};
let nextToast = 1;

/** How long a toast stays: long enough to read an error, short enough not to go stale. */
export const TOAST_MS: Record<Toast['kind'], number> = { info: 6000, success: 6000, error: 10_000 };
/** At most this many at once; older ones make way. */
export const MAX_TOASTS = 3;

const initialLocale = resolveLocale({ chosen: saved('taxsync.locale'), languages: browserLanguages() });
applyLocale(initialLocale);

export const useUi = create<UiState>((set, get) => ({
  screen: 'overview',
  locale: initialLocale,
  theme: (saved('taxsync.theme') as Theme | null) ?? 'system',
  toasts: [],
  go: (screen) => set({ screen }),
  setLocale: (choice) => {
    if (choice === 'auto' && typeof localStorage !== 'undefined') localStorage.removeItem('taxsync.locale');
    else if (choice !== 'auto') save('taxsync.locale', choice);
    const locale = choice === 'auto' ? localeFromLanguages(browserLanguages()) : choice;
    applyLocale(locale);
    set({ locale });
  },
  adoptSavedLocale: (savedLocale) => {
    const locale = resolveLocale({
      saved: savedLocale,
      chosen: saved('taxsync.locale'),
      languages: browserLanguages(),
    });
    if (locale === get().locale) return;
    applyLocale(locale);
    set({ locale });
  },
  setTheme: (theme) => {
    save('taxsync.theme', theme);
    set({ theme });
  },
  toast: (kind, text) => {
    const id = nextToast++;
    // The same message again replaces the old one (and its timer) instead of stacking up.
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.text !== text), { id, kind, text }].slice(-MAX_TOASTS) }));
    setTimeout(() => get().dismiss(id), TOAST_MS[kind]);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
