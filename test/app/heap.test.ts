import { rmSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parseSettings } from '../../electron/app/config.js';
import { DEMO_SECRETS, demoSettings } from '../../electron/sandbox/demo-company.js';
import { testClock } from '../helpers/clock.js';
import { tempDir } from '../helpers/engine.js';

const flags = vi.hoisted(() => [] as string[]);
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: (flag: string) => flags.push(flag),
}));

describe('the heap of a process that runs the engine', () => {
  it('is kept close to what it holds once a workspace opens (asked once, whoever opens one first)', async () => {
    const { openLiveWorkspace } = await import('../../electron/app/workspace.js');
    const { keepHeapClose, HEAP_GROWING_PERCENT } = await import('../../electron/app/heap.js');
    expect(flags).toEqual([]);
    const dir = tempDir();
    const settings = parseSettings(
      demoSettings({ visma: 'http://127.0.0.1:9', avatax: 'http://127.0.0.1:9' }, '2026-11-01'),
    );
    const ws = await openLiveWorkspace({
      dataDir: dir,
      settings,
      secrets: () => ({ ...DEMO_SECRETS }),
      now: testClock().now,
    });
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    keepHeapClose();
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(HEAP_GROWING_PERCENT).toBeLessThan(100);
  });
});
