import { readFileSync } from 'node:fs';

/** Reads an API fact kept in the repository under test/fixtures/api (never from outside the clone). */
export function readApiFixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/api/${path}`, import.meta.url), 'utf8')) as T;
}
