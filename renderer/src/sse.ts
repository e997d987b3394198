/** One server-sent event: its name (`message` when the frame names none) and its data lines joined. */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * Reads the text/event-stream format from chunks of text cut anywhere, as the HTML standard describes it:
 * `field: value` lines, a blank line ends a frame, lines starting with `:` are comments, and a line may end
 * in CR, LF or CRLF. `id` and `retry` are read past (the bridge reconnects on its own schedule).
 */
export function createSseParser(onMessage: (message: SseMessage) => void): (chunk: string) => void {
  let pending = '';
  let event = '';
  let data: string[] = [];
  let skipLineFeed = false;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };

  return (chunk) => {
    let text = chunk;
    if (skipLineFeed && text.startsWith('\n')) text = text.slice(1);
    skipLineFeed = false;
    pending += text;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i];
      if (c !== '\n' && c !== '\r') continue;
      line(pending.slice(start, i));
      if (c === '\r') {
        if (i + 1 === pending.length) skipLineFeed = true;
        else if (pending[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    pending = pending.slice(start);
  };
}
