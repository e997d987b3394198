import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A user's clone has nothing beside it: no code or test may read the research folder next to the project. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : [];
  });
}

describe('the repository is self-contained', () => {
  it('nothing under electron/, shared/, renderer/, scripts/ or test/ reads ../shared', () => {
    const outside = /\.\.\/(\.\.\/)*shared\/(api|product|design)|shared\/api\/specs/;
    const offenders = ['electron', 'shared', 'renderer', 'scripts', 'test']
      .flatMap((d) => files(d))
      .filter((f) => f !== join('test', 'build', 'self-contained.test.ts'))
      .filter((f) => outside.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
