import { createHash } from 'node:crypto';

/**
 * A running SHA-256 over the lines of a month file, and how many there are: what the ledger wrote, so that a
 * month file emptied, cut at a line, or edited outside the app is told from the one it left (see ledger.ts).
 */
export interface LineChain {
  lines: number;
  hash: string;
}

export const EMPTY_CHAIN: LineChain = { lines: 0, hash: 'genesis' };

export function extendChain(chain: LineChain, lines: readonly string[]): LineChain {
  let { hash } = chain;
  for (const line of lines) hash = createHash('sha256').update(hash).update('\n').update(line).digest('hex');
  return { lines: chain.lines + lines.length, hash };
}

/** What the ledger records of a month after each write: its chain, its live documents and its bytes. */
export interface MonthAnchor extends LineChain {
  rows: number;
  bytes: number;
}

export function sameChain(a: LineChain, b: LineChain): boolean {
  return a.lines === b.lines && a.hash === b.hash;
}
