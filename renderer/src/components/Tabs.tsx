import { type KeyboardEvent, useRef } from 'react';

/** Which tab a key moves to (WAI-ARIA tabs: ←/→ wrap around, Home and End go to the ends), or undefined. */
export function tabAfterKey(key: string, index: number, count: number): number | undefined {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
}

/**
 * A WAI-ARIA tab list: one tab in the Tab order (the selected one), ←/→/Home/End move between tabs and select
 * them (automatic activation: choosing a tab only filters, it is cheap).
 */
export function Tabs<T extends string>({
  tabs,
  selected,
  onSelect,
  label,
  controls,
}: {
  tabs: readonly { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
  label: string;
  /** The id of the element the tabs filter. */
  controls?: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = tabAfterKey(event.key, index, tabs.length);
    if (next === undefined) return;
    event.preventDefault();
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus();
    onSelect(tabs[next]!.id);
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" ref={list}>
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={controls}
          tabIndex={tab.id === selected ? 0 : -1}
          className={tab.id === selected ? 'tab active' : 'tab'}
          onClick={() => onSelect(tab.id)}
          onKeyDown={(e) => onKeyDown(e, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
