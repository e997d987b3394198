import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type ReactNode, type RefObject, useLayoutEffect, useRef, useState } from 'react';
import { type FittingColumn, fitColumns } from './fit-columns.js';

export interface ColumnDef<T> extends FittingColumn {
  header: string;
  /** A CSS grid track; its minimum should be `minWidth`. */
  width: string;
  align?: 'left' | 'right';
  cell: (row: T) => ReactNode;
  /** The full text a truncated cell shows on hover; by default the cell's own text. */
  title?: (row: T) => string;
}

/** The width of an element, kept up to date as the window or the panel beside it changes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * A virtualised table (@tanstack/react-virtual) built from divs with the ARIA table roles (a real <table>
 * cannot hold absolutely positioned rows; biome.json turns off the semantic-element rule for this file): only the
 * rows in view (plus a few) are in the DOM, so 50,000 documents scroll smoothly. When the table is narrow (a
 * detail panel beside it, a small window) low-priority columns give way so the essential ones stay in view; a
 * truncated cell carries its full text as a title. Rows are focusable; arrow keys move (and the open detail
 * panel follows), Enter opens.
 */
export function VirtualTable<T>({
  rows,
  columns,
  rowKey,
  onOpen,
  onMove,
  selectedKey,
  label,
  rowHeight = 36,
}: {
  rows: readonly T[];
  columns: ColumnDef<T>[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  /** Arrow keys, Home and End moved to this row (the detail panel follows it). */
  onMove?: (row: T) => void;
  selectedKey?: string;
  label: string;
  rowHeight?: number;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const width = useWidth(parent);
  const shown = fitColumns(columns, width);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const template = shown.map((c) => c.width).join(' ');

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const move = (to: number) => {
      event.preventDefault();
      const target = Math.max(0, Math.min(rows.length - 1, to));
      if (target !== index) onMove?.(rows[target]!);
      const focus = () => parent.current?.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus();
      const rendered = parent.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      virtualizer.scrollToIndex(target);
      if (rendered) rendered.focus();
      else requestAnimationFrame(focus);
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(rows.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen?.(rows[index]!);
    }
  };

  return (
    <div className="vtable" role="table" aria-label={label} aria-rowcount={rows.length}>
      <div className="vtable-scroll-x">
        <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
          {shown.map((c) => (
            <div key={c.id} role="columnheader" className={c.align === 'right' ? 'num' : undefined} title={c.header}>
              {c.header}
            </div>
          ))}
        </div>
        <div className="vtable-body" ref={parent} data-testid="vtable-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              const key = rowKey(row);
              return (
                <div
                  key={key}
                  role="row"
                  tabIndex={0}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  aria-selected={key === selectedKey}
                  className={`vtable-row${key === selectedKey ? ' selected' : ''}`}
                  style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                  onClick={() => onOpen?.(row)}
                  onKeyDown={(e) => onKeyDown(e, item.index)}
                >
                  {shown.map((c) => {
                    const content = c.cell(row);
                    const text = c.title?.(row) ?? (typeof content === 'string' ? content : undefined);
                    return (
                      <div
                        key={c.id}
                        role="cell"
                        data-column={c.id}
                        className={c.align === 'right' ? 'num' : undefined}
                        title={text || undefined}
                      >
                        {content}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
