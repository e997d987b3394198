import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOASTS, useUi } from '../../renderer/src/stores/ui.js';

const texts = () => useUi.getState().toasts.map((t) => t.text);

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useUi.setState({ toasts: [] });
  });
  afterEach(() => vi.useRealTimers());

  it('an error stays 10 seconds, then goes by itself; other toasts go after 6', () => {
    useUi.getState().toast('error', 'Visma refused the address');
    useUi.getState().toast('success', 'Settings saved');
    vi.advanceTimersByTime(5999);
    expect(texts()).toEqual(['Visma refused the address', 'Settings saved']);
    vi.advanceTimersByTime(1);
    expect(texts()).toEqual(['Visma refused the address']);
    vi.advanceTimersByTime(4000);
    expect(texts()).toEqual([]);
  });

  it('can still be dismissed by hand', () => {
    useUi.getState().toast('error', 'Export failed');
    useUi.getState().dismiss(useUi.getState().toasts[0]!.id);
    expect(texts()).toEqual([]);
  });

  it('keeps no stale toasts: the newest few, and a repeated message once', () => {
    for (const n of [1, 2, 3, 4]) useUi.getState().toast('info', `message ${n}`);
    expect(texts()).toEqual(['message 2', 'message 3', 'message 4']);
    expect(texts()).toHaveLength(MAX_TOASTS);
    useUi.getState().toast('error', 'message 2');
    expect(texts()).toEqual(['message 3', 'message 4', 'message 2']);
    vi.advanceTimersByTime(6000);
    expect(texts()).toEqual(['message 2']);
  });
});
