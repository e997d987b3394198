import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { missingToken } from './api.js';
import { OutageBanner } from './components/OutageBanner.js';
import { RepairButton } from './components/RepairButton.js';
import { Toasts } from './components/Toasts.js';
import { formatDateTime } from './format.js';
import { sayReason } from './reasons.js';
import { Audit } from './screens/Audit.js';
import { Flagged } from './screens/Flagged.js';
import { MonthEnd } from './screens/MonthEnd.js';
import { Overview } from './screens/Overview.js';
import { Settings } from './screens/Settings.js';
import { Transactions } from './screens/Transactions.js';
import { useApp } from './stores/app.js';
import { useAudit } from './stores/audit.js';
import { useConnection } from './stores/connection.js';
import { useDocuments } from './stores/documents.js';
import { useFlagged } from './stores/flagged.js';
import { useMonth } from './stores/month.js';
import { useSettings } from './stores/settings.js';
import { type Screen, useUi } from './stores/ui.js';

const NAV: { id: Screen; icon: string }[] = [
  { id: 'overview', icon: '◉' },
  { id: 'transactions', icon: '≡' },
  { id: 'flagged', icon: '⚑' },
  { id: 'audit', icon: '✓' },
  { id: 'month-end', icon: '▤' },
  { id: 'settings', icon: '⚙' },
];

export function App() {
  const { t } = useTranslation();
  const { screen, go, theme, setTheme, locale } = useUi();
  const { status, refresh, listen } = useApp();

  useEffect(() => {
    void refresh();
    void useSettings
      .getState()
      .load()
      .then(() => useUi.getState().adoptSavedLocale(useSettings.getState().view?.settings.ui.locale))
      .catch(() => undefined);
    const off = listen(() => {
      void useDocuments.getState().load();
      if (useUi.getState().screen === 'flagged') void useFlagged.getState().load();
      if (useUi.getState().screen === 'audit') void useAudit.getState().load();
      if (useUi.getState().screen === 'month-end') void useMonth.getState().load();
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

  // Each screen opens at its top: the scroll of the one before does not carry over (one <main> scrolls them all).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `screen` is the trigger
  useEffect(() => {
    document.getElementById('main')?.scrollTo(0, 0);
  }, [screen]);

  const connection = useConnection();
  const flagged = status?.counts.flagged ?? 0;
  // Browser mode with a missing or wrong token: a page that says so and how to get the right address, not an
  // empty app offering "Open Settings".
  if (connection.state === 'denied' || missingToken()) return <AccessDenied />;
  return (
    <div className="shell">
      <a href="#main" className="skip">
        {t('app.skip')}
      </a>
      <div className="sidebar">
        <div className="brand">
          <img src="./icon.png" alt="" width={28} height={28} />
          <span>{t('app.brand')}</span>
        </div>
        <nav aria-label={t('app.mainNav')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.id}>
                <button
                  type="button"
                  className={screen === n.id ? 'nav active' : 'nav'}
                  data-screen={n.id}
                  aria-current={screen === n.id ? 'page' : undefined}
                  onClick={() => go(n.id)}
                >
                  <span aria-hidden="true">{n.icon}</span> {t(`nav.${n.id}`)}
                  {n.id === 'flagged' && flagged > 0 ? (
                    <span className="pill">
                      {flagged}
                      <span className="sr-only">{t('app.flaggedSuffix')}</span>
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <Toasts />
        <div className="sidebar-foot">
          <label>
            {t('app.theme')}
            <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
              <option value="system">{t('app.themes.system')}</option>
              <option value="light">{t('app.themes.light')}</option>
              <option value="dark">{t('app.themes.dark')}</option>
            </select>
          </label>
          <small className="version">{t('app.version', { version: status?.version ?? '' })}</small>
        </div>
      </div>
      <div className="content">
        {status?.problem ? (
          <div className="alert error" role="alert" data-testid="company-problem">
            <strong>{t('app.companyProblem')}</strong> {sayReason(status.problem, locale)}{' '}
            {status.damage ? (
              <RepairButton damage={status.damage} />
            ) : (
              <button type="button" className="link" onClick={() => go('settings')}>
                {t('app.openSettings')}
              </button>
            )}
          </div>
        ) : null}
        {status?.mode === 'demo' ? (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            <strong>{t('app.demoTitle')}</strong> {t('app.demoText')}{' '}
            <button type="button" className="link" onClick={() => go('settings')}>
              {t('app.connect')}
            </button>
          </div>
        ) : null}
        {connection.state === 'lost' ? (
          <div className="alert error" role="alert" data-testid="server-gone">
            <strong>{t('connection.lostTitle')}</strong> {t('connection.lostText')}{' '}
            {connection.lastOkAt
              ? t('connection.lostSince', { at: formatDateTime(connection.lastOkAt, locale, { seconds: true }) })
              : null}
          </div>
        ) : null}
        <OutageBanner outage={status?.outage} />
        <main id="main" tabIndex={-1} className={connection.state === 'lost' ? 'stale' : undefined}>
          {screen === 'overview' ? <Overview /> : null}
          {screen === 'transactions' ? <Transactions /> : null}
          {screen === 'flagged' ? <Flagged /> : null}
          {screen === 'audit' ? <Audit /> : null}
          {screen === 'month-end' ? <MonthEnd /> : null}
          {screen === 'settings' ? <Settings /> : null}
        </main>
      </div>
    </div>
  );
}

/** Browser mode opened with no token, or an old one (the app gives a new address each time it starts). */
function AccessDenied() {
  const { t } = useTranslation();
  return (
    <main id="main" className="access-denied" data-testid="access-denied">
      <h1>{t('connection.deniedTitle')}</h1>
      <p>{t('connection.deniedText')}</p>
      <p>
        <code>npm run dev:web</code> · <code>npm start</code>
      </p>
    </main>
  );
}
