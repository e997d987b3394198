/** What the table needs to know of a column to decide whether it fits. */
export interface FittingColumn {
  id: string;
  /** The narrowest the column may get, in CSS pixels. */
  minWidth: number;
  /** 0: always shown (number, amount, tax, state). Higher numbers give way first when the table is narrow. */
  priority?: number;
}

export const CELL_GAP = 10;
export const ROW_PADDING = 24;

const needed = (columns: readonly FittingColumn[]) =>
  columns.reduce((sum, c) => sum + c.minWidth, 0) + CELL_GAP * Math.max(0, columns.length - 1) + ROW_PADDING;

/**
 * The columns that fit in `width` pixels: low-priority ones (country, type, date, reason…) are left out, the
 * least important first, until the rest fit; the essential ones stay whatever the width. Order is kept.
 */
export function fitColumns<T extends FittingColumn>(columns: readonly T[], width: number): T[] {
  if (!(width > 0)) return [...columns];
  const shown = [...columns];
  const byLeastImportant = [...columns]
    .filter((c) => (c.priority ?? 0) > 0)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  for (const column of byLeastImportant) {
    if (needed(shown) <= width) break;
    shown.splice(shown.indexOf(column), 1);
  }
  return shown;
}
