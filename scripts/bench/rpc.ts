import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A tiny request/answer protocol over the IPC channel of a forked child. */
// biome-ignore lint/suspicious/noExplicitAny: each method takes its own JSON argument
export type Rpc = Record<string, (arg: any) => unknown>;

interface Call {
  id: number;
  method: string;
  arg: unknown;
}

export function serve(rpc: Rpc): void {
  process.on('message', async (message: Call) => {
    try {
      const fn = rpc[message.method];
      if (!fn) throw new Error(`no method ${message.method}`);
      const result = await fn(message.arg);
      process.send!({ id: message.id, result });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export interface Child {
  call<T = unknown>(method: string, arg?: unknown): Promise<T>;
  process: ChildProcess;
  /** Waits for the child to end; returns its exit code. */
  exited: Promise<number>;
}

/**
 * Forks a child answering `serve` calls: the bundled JavaScript when `bundles` names a folder holding it (what
 * the bench measures: no TypeScript loader in the way), else the TypeScript module of this folder through tsx.
 */
export function spawnChild(
  module: string,
  options: { args?: string[]; execArgv?: string[]; bundles?: string } = {},
): Child {
  const bundled = options.bundles
    ? join(options.bundles, module.replace(/^\.\//, '').replace(/\.ts$/, '.js'))
    : undefined;
  const file = bundled ?? fileURLToPath(new URL(module, import.meta.url));
  const child = fork(file, options.args ?? [], {
    execArgv: [...(bundled ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  // stdout belongs to the bench's one JSON object: whatever a child prints goes to stderr.
  child.stdout?.pipe(process.stderr);
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(`${module}: ${m.error}`));
    else w.resolve(m.result);
  });
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`${module} exited (${code}) before answering`));
      waiting.clear();
      resolve(code ?? 1);
    }),
  );
  return {
    process: child,
    exited,
    call<T>(method: string, arg?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, method, arg });
      });
    },
  };
}
