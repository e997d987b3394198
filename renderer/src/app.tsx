import { useEffect } from 'react';
import { Audit } from './screens/Audit.js';
import { Flagged } from './screens/Flagged.js';
import { Overview } from './screens/Overview.js';
import { Settings } from './screens/Settings.js';
import { Transactions } from './screens/Transactions.js';
import { useApp } from './stores/app.js';
import { useAudit } from './stores/audit.js';
import { useDocuments } from './stores/documents.js';
import { useFlagged } from './stores/flagged.js';
import { type Screen, useUi } from './stores/ui.js';

const NAV: { id: Screen; label: string; icon: string }[] = [
  { id: 'overview', label: 'Overview', icon: '◉' },
  { id: 'transactions', label: 'Transactions', icon: '≡' },
  { id: 'flagged', label: 'Flagged addresses', icon: '⚑' },
  { id: 'audit', label: 'Audit', icon: '✓' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
];

export function App() {
  const { screen, go, theme, setTheme, toasts, dismiss } = useUi();
  const { status, refresh, listen } = useApp();

  useEffect(() => {
    void refresh();
    const off = listen(() => {
      void useDocuments.getState().load();
      if (useUi.getState().screen === 'flagged') void useFlagged.getState().load();
      if (useUi.getState().screen === 'audit') void useAudit.getState().load();
    });
    const timer = setInterval(() => void refresh(), 30_000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [refresh, listen]);

  useEffect(() => {
    const mode =
      theme === 'system' ? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light') : theme;
    document.documentElement.dataset.theme = mode;
  }, [theme]);

  useEffect(() => {
    if (status?.mode) void useDocuments.getState().load();
  }, [status?.mode]);

  const flagged = status?.counts.flagged ?? 0;
  return (
    <div className="shell">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <img src="./icon.png" alt="" width={28} height={28} />
          <span>Tax Sync</span>
        </div>
        <ul>
          {NAV.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={screen === n.id ? 'nav active' : 'nav'}
                aria-current={screen === n.id ? 'page' : undefined}
                onClick={() => go(n.id)}
              >
                <span aria-hidden="true">{n.icon}</span> {n.label}
                {n.id === 'flagged' && flagged > 0 ? (
                  <span className="pill">
                    {flagged}
                    <span className="sr-only"> flagged</span>
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <label>
            Theme
            <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <small className="version">v{status?.version ?? ''}</small>
        </div>
      </nav>
      <div className="content">
        {status?.mode === 'demo' ? (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            <strong>Demo company</strong> — Nordväst Handel AB on the built-in Visma and AvaTax sandboxes. Nothing
            leaves this computer.{' '}
            <button type="button" className="link" onClick={() => go('settings')}>
              Connect your company
            </button>
          </div>
        ) : null}
        <main id="main" tabIndex={-1}>
          {screen === 'overview' ? <Overview /> : null}
          {screen === 'transactions' ? <Transactions /> : null}
          {screen === 'flagged' ? <Flagged /> : null}
          {screen === 'audit' ? <Audit /> : null}
          {screen === 'settings' ? <Settings /> : null}
        </main>
      </div>
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
