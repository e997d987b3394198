import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  type RefObject,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
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

/** Sorting, resizing and ticking rows: offered when the caller passes them (Transactions does, Audit does not). */
export interface TableControls<T> {
  sort?: { column: string; direction: 'asc' | 'desc' };
  onSort?: (columnId: string) => void;
  /** Widths the user dragged to, in CSS pixels, by column id. */
  widths?: Partial<Record<string, number>>;
  /** A new width for a column; undefined puts it back (double-click on the handle). */
  onResize?: (columnId: string, width: number | undefined) => void;
  /** Ticked rows (by key) for a bulk action; a tick column is shown when given. */
  checked?: ReadonlySet<string>;
  onCheck?: (keys: string[]) => void;
  labels?: { resize: (header: string) => string; checkAll: string; checkRow: (row: T) => string };
  /** Under the rows, in the same columns (a totals row). */
  footer?: (shown: ColumnDef<T>[], template: string) => ReactNode;
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
  controls = {},
}: {
  controls?: TableControls<T>;
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
  const { sort, onSort, widths, onResize, checked, onCheck, labels, footer } = controls;
  const sized = columns.map((c) => {
    const w = widths?.[c.id];
    return w ? { ...c, width: `${w}px`, minWidth: w } : c;
  });
  const ticking = checked !== undefined && onCheck !== undefined;
  const shown = fitColumns(sized, width - (ticking ? TICK_WIDTH + 10 : 0));
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const template = [...(ticking ? [`${TICK_WIDTH}px`] : []), ...shown.map((c) => c.width)].join(' ');
  const allKeys = ticking ? rows.map(rowKey) : [];
  const allChecked = ticking && allKeys.length > 0 && allKeys.every((k) => checked.has(k));
  const toggle = (key: string) => {
    if (!ticking) return;
    onCheck(checked.has(key) ? [...checked].filter((k) => k !== key) : [...checked, key]);
  };

  /** Dragging a header's right edge: the column follows the pointer; arrow keys on the handle move it 16 px. */
  const startResize = (event: PointerEvent<HTMLSpanElement>, id: string) => {
    const cell = event.currentTarget.parentElement;
    if (!cell || !onResize) return;
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = cell.getBoundingClientRect().width;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const move = (e: globalThis.PointerEvent) => onResize(id, startWidth + e.clientX - startX);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  const resizeByKey = (event: KeyboardEvent<HTMLSpanElement>, id: string) => {
    if (!onResize || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
    event.preventDefault();
    const cell = event.currentTarget.parentElement;
    const current = cell?.getBoundingClientRect().width ?? 100;
    onResize(id, current + (event.key === 'ArrowRight' ? 16 : -16));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    // Enter or Space on a button or link inside a cell is that control's, not the row's.
    if (event.target !== event.currentTarget && (event.key === 'Enter' || event.key === ' ')) return;
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
          {ticking ? (
            <div role="columnheader" className="tick">
              <input
                type="checkbox"
                aria-label={labels?.checkAll}
                checked={allChecked}
                onChange={() => onCheck(allChecked ? [] : allKeys)}
              />
            </div>
          ) : null}
          {shown.map((c) => {
            const sorted = sort?.column === c.id ? sort.direction : undefined;
            return (
              <div
                key={c.id}
                role="columnheader"
                className={`${c.align === 'right' ? 'num ' : ''}${onResize ? 'resizable' : ''}`.trim() || undefined}
                title={c.header}
                // Its name is the header alone, not the resize handle's label inside it.
                aria-label={c.header}
                data-column={c.id}
                aria-sort={
                  onSort ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined
                }
              >
                {onSort ? (
                  <button type="button" className="sort" onClick={() => onSort(c.id)}>
                    {c.header}
                    <span aria-hidden="true" className="sort-mark">
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </span>
                  </button>
                ) : (
                  c.header
                )}
                {onResize ? (
                  <span
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={labels?.resize(c.header)}
                    aria-valuenow={Math.round(widths?.[c.id] ?? c.minWidth)}
                    tabIndex={0}
                    className="col-resize"
                    onPointerDown={(e) => startResize(e, c.id)}
                    onKeyDown={(e) => resizeByKey(e, c.id)}
                    onDoubleClick={() => onResize(c.id, undefined)}
                  />
                ) : null}
              </div>
            );
          })}
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
                  {ticking ? (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only keeps the row from opening
                    <div role="cell" className="tick" onClick={(e) => e.stopPropagation()}>
                      <input
                        type="checkbox"
                        aria-label={labels?.checkRow(row)}
                        checked={checked.has(key)}
                        onChange={() => toggle(key)}
                        onKeyDown={(e) => e.stopPropagation()}
                      />
                    </div>
                  ) : null}
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
        {footer ? footer(shown, template) : null}
      </div>
    </div>
  );
}

const TICK_WIDTH = 24;
