import { create } from 'zustand';
import { applyLocale } from '../i18n/index.js';
import { browserLanguages, type Locale, resolveLocale } from '../i18n/locale.js';

export type { Locale } from '../i18n/locale.js';
export type Screen = 'overview' | 'transactions' | 'flagged' | 'audit' | 'settings';
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
  /** The user picked a language (Settings): remembered on this computer too. */
  setLocale(locale: Locale): void;
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

const initialLocale = resolveLocale({ chosen: saved('taxsync.locale'), languages: browserLanguages() });
applyLocale(initialLocale);

export const useUi = create<UiState>((set, get) => ({
  screen: 'overview',
  locale: initialLocale,
  theme: (saved('taxsync.theme') as Theme | null) ?? 'system',
  toasts: [],
  go: (screen) => set({ screen }),
  setLocale: (locale) => {
    save('taxsync.locale', locale);
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
    set((s) => ({ toasts: [...s.toasts.slice(-2), { id, kind, text }] }));
    if (typeof setTimeout !== 'undefined' && kind !== 'error') setTimeout(() => useUi.getState().dismiss(id), 6000);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));
