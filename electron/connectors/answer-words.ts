import type { ZodError } from 'zod';

/**
 * Turns what a service sent, when it is not what its API promises, into words a finance user can pass on:
 * an HTML page is named by its title (never shown as markup), a cut-off JSON is called that, and a schema
 * problem says which field is missing or of the wrong kind (never "received undefined").
 */

/** An HTML page (a proxy's, a login page, a maintenance notice) rather than the service's own answer. */
export function isHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml)/i.test(text) || /<\/(html|body|div|p|h1|title)>/i.test(text);
}

/** The words of an HTML page: its title, else its text without the markup; at most `max` characters. */
export function htmlWords(text: string, max = 200): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
  const words = (title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' '))
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return words.length > max ? `${words.slice(0, max)}…` : words;
}

/** A plain-text or HTML error body, ready to stand in a message. */
export function bodyWords(text: string, max = 300): string {
  if (isHtml(text)) {
    const words = htmlWords(text, max);
    return words ? `an HTML page (“${words}”)` : 'an HTML page';
  }
  const plain = text.replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

/**
 * What a 200 carried instead of JSON, for `<service> sent … instead of <what>`: never its content beyond an
 * HTML page's title (a body may repeat what we sent).
 */
export function notJsonWords(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return 'an empty answer';
  if (isHtml(text)) return 'an HTML page';
  return 'an answer that is not JSON (cut off or garbled)';
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  undefined: 'nothing',
};

/** Zod issues in words: "amount should be a number, not text; documentDate is missing". */
export function describeIssues(issues: readonly ZodError['issues'][number][], max = 3): string {
  const parts = issues.slice(0, max).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the answer';
    const m = /expected (\w+), received (\w+)/.exec(issue.message);
    if (issue.code === 'invalid_type' && m) {
      if (m[2] === 'undefined') return `${where} is missing`;
      return `${where} should be ${KINDS[m[1]!] ?? m[1]}, not ${KINDS[m[2]!] ?? m[2]}`;
    }
    return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return `${parts.join('; ')}${more}`;
}
