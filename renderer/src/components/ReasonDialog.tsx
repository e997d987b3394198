import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** At least this many characters (trimmed): main refuses fewer ("say why"). */
export const MIN_REASON = 3;

/** Whether a typed reason is long enough to send. */
export function reasonProblem(reason: string): 'tooShort' | undefined {
  return reason.trim().length < MIN_REASON ? 'tooShort' : undefined;
}

/**
 * A modal dialog that asks why (Accept as booked, Adjust in AvaTax): the reason is audited, so it must say
 * something. Confirm answers with an error to show in the dialog, or nothing when done (the dialog closes).
 * A native <dialog>: focus stays inside, Escape cancels.
 */
export function ReasonDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: (reason: string) => Promise<string | undefined>;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = async () => {
    if (reasonProblem(reason)) {
      setProblem(t('reason.tooShort', { count: MIN_REASON }));
      return;
    }
    setBusy(true);
    try {
      const error = await onConfirm(reason.trim());
      if (error) setProblem(error);
      else onClose();
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="reason-dialog"
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="dialog-body">{children}</div>
        <label htmlFor={`${id}-reason`}>{t('reason.label')}</label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          rows={3}
          maxLength={500}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : `${id}-hint`}
          onChange={(e) => {
            setReason(e.target.value);
            setProblem(undefined);
          }}
        />
        {problem ? (
          <p id={`${id}-problem`} className="field-problem" role="alert">
            {problem}
          </p>
        ) : (
          <p id={`${id}-hint`} className="hint">
            {t('reason.hint')}
          </p>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose} disabled={busy}>
            {t('reason.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('reason.working') : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
