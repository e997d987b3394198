import { describe, expect, it } from 'vitest';
import { fitColumns } from '../../renderer/src/components/fit-columns.js';

const columns = [
  { id: 'date', minWidth: 96, priority: 3 },
  { id: 'number', minWidth: 72 },
  { id: 'type', minWidth: 88, priority: 4 },
  { id: 'customer', minWidth: 112, priority: 1 },
  { id: 'country', minWidth: 52, priority: 5 },
  { id: 'amount', minWidth: 124 },
  { id: 'tax', minWidth: 112 },
  { id: 'state', minWidth: 104 },
  { id: 'reason', minWidth: 104, priority: 2 },
];
const ids = (width: number) => fitColumns(columns, width).map((c) => c.id);

describe('which Transactions columns fit', () => {
  it('shows every column when there is room, and all of them before the table is measured', () => {
    expect(ids(1100)).toHaveLength(9);
    expect(ids(0)).toHaveLength(9);
  });

  it('lets country, type, date, reason and customer give way in that order; never amount, tax or state', () => {
    expect(ids(900)).toEqual(['date', 'number', 'customer', 'amount', 'tax', 'state', 'reason']);
    expect(ids(736)).toEqual(['number', 'customer', 'amount', 'tax', 'state', 'reason']);
    expect(ids(683)).toEqual(['number', 'customer', 'amount', 'tax', 'state']);
    expect(ids(200)).toEqual(['number', 'amount', 'tax', 'state']);
  });
});
