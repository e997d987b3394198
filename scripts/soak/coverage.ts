import type { RequestLogEntry } from '../../electron/sandbox/http-kit.js';
import type { RoundResult } from './cli-round.js';

/**
 * What the soak really exercised, counted from what happened (statuses the sandboxes sent, kills that landed,
 * second CLIs and how they ended), printed at the end so a quiet soak cannot pass for a thorough one.
 */
export class Coverage {
  readonly counts = new Map<string, number>();

  add(what: string, n = 1): void {
    if (n > 0) this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  /** Sandbox answers worth counting: refusals, throttling, server errors, dropped connections. */
  seen(entries: readonly RequestLogEntry[]): void {
    for (const e of entries) {
      if (e.status === 412) this.add('412 stale If-Match answered');
      else if (e.status === 401) this.add('401 expired token answered');
      else if (e.status === 429) this.add('429 answered');
      else if (e.status >= 500) this.add('5xx answered');
      else if (e.status === -1) this.add('connection dropped');
    }
  }

  /** Visma's background jobs: a write's 412 comes back in its job's state, not as the PUT's own status. */
  jobs(jobs: readonly { statusCode?: number }[]): void {
    for (const j of jobs) if (j.statusCode === 412) this.add('412 stale If-Match answered');
  }

  round(result: RoundResult, armed: string[], changes: string[]): void {
    for (const a of armed) this.add(`fault armed: ${a.replace(/ on .*/, '')}`);
    for (const c of changes) {
      const m = /^(.*) (\d+)$/.exec(c);
      if (m) this.add(`Visma: ${m[1]}`, Number(m[2]));
    }
    if (result.killed) this.add('SIGKILL');
    if (result.main.code === 0) this.add('run completed');
    if (result.main.code === 1) this.add('run failed on faults, said so');
    if (result.second) {
      const r = result.second;
      const how =
        r.code === 2 ? 'stopped, naming who has the folder' : r.code === 0 ? 'ran after the first' : `exit ${r.code}`;
      this.add(`second CLI (${r.what}) ${how}`);
    }
  }

  /** Things the issue names that never happened in this soak. */
  gaps(): string[] {
    const must = [
      '412 stale If-Match answered',
      '401 expired token answered',
      '429 answered',
      '5xx answered',
      'connection dropped',
      'fault armed: timeout',
      'fault armed: 429 with Retry-After',
      'fault armed: 429 without Retry-After',
      'Visma: released',
      'Visma: voided',
      'Visma: edited after commit',
      'SIGKILL',
    ];
    const out = must.filter((m) => !this.counts.has(m)).map((m) => `never happened: ${m}`);
    if (![...this.counts.keys()].some((k) => k.startsWith('second CLI'))) out.push('never happened: a second CLI');
    return out;
  }

  lines(): string[] {
    return [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`);
  }
}
