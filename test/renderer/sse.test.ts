import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../renderer/src/sse.js';

function parseChunks(chunks: string[]): SseMessage[] {
  const seen: SseMessage[] = [];
  const feed = createSseParser((m) => seen.push(m));
  for (const c of chunks) feed(c);
  return seen;
}

describe('reading server-sent events from a fetch body', () => {
  it('reads named events and skips comments', () => {
    expect(
      parseChunks([': connected\n\nevent: sync:progress\ndata: {"done":1}\n\nevent: sync:finished\ndata: {}\n\n']),
    ).toEqual([
      { event: 'sync:progress', data: '{"done":1}' },
      { event: 'sync:finished', data: '{}' },
    ]);
  });

  it('joins a frame cut anywhere across chunks, a line ending included', () => {
    const frame = 'event: documents:changed\r\ndata: {"at":"2026-11-30"}\r\n\r\n';
    for (let cut = 1; cut < frame.length; cut++) {
      expect(parseChunks([frame.slice(0, cut), frame.slice(cut)]), `cut at ${cut}`).toEqual([
        { event: 'documents:changed', data: '{"at":"2026-11-30"}' },
      ]);
    }
  });

  it('follows the format: several data lines, no space after the colon, default event name, empty frames', () => {
    expect(
      parseChunks(['data:a\ndata: b\n\n', '\n\n', 'event: x\n\n', 'data\n\n', 'id: 7\nretry: 10\ndata: c\n\n']),
    ).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: '' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('does not dispatch a frame that has not ended', () => {
    expect(parseChunks(['event: x\ndata: 1\n'])).toEqual([]);
  });
});
