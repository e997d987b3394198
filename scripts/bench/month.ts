import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestClock } from '../../test/helpers/clock.js';
import { cli, engineBackfill, engineSync, log, withHost } from './children.js';
import type { Tally } from './host.js';
import { round } from './stats.js';
import { monthsRange, workloadMonth } from './workload.js';

/**
 * One month at a size (1k, 10k, 50k documents): filled by a first sync of all but the last documents (no latency,
 * no limit), then the last ones appear in Visma and are synced at the bench's latency (calls and bytes written per
 * document), the watermarks are forgotten and a no-change sync lists every document of the month again, then
 * `list --json` and `export-audit` through the built CLI. And a year's backfill. Peak RSS is each process's own.
 */

/** Forgets where the last sync stopped (README: delete the watermarks): the next run lists every document. */
function forgetWatermarks(dir: string): void {
  const file = join(dir, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  state.watermarks = {};
  writeFileSync(file, JSON.stringify(state));
}

export async function measureSize(options: {
  documents: number;
  newDocuments: number;
  clock: TestClock;
  latencyMs: number;
  vismaLimit: number;
}) {
  const { documents, clock } = options;
  const added = Math.min(options.newDocuments, documents);
  const month = workloadMonth(clock.ms());
  const host = { at: clock.ms(), documents: documents - added, later: added, latencyMs: 0, rateLimit: 1e9 };
  return withHost(host, async (host, urls) => {
    const base = mkdtempSync(join(tmpdir(), `taxsync-bench-${documents}-`));
    const data = join(base, 'data');
    const problems: string[] = [];
    try {
      let fill: Awaited<ReturnType<typeof engineSync>> | undefined;
      if (documents > added) {
        log(`${documents}: the first sync of the month's first ${documents - added} documents (no latency)…`);
        fill = await engineSync({ dir: data, urls, at: clock.ms() });
        log(`  ${round(fill.seconds)} s, peak RSS ${fill.peakRssMb} MB`);
        if (fill.summary.fetched !== documents - added)
          problems.push(`the first sync processed ${String(fill.summary.fetched)} of ${documents - added} documents`);
      }
      await host.call('take');
      await host.call('releaseNew');
      await host.call('latency', options.latencyMs);
      await host.call('rateLimit', { limit: options.vismaLimit });
      log(`${documents}: syncing the month's last ${added} documents (${options.latencyMs} ms per request)…`);
      const sync = await engineSync({ dir: data, urls, at: clock.ms() });
      const syncTally = await host.call<Tally>('take');
      log(`  ${round(sync.seconds)} s, ${Math.round(sync.bytesWritten / added)} bytes per document`);
      // It also reads again what the deletion check finds (every unreleased document of the month): unchanged.
      const changed = Number(sync.summary.fetched) - Number(sync.summary.skipped);
      if (changed !== added) problems.push(`the sync of the last documents processed ${changed} of ${added} new ones`);
      forgetWatermarks(data);
      log(`${documents}: a no-change sync, every document listed again…`);
      const unchanged = await engineSync({ dir: data, urls, at: clock.ms() });
      const unchangedTally = await host.call<Tally>('take');
      log(
        `  ${round(unchanged.seconds)} s, ${round(unchanged.cpuSeconds)} CPU s (${String(unchanged.summary.skipped)} unchanged)`,
      );
      if (unchanged.summary.fetched !== documents)
        problems.push(`the no-change sync listed ${String(unchanged.summary.fetched)} of ${documents} documents`);
      const config = join(data, 'settings.json');
      const list = await cli(['list', '--json', '--data-dir', data, '--config', config], clock.ms());
      const exported = await cli(
        ['export-audit', '--month', month, '--out', join(base, 'csv'), '--data-dir', data, '--config', config],
        clock.ms(),
      );
      log(`  list ${round(list.seconds)} s, export ${round(exported.seconds)} s`);
      const rss = {
        firstSync: fill?.peakRssMb,
        sync: sync.peakRssMb,
        noChangeSync: unchanged.peakRssMb,
        list: list.peakRssMb,
        export: exported.peakRssMb,
      };
      return {
        documents,
        newDocuments: added,
        /** Documents each step processed (the first sync, the sync of the last ones, the no-change sync). */
        processed: {
          firstSync: fill ? Number(fill.summary.fetched) : 0,
          sync: changed,
          /** Of which unchanged: read again by the deletion check. */
          syncReadAgain: Number(sync.summary.skipped),
          noChangeSync: Number(unchanged.summary.fetched),
        },
        problems,
        firstSyncSeconds: fill ? round(fill.seconds) : undefined,
        firstSyncPeakRssMb: fill?.peakRssMb,
        syncSeconds: round(sync.seconds),
        /** CPU seconds of the engine's process (user + system): steadier than wall time on a shared machine. */
        syncCpuSeconds: round(sync.cpuSeconds),
        syncDocumentsPerSecond: round(added / sync.seconds, 1),
        bytesPerDoc: Math.round(sync.bytesWritten / added),
        vismaCallsPerDoc: round((syncTally.visma + syncTally.token) / added),
        avataxCallsPerDoc: round(syncTally.avatax / added),
        noChangeSyncSeconds: round(unchanged.seconds),
        noChangeCpuSeconds: round(unchanged.cpuSeconds),
        /** Of which: the data folder opened, VAT data read, every document listed (and deletions looked for). */
        noChangeListedSeconds: round(unchanged.phases.listed),
        noChangeCalls: unchangedTally.visma + unchangedTally.token + unchangedTally.avatax,
        noChangeBytes: unchanged.bytesWritten,
        listSeconds: round(list.seconds),
        listBytes: list.outBytes,
        exportSeconds: round(exported.seconds),
        peakRssMb: Math.max(...Object.values(rss).filter((v): v is number => typeof v === 'number')),
        rssMb: rss,
      };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
}

export type SizeResult = Awaited<ReturnType<typeof measureSize>>;

/** A backfill of the twelve months before the bench's, `documents` documents spread over them. */
export async function measureBackfill(options: { documents: number; clock: TestClock }) {
  const { clock } = options;
  const range = monthsRange(clock.ms(), 12);
  const host = { at: clock.ms(), documents: options.documents, months: 12, latencyMs: 0, rateLimit: 1e9 };
  return withHost(host, async (host, urls) => {
    const base = mkdtempSync(join(tmpdir(), 'taxsync-bench-year-'));
    try {
      const inVisma = (await host.call<{ documents: number }>('state')).documents;
      log(`a year's backfill: ${inVisma} documents, ${range.from} to ${range.to} (no latency, unpaced)…`);
      const r = await engineBackfill({ dir: join(base, 'data'), urls, at: clock.ms(), ...range });
      log(`  ${round(r.seconds)} s, peak RSS ${r.peakRssMb} MB`);
      const done = Number(r.record.done);
      return {
        documents: inVisma,
        range,
        processed: done,
        problems:
          done === inVisma && r.record.status === 'completed'
            ? []
            : [`the backfill ended ${String(r.record.status)} after ${done} of ${inVisma} documents`],
        seconds: round(r.seconds),
        cpuSeconds: round(r.cpuSeconds),
        bytesPerDoc: Math.round(r.bytesWritten / Math.max(1, done)),
        peakRssMb: r.peakRssMb,
      };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
}
