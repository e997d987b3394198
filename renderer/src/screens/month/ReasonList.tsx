import { formatReason } from '../../../../shared/reason-format.js';
import type { Reason } from '../../../../shared/reasons.js';
import { useUi } from '../../stores/ui.js';

/** Reasons (codes with their figures) as list items in the reader's language; the same words once. */
export function ReasonItems({ reasons }: { reasons: readonly Reason[] }) {
  const locale = useUi((s) => s.locale);
  const texts = [...new Set(reasons.map((r) => formatReason(r, locale)))];
  return (
    <>
      {texts.map((text) => (
        <li key={text}>{text}</li>
      ))}
    </>
  );
}

/** Reasons as lines (the bucket tables' "why"), the same words once. */
export function ReasonLines({ reasons }: { reasons: readonly Reason[] }) {
  const locale = useUi((s) => s.locale);
  const texts = [...new Set(reasons.map((r) => formatReason(r, locale)))];
  return (
    <>
      {texts.map((text) => (
        <span key={text} className="why-line">
          {text}
        </span>
      ))}
    </>
  );
}
