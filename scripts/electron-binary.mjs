// The Electron binary for `npm start`: present, or fetched once with Electron's own install script. The script's
// output is kept, not shown: a machine without internet gets one sentence saying why, never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether node_modules/electron holds its binary (path.txt names it under dist/). */
export function electronBinaryPresent(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

/**
 * Runs Electron's install script quietly. `{ ok: true }` once the binary is there; otherwise `reason`, the
 * install script's error in a few words ("getaddrinfo ENOTFOUND github.com"), never its stack.
 */
export function fetchElectronBinary(electronDir, { timeoutMs = 180_000, node = process.execPath } = {}) {
  const result = spawnSync(node, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (electronBinaryPresent(electronDir)) return { ok: true };
  if (result.error?.code === 'ETIMEDOUT')
    return { ok: false, reason: `no answer in ${Math.round(timeoutMs / 1000)} s` };
  return { ok: false, reason: shortReason(`${result.stderr ?? ''}\n${result.stdout ?? ''}`) };
}

/** The words of an error's output: the network cause when there is one, else its first line; stack lines dropped. */
export function shortReason(output) {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l) && !/^\^+$/.test(l) && !/^node:internal/.test(l));
  const network = lines
    .map(
      (l) =>
        /\b(getaddrinfo \w+ [^\s)]+|E(NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH)\b[^\n)]*)/.exec(
          l,
        )?.[0],
    )
    .find(Boolean);
  if (network) return network.trim();
  const first = lines.find((l) => /error|failed|cannot|could not/i.test(l)) ?? lines[0];
  return (first ?? 'the install script failed without saying why').replace(/^(\w*Error|\[\w+\]):\s*/, '').slice(0, 160);
}
