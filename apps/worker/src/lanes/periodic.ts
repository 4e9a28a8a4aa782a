import { tracked, type JobBook } from "./jobs";
import type { LaneErrorHandler } from "./types";

export interface PeriodicLane {
  stop(): Promise<void>;
}

/**
 * A pass run every `everyMs` (the next one waits for the last to finish, so passes never overlap
 * in one process; across workers each pass takes its own advisory lock). A failed pass is
 * reported and retried on the next tick: nothing is acknowledged anywhere, the database is the
 * truth.
 */
export function startPeriodic({
  lane,
  everyMs,
  pass,
  onError,
  jobs,
}: {
  lane: string;
  everyMs: number;
  pass: () => Promise<unknown>;
  onError: LaneErrorHandler;
  /** Where each pass is noted for the heartbeat, as the job named `lane`. */
  jobs?: JobBook;
}): PeriodicLane {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    if (stopping) return;
    running = tracked(jobs, lane, everyMs, pass)
      .then(
        () => {},
        (error) => onError(lane, error, "pass"),
      )
      .then(() => {
        if (stopping) return;
        timer = setTimeout(loop, everyMs);
        // The next pass waits for this one: due a period after it ended.
        jobs?.nextAt(lane, Date.now() + everyMs);
      });
  };
  jobs?.declare(lane, everyMs);
  timer = setTimeout(loop, everyMs);
  return {
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
