import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentState } from '../../../shared/domain.js';

export function StateBadge({ state }: { state: DocumentState }) {
  const { t } = useTranslation();
  return <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>;
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const { t } = useTranslation();
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total || 1}
      aria-valuenow={done}
      aria-valuetext={t('overview.progressValue', { done, total })}
    >
      <div className="progress-fill" style={{ width: `${total > 0 ? pct : 5}%` }} />
    </div>
  );
}

export function Field({
  label,
  htmlFor,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint ? <small className="hint">{hint}</small> : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A labelled text input bound to one value (most settings fields). */
export function TextField({
  id,
  label,
  value,
  onChange,
  hint,
  ...input
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  type?: 'text' | 'password' | 'date' | 'time' | 'number';
  inputMode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string;
  disabled?: boolean;
  maxLength?: number;
  autoComplete?: string;
  'aria-required'?: boolean;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint}>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
    </Field>
  );
}
