import { useTranslation } from 'react-i18next';
import { useUi } from '../stores/ui.js';

/**
 * Toasts live in the sidebar's free space, above the theme switch: they never cover the table or a form, and
 * they leave by themselves (errors after 10 s) or with their × button.
 */
export function Toasts() {
  const { t } = useTranslation();
  const { toasts, dismiss } = useUi();
  return (
    <section className="toasts" aria-label={t('app.notifications')} data-testid="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
          <span>{toast.text}</span>
          <button type="button" className="icon" aria-label={t('app.dismiss')} onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
