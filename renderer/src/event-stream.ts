import { createSseParser, type SseMessage } from './sse.js';

const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 15_000;

/**
 * The browser host's event stream read with fetch, so the token travels in a header (EventSource can only
 * put it in the address). Reconnects after a dropped connection, waiting longer each time; stops for good
 * when the host refuses the token. Returns a function that closes it.
 */
export function openEventStream(
  url: string,
  headers: Record<string, string>,
  onMessage: (message: SseMessage) => void,
): () => void {
  const abort = new AbortController();
  let delay = FIRST_RETRY_MS;

  const readOnce = async (): Promise<'again' | 'stop'> => {
    const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: abort.signal });
    if (res.status === 401 || res.status === 403) return 'stop';
    if (!res.ok || !res.body) return 'again';
    delay = FIRST_RETRY_MS;
    const feed = createSseParser(onMessage);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'again';
      feed(value);
    }
  };

  const run = async () => {
    while (!abort.signal.aborted) {
      const next = await readOnce().catch(() => 'again' as const);
      if (next === 'stop' || abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, LAST_RETRY_MS);
    }
  };
  void run();
  return () => abort.abort();
}
