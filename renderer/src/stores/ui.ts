import { create } from 'zustand';

export type Screen = 'overview' | 'transactions' | 'flagged' | 'audit' | 'settings';
export type Locale = 'en' | 'sv-SE' | 'da-DK' | 'de-DE';
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
  setLocale(locale: Locale): void;
  setTheme(theme: Theme): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

const saved = (key: string) => (typeof localStorage !== 'undefined' ? localStorage.getItem(key) : null);
const save = (key: string, value: string) => {
  if (typeof localStorage !== 'undefined') localStorage.setItem(key, value);
};
let nextToast = 1;

export const useUi = create<UiState>((set) => ({
  screen: 'overview',
  locale: (saved('taxsync.locale') as Locale | null) ?? 'en',
  theme: (saved('taxsync.theme') as Theme | null) ?? 'system',
  toasts: [],
  go: (screen) => set({ screen }),
  setLocale: (locale) => {
    save('taxsync.locale', locale);
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
