import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSettings } from '../../electron/app/config.js';
import { demoSettings } from '../../electron/sandbox/demo-company.js';
import type { Settings } from '../../shared/settings.js';
import { firstOfMonth } from './workload.js';

export interface Urls {
  visma: string;
  avatax: string;
}

/**
 * The demo company's settings against the sandbox host, documents from the first of the month of `at` (the
 * bench clock's instant). `concurrency`: the most documents in flight (the setting's default when absent).
 */
export function settingsFor(urls: Urls, at: number, concurrency?: number): Settings {
  const raw = demoSettings(urls, firstOfMonth(at));
  const { concurrency: _demo, ...sync } = raw.sync ?? {};
  return parseSettings({ ...raw, sync: concurrency === undefined ? sync : { ...sync, concurrency } });
}

/** Bytes of every file under the folder. */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const s = statSync(path);
    total += s.isDirectory() ? folderBytes(path) : s.size;
  }
  return total;
}

/**
 * This process's peak resident set, in MB. On Linux from VmHWM: getrusage's maxRSS survives fork and exec, so a
 * child forked from the bench (itself over 100 MB) would report at least the bench's size, however small it is.
 */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // Not Linux: maxRSS, in kilobytes.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * The backfill's pace without its waits: the bench measures the work and its memory, not the 60 a minute. Its
 * clock moves by what each wait asks, so the backfill's wait loop (which sleeps until its clock reaches the next
 * slot) ends at once. A clock that stood still while `sleep` returned at once made that loop spin until the real
 * clock caught up, a tight loop of microtasks that starved the document's own requests and built up an
 * AbortSignal per turn: a year's backfill ran out of memory at 4 GB.
 */
export function unpacedPacer(): { now(): number; sleep(ms: number): Promise<void> } {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += Math.max(0, ms);
    },
  };
}
