import { randomUUID } from 'node:crypto';
import { json, type SandboxReply, type SandboxRequest } from './http-kit.js';
import { ippError, notFound } from './visma-http.js';
import { vismaDateTime } from './visma-state.js';

/**
 * Visma.net's background API (`erp-api-background` header; Pionect/visma-php-sdk `BackgroundApiAcceptedDto`,
 * `BackgroundRequestStateDto`, `GET /v1/background/{id}` and `/content`): a write sent with the header is answered
 * 202 `{id, stateLocation}` and carried out later; the state says when it finished, with which status code, and
 * whether it has content (the answer it would have given). Visma's spec: on the document endpoints, If-Match "can
 * be checked against resource current version when calling with 'erp-api-background'" — the job checks it when
 * it runs, so an edit made after the request was accepted is still caught (412 in the job's state).
 *
 * Open details, chosen strictly: the header takes `none` or `subscription[:…]` (a URL was deprecated on
 * 2025-04-30 and is refused); by default a job runs only when its state is read (`pollsBeforeRun` reads), never
 * by itself, so a client that takes the 202 for done sees nothing happen (`runs` offers the other answer: jobs
 * that run on their own); status words are Queued, Succeeded, Failed.
 */
export interface BackgroundJob {
  id: string;
  method: string;
  originalUri: string;
  receivedUtc: string;
  startedUtc?: string;
  finishedUtc?: string;
  status: 'Queued' | 'Succeeded' | 'Failed';
  statusCode?: number;
  reply?: SandboxReply;
  reads: number;
  run: () => SandboxReply | Promise<SandboxReply>;
}

export class BackgroundQueue {
  readonly jobs: BackgroundJob[] = [];
  /** Reads of a job's state before it runs: 1 runs it at the first read. */
  pollsBeforeRun = 1;
  /** Called just before a job runs (a test edits the document here, as a colleague would meanwhile). */
  onRun?: (job: BackgroundJob) => void;
  /**
   * When a job runs. 'when-read' (the stricter default): only when its state is read, so a client that takes the
   * 202 for done sees nothing happen. 'on-its-own': as Visma's background worker may, a queued job runs before
   * the next request the sandbox answers, read or not: a client killed after the 202 does not stop it, and what
   * it finds at its restart is already done.
   */
  runs: 'when-read' | 'on-its-own' = 'when-read';

  constructor(
    private readonly now: () => number,
    private readonly base: () => string,
  ) {}

  /** The header's value, checked: undefined when the request is not a background one, a reply when refused. */
  static mode(r: SandboxRequest): { background: boolean; refused?: SandboxReply } {
    const raw = r.headers['erp-api-background'];
    if (raw === undefined) return { background: false };
    const value = String(raw).trim();
    if (/^none$/i.test(value) || /^subscription(:.*)?$/i.test(value)) return { background: true };
    return {
      background: true,
      refused: ippError(
        400,
        `Error: erp-api-background '${value}' is not supported: use 'none' or 'subscription' (a callback URL is deprecated since 2025-04-30)`,
        '10030',
      ),
    };
  }

  accept(r: SandboxRequest, run: BackgroundJob['run']): SandboxReply {
    const id = randomUUID();
    const query = r.query.toString();
    this.jobs.push({
      id,
      method: r.method,
      originalUri: `${r.path}${query ? `?${query}` : ''}`,
      receivedUtc: vismaDateTime(this.now()),
      status: 'Queued',
      reads: 0,
      run,
    });
    return json(202, { id, stateLocation: `${this.base()}/v1/background/${id}` });
  }

  /** `GET /v1/background/{id}`: the job's state, after running it when its turn has come. */
  async state(r: SandboxRequest): Promise<SandboxReply> {
    const job = this.jobs.find((j) => j.id === r.params[0]);
    if (!job) return notFound('Background request', r.params[0]!);
    job.reads++;
    if (job.status === 'Queued' && job.reads >= this.pollsBeforeRun) await this.runJob(job);
    const content = job.reply?.body !== undefined;
    return json(200, {
      id: job.id,
      status: job.status,
      ...(job.statusCode === undefined ? {} : { statusCode: job.statusCode }),
      receivedUtc: job.receivedUtc,
      ...(job.startedUtc ? { startedUtc: job.startedUtc } : {}),
      ...(job.finishedUtc ? { finishedUtc: job.finishedUtc } : {}),
      ...(job.status === 'Failed' ? { errorMessage: errorText(job.reply?.body) } : {}),
      originalUri: job.originalUri,
      hasRequestContent: job.method !== 'DELETE',
      hasResponseContent: content,
      ...(content ? { contentLocation: `${this.base()}/v1/background/${job.id}/content` } : {}),
      ...(job.reply?.headers?.etag ? { responseHeaders: { ETag: [job.reply.headers.etag] } } : {}),
    });
  }

  /** `GET /v1/background/{id}/content`: the answer the request gave, once it ran and if it had one. */
  content(r: SandboxRequest): SandboxReply {
    const job = this.jobs.find((j) => j.id === r.params[0]);
    if (!job || job.reply?.body === undefined) return notFound('Background response content', r.params[0]!);
    return json(200, job.reply.body);
  }

  /** With 'on-its-own': every job still queued runs now, in the order it was accepted. */
  async catchUp(): Promise<void> {
    if (this.runs !== 'on-its-own') return;
    for (const job of this.jobs) if (job.status === 'Queued') await this.runJob(job);
  }

  private async runJob(job: BackgroundJob): Promise<void> {
    this.onRun?.(job);
    job.startedUtc = vismaDateTime(this.now());
    const reply = await job.run();
    job.reply = reply;
    job.statusCode = reply.status;
    job.status = reply.status < 400 ? 'Succeeded' : 'Failed';
    job.finishedUtc = vismaDateTime(this.now());
  }
}

function errorText(body: unknown): string {
  if (body && typeof body === 'object' && 'ExceptionMessage' in body)
    return String((body as { ExceptionMessage: unknown }).ExceptionMessage);
  return typeof body === 'string' ? body : 'The request failed';
}
