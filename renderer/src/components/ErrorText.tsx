import { useTranslation } from 'react-i18next';
import { describeError } from '../errors.js';

/**
 * An error in words, with the message main sent folded away in a <details> for whoever has to look further
 * (support, IT). A message that is already in words is shown as it is, with nothing to unfold.
 */
export function ErrorText({ message, service }: { message: string; service?: string }) {
  const { t } = useTranslation();
  const { text, detail } = describeError(t, message, service);
  return (
    <span className="error-text" data-testid="error-text">
      <span className="error-words">{text}</span>
      {detail ? (
        <details className="tech-detail">
          <summary>{t('error.technical')}</summary>
          <code>{detail}</code>
        </details>
      ) : null}
    </span>
  );
}
