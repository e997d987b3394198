import { useTranslation } from 'react-i18next';
import { copyText } from '../clipboard.js';
import { useUi } from '../stores/ui.js';

/** A small "Copy" button for a number or code the user takes to Visma or AvaTax. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const toast = useUi((s) => s.toast);
  return (
    <button
      type="button"
      className="link copy"
      aria-label={label}
      onClick={() =>
        void copyText(value).then((ok) =>
          toast(ok ? 'success' : 'error', ok ? t('copy.copied', { value }) : t('copy.failed', { value })),
        )
      }
    >
      {t('copy.button')}
    </button>
  );
}
