import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reconciliation } from '../../../../shared/month.js';

/**
 * Closing a month is a signature: before it happens the user sees what is being signed, the documents
 * accounted for, the VAT the return is filed from (domestic, OSS apart) and the note, and confirms or cancels.
 * A native <dialog>: focus stays inside, Escape cancels.
 */
export function CloseConfirm({
  monthName,
  reconciliation: r,
  note,
  money,
  onConfirm,
  onClose,
}: {
  monthName: string;
  reconciliation: Reconciliation;
  note: string;
  money: (minor: number) => string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const documents = Object.values(r.counts).reduce((sum, n) => sum + n, 0);
  const rows: [string, string, string][] = [
    [
      'documents',
      t('month.confirmClose.documents'),
      t('month.confirmClose.documentsValue', {
        count: documents,
        matched: r.counts.matched,
        accepted: r.counts.accepted,
      }),
    ],
    ['vat-base', t('month.confirmClose.vatBase'), money(r.vatBase.visma)],
    ['domestic-vat', t('month.confirmClose.domesticVat'), money(r.vatReturn.domestic.vat)],
    ['oss-vat', t('month.confirmClose.ossVat'), money(r.vatReturn.oss.vat)],
  ];

  return (
    <dialog
      ref={ref}
      className="reason-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="close-confirm"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onConfirm().finally(() => {
            setBusy(false);
            onClose();
          });
        }}
      >
        <h2 id={`${id}-title`}>{t('month.confirmClose.title', { month: monthName })}</h2>
        <div className="dialog-body">
          <p>{t('month.confirmClose.body')}</p>
          <table className="figures">
            <tbody>
              {rows.map(([key, label, value]) => (
                <tr key={key} data-testid={`close-confirm-${key}`}>
                  <th scope="row">{label}</th>
                  <td className="num">{value}</td>
                </tr>
              ))}
              {note.trim() ? (
                <tr data-testid="close-confirm-note">
                  <th scope="row">{t('month.confirmClose.note')}</th>
                  <td>{note.trim()}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose} disabled={busy}>
            {t('reason.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="close-confirm-submit">
            {busy ? t('month.closing') : t('month.close', { month: monthName })}
          </button>
        </div>
      </form>
    </dialog>
  );
}
