import { z } from 'zod';
import { type HttpRequest, type HttpResponse, RetryableHttpError } from '../http.js';
import { parseVismaError, VismaError } from './errors.js';

/**
 * Visma.net's background API, as a client follows it. Visma's OpenAPI says If-Match on the document endpoints
 * "can be checked against resource current version when calling with 'erp-api-background'": a write sent without
 * the header may overwrite a colleague's edit unseen, so every document write is sent with `erp-api-background:
 * none`. Visma then answers 202 `{id, stateLocation}` (BackgroundApiAcceptedDto) and carries the request out later;
 * `GET /v1/background/{id}` (BackgroundRequestStateDto) says when it finished and with which status code, and
 * `/content` holds its answer. A server that ignores the header answers the request itself: taken as it is.
 *
 * The state's status words are not documented: a job is finished when it has `finishedUtc` or a status code, or
 * a status that says so; it failed when that status code is 400 or more (its content or `errorMessage` says why).
 */
export const backgroundAcceptedSchema = z.looseObject({ id: z.string().min(1), stateLocation: z.string().optional() });

export const backgroundStateSchema = z.looseObject({
  id: z.string().optional(),
  status: z.string().nullable().optional(),
  statusCode: z.number().nullable().optional(),
  finishedUtc: z.string().nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  hasResponseContent: z.boolean().nullable().optional(),
  responseHeaders: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type BackgroundState = z.infer<typeof backgroundStateSchema>;

/** The answer of an action (`action/release`): ReleaseInvoiceActionResultDto in the legacy Swagger. */
export const actionResultSchema = z.looseObject({
  actionId: z.string().nullable().optional(),
  actionResult: z.string().nullable().optional(),
  errorInfo: z.string().nullable().optional(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

export const BACKGROUND_HEADER = { 'erp-api-background': 'none' } as const;

/** How long a client waits between two looks at something Visma carries out in the background (ms). */
export const DEFAULT_POLL_DELAYS_MS = [0, 250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];

const FINISHED = /^(succeeded|success|completed|complete|finished|done|failed|failure|error|cancelled|canceled)$/i;

export function finished(state: BackgroundState): boolean {
  return Boolean(state.finishedUtc) || typeof state.statusCode === 'number' || FINISHED.test(state.status ?? '');
}

export interface Follow {
  /** One authenticated call (the client's, with its token and error handling). */
  call: (req: HttpRequest, what: string) => Promise<HttpResponse>;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  delays: readonly number[];
}

/**
 * Sends a write in the background and answers as the request itself would have: the job's status code, its
 * content as the body, its ETag. An error status becomes the VismaError the request would have thrown. A job not
 * finished after the last look is retryable: it may still run, and the next run reads the document again.
 */
export async function inBackground(f: Follow, req: HttpRequest, what: string): Promise<HttpResponse> {
  const res = await f.call({ ...req, headers: { ...req.headers, ...BACKGROUND_HEADER } }, what);
  if (res.status !== 202) return res;
  const accepted = backgroundAcceptedSchema.safeParse(res.body);
  if (!accepted.success)
    throw new VismaError('unexpected', 202, `Visma.net accepted ${what} in the background without saying which job`);
  const id = encodeURIComponent(accepted.data.id);
  for (const delay of f.delays) {
    if (delay > 0) await f.sleep(delay, req.signal);
    const polled = await f.call(
      { method: 'GET', path: `/v1/background/${id}`, signal: req.signal },
      `the state of ${what}`,
    );
    const parsed = backgroundStateSchema.safeParse(polled.body);
    if (!parsed.success)
      throw new VismaError('unexpected', polled.status, `Visma.net sent an unreadable state of ${what}`);
    const state = parsed.data;
    if (!finished(state)) continue;
    const status = state.statusCode ?? (/fail|error/i.test(state.status ?? '') ? 500 : 200);
    const body = state.hasResponseContent
      ? (
          await f.call(
            { method: 'GET', path: `/v1/background/${id}/content`, signal: req.signal },
            `the answer to ${what}`,
          )
        ).body
      : undefined;
    if (status >= 400)
      throw parseVismaError(
        status,
        body ?? (state.errorMessage ? { Message: state.errorMessage } : undefined),
        state.errorMessage ?? '',
      );
    return { status, headers: etagOf(state), body, text: body === undefined ? '' : JSON.stringify(body) };
  }
  throw new RetryableHttpError(
    `Visma.net accepted ${what} in the background but had not carried it out after ${f.delays.length} checks; the next run reads the document again`,
    'Visma.net',
    202,
    f.delays.length,
  );
}

function etagOf(state: BackgroundState): Record<string, string> {
  const raw = Object.entries(state.responseHeaders ?? {}).find(([k]) => k.toLowerCase() === 'etag')?.[1];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? { etag: value } : {};
}
