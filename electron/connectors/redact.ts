/**
 * Secrets must never reach a log line, an audit entry, an error message or a CSV. Every text that leaves a
 * connector passes through a Redactor that knows the secrets in play (and their Base64 / URL-encoded forms).
 */
export class Redactor {
  private readonly needles = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    this.needles.add(secret);
    this.needles.add(encodeURIComponent(secret));
    this.needles.add(Buffer.from(secret, 'utf8').toString('base64'));
  }

  /** Adds the Basic credential pair, whose Base64 form does not contain the parts' own Base64. */
  addBasic(user: string, password: string): void {
    this.add(password);
    this.needles.add(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    for (const needle of [...this.needles].sort((a, b) => b.length - a.length)) {
      if (needle.length >= 4) out = out.split(needle).join('[redacted]');
    }
    return out
      .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1$2 [redacted]')
      .replace(/(client_secret=)[^&\s]+/gi, '$1[redacted]')
      .replace(/("access_token"\s*:\s*")[^"]+/gi, '$1[redacted]');
  }
}

const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = SENSITIVE_HEADERS.has(k.toLowerCase()) ? '[redacted]' : String(v);
  }
  return out;
}
