import type { WorkerJob } from "@omniglass/contracts";

interface JobState {
  everyMs: number;
  runningSince: number | null;
  lastRunAt: number | null;
  lastResult: "ok" | "error" | null;
  lastError: string | null;
  lastSuccessAt: number | null;
  consecutiveFailures: number;
  nextRunAt: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The worker's clock jobs as its heartbeat reports them (issue #16): each periodic pass (the
 * clock's stale, sustain, collectors and suppression passes, partitions, retention, the storm
 * and endpoint passes, the registry prune) runs through `run`, which notes when it started,
 * how it ended and when it is due next. Nothing here changes what a pass does or when.
 */
export class JobBook {
  private readonly jobs = new Map<string, JobState>();

  /** A job this worker runs every `everyMs`, first due at `firstAt` (default: a period from now). */
  declare(name: string, everyMs: number, firstAt = Date.now() + everyMs): void {
    if (this.jobs.has(name)) return;
    this.jobs.set(name, {
      everyMs,
      runningSince: null,
      lastRunAt: null,
      lastResult: null,
      lastError: null,
      lastSuccessAt: null,
      consecutiveFailures: 0,
      nextRunAt: firstAt,
    });
  }

  /** Runs one pass of `name`, recording it; rethrows the pass's error (the caller reports it). */
  async run<T>(name: string, everyMs: number, pass: () => Promise<T>): Promise<T> {
    this.declare(name, everyMs);
    const job = this.jobs.get(name)!;
    const started = Date.now();
    job.runningSince = started;
    try {
      const result = await pass();
      job.lastResult = "ok";
      job.lastError = null;
      job.consecutiveFailures = 0;
      job.lastSuccessAt = Date.now();
      return result;
    } catch (error) {
      job.lastResult = "error";
      job.lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      job.consecutiveFailures += 1;
      throw error;
    } finally {
      job.runningSince = null;
      job.lastRunAt = Date.now();
      job.nextRunAt = started + everyMs;
    }
  }

  /** Moves a job's next due time (a pass that waits for the previous to finish). */
  nextAt(name: string, at: number): void {
    const job = this.jobs.get(name);
    if (job) job.nextRunAt = at;
  }

  list(): WorkerJob[] {
    return [...this.jobs].map(([name, j]) => ({
      name,
      everyMs: j.everyMs,
      lastRunAt: iso(j.lastRunAt),
      lastResult: j.lastResult,
      lastError: j.lastError,
      lastSuccessAt: iso(j.lastSuccessAt),
      consecutiveFailures: j.consecutiveFailures,
      nextRunAt: iso(j.nextRunAt),
      runningSince: iso(j.runningSince),
    }));
  }

  /** The jobs running now. */
  busy(): string[] {
    return [...this.jobs].filter(([, j]) => j.runningSince !== null).map(([name]) => name);
  }
}

/** `book.run` when there is a book, else just the pass (tests calling lanes directly). */
export function tracked<T>(
  book: JobBook | undefined,
  name: string,
  everyMs: number,
  pass: () => Promise<T>,
): Promise<T> {
  return book ? book.run(name, everyMs, pass) : pass();
}
