import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the process held after its last full collection before it collects
 * again, in percent. By default V8 picks the factor itself (up to four times what is held), so a process running
 * the engine through a large month kept far more garbage than data: a first sync of 10,000 documents, about 110 MB
 * held at its end, peaked at 292 MB resident; with 25 % it peaked at 213 MB, its CPU time within the noise of the
 * (shared) machine it was measured on; at 50,000 documents the month held ~150 MB and peaked over 400 MB.
 */
export const HEAP_GROWING_PERCENT = 25;

let applied = false;

/** Every process that runs the engine (the app, the web host, the CLI) keeps its heap close to what it holds. */
export function keepHeapClose(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
