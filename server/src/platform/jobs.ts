import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound } from './errors.js';
import { type App, actorOf, errorResponses } from './http.js';

/** A row-level problem found by a long job such as an import: spreadsheet row, column and message. */
export const JobProblem = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export type JobProblem = z.infer<typeof JobProblem>;

export const Job = z
  .object({
    id: z.string(),
    kind: z.string(),
    state: z.enum(['running', 'succeeded', 'failed']),
    phase: z.string().describe('what the job is doing now, e.g. reading, validating, writing'),
    total: z.number().int(),
    processed: z.number().int(),
    problems: z.array(JobProblem),
    message: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

/** The handle a job's work uses to report progress. */
export type JobProgress = {
  phase(name: string, total?: number): void;
  advance(count?: number): void;
};

const KEEP_FINISHED_MS = 60 * 60_000;

/**
 * Long work (imports, reports) runs as a job the UI polls for progress. Jobs live in the process
 * that runs them: their outcome (the written records, the audit rows) is in the database, only the
 * progress display is lost if the process stops.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, { ownerId: string; job: Job; finishedAt?: number }>();

  /** Starts `work` in the background and returns the job at once. */
  start(
    ownerId: string,
    kind: string,
    work: (
      progress: JobProgress,
    ) => Promise<{ result?: Record<string, unknown>; problems?: JobProblem[]; message?: string; failed?: boolean }>,
  ): Job {
    this.sweep();
    const job: Job = {
      id: randomUUID(),
      kind,
      state: 'running',
      phase: 'queued',
      total: 0,
      processed: 0,
      problems: [],
      message: null,
      result: null,
    };
    const entry: { ownerId: string; job: Job; finishedAt?: number } = { ownerId, job };
    this.jobs.set(job.id, entry);
    const progress: JobProgress = {
      phase(name, total) {
        job.phase = name;
        if (total !== undefined) {
          job.total = total;
          job.processed = 0;
        }
      },
      advance(count = 1) {
        job.processed = Math.min(job.total, job.processed + count);
      },
    };
    void work(progress)
      .then((outcome) => {
        job.state = outcome.failed ? 'failed' : 'succeeded';
        job.problems = outcome.problems ?? [];
        job.result = outcome.result ?? null;
        job.message = outcome.message ?? null;
      })
      .catch((error: unknown) => {
        job.state = 'failed';
        job.message = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        job.phase = 'done';
        entry.finishedAt = Date.now();
      });
    return { ...job };
  }

  /** A job of its owner; anyone else's job is unknown. */
  get(ownerId: string, id: string): Job {
    const entry = this.jobs.get(id);
    if (!entry || entry.ownerId !== ownerId) throw notFound('Job');
    return { ...entry.job };
  }

  /** Waits until a job has finished (used by tests and the CLI). */
  async settled(ownerId: string, id: string): Promise<Job> {
    for (;;) {
      const job = this.get(ownerId, id);
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private sweep() {
    const now = Date.now();
    for (const [id, entry] of this.jobs) if (entry.finishedAt && now - entry.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id);
  }
}

export function registerJobRoutes(app: App, { jobs }: { jobs: JobRegistry }) {
  app.get('/api/jobs/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getJob',
      tags: ['jobs'],
      summary: 'Progress and outcome of a long job the caller started',
      params: z.object({ id: z.string().uuid() }),
      response: { 200: Job, ...errorResponses },
    },
    handler: (request) => jobs.get(actorOf(request).userId, request.params.id),
  });
}
