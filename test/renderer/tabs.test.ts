import { describe, expect, it } from 'vitest';
import { tabAfterKey } from '../../renderer/src/components/Tabs.js';

describe('moving between tabs with the keyboard (WAI-ARIA)', () => {
  it('←/→ move one tab and wrap around; Home and End go to the ends; other keys do nothing', () => {
    expect(tabAfterKey('ArrowRight', 1, 5)).toBe(2);
    expect(tabAfterKey('ArrowRight', 4, 5)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 5)).toBe(4);
    expect(tabAfterKey('Home', 3, 5)).toBe(0);
    expect(tabAfterKey('End', 0, 5)).toBe(4);
    expect(tabAfterKey('ArrowDown', 2, 5)).toBeUndefined();
    expect(tabAfterKey('a', 2, 5)).toBeUndefined();
  });
});
