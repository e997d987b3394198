import { useEffect, useRef, useState } from 'react';

/** The longest search main takes (`search` in shared/ipc.ts): the box stops there instead of failing. */
export const MAX_SEARCH = 100;

/**
 * A search box that asks main only once typing pauses (250 ms): each query filters the whole ledger, so
 * sending one per keystroke would make 50,000 documents feel slow. A paste longer than main takes is cut.
 */
export function SearchInput({
  value,
  onSearch,
  label,
  placeholder,
}: {
  value: string;
  onSearch: (text: string) => void;
  label: string;
  placeholder: string;
}) {
  const [text, setText] = useState(value);
  const latest = useRef(onSearch);
  latest.current = onSearch;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latest.current(text), 250);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <input
      type="search"
      aria-label={label}
      placeholder={placeholder}
      value={text}
      maxLength={MAX_SEARCH}
      onChange={(e) => setText(e.target.value.slice(0, MAX_SEARCH))}
    />
  );
}
