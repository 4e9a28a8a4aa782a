import { z } from "zod";
import { Timestamp } from "./common";
import { WorkerJob } from "./operations";

export const ConsumerStats = z
  .object({
    stream: z.string(),
    name: z.string(),
    pending: z.number().int().nonnegative().describe("Messages not yet delivered to any worker."),
    ackPending: z.number().int().nonnegative().describe("Delivered, not yet acknowledged."),
    redelivered: z.number().int().nonnegative(),
  })
  .meta({ id: "ConsumerStats" });
export type ConsumerStats = z.infer<typeof ConsumerStats>;

/** The lifecycle a worker reports of itself. */
export const WorkerLifecycle = z.enum(["running", "stopping", "stopped"]);

/** The presence message a worker publishes on `og.v1.presence.worker.<id>`. */
export const WorkerHeartbeat = z.object({
  workerId: z.uuid(),
  hostname: z.string().max(255),
  pid: z.number().int().positive(),
  version: z.string().max(64),
  startedAt: Timestamp,
  beatAt: Timestamp,
  intervalMs: z.number().int().positive(),
  lifecycle: WorkerLifecycle,
  consumers: z.array(ConsumerStats),
  lastError: z.string().max(2000).nullable(),
  // Since issue #16; optional so an older worker's heartbeat still parses.
  jobs: z.array(WorkerJob).max(50).optional().describe("Its clock jobs (periodic passes)."),
  busy: z.array(z.string().max(100)).max(50).optional().describe("Jobs or lanes working now."),
  natsServer: z.string().max(300).nullable().optional(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;

/** What an operator reads: the lifecycle and the age of the last beat make the state. */
export const WorkerState = z.enum(["running", "stale", "stopped"]);
export type WorkerState = z.infer<typeof WorkerState>;

export const Worker = z
  .object({
    id: z.uuid(),
    hostname: z.string(),
    pid: z.number().int(),
    version: z.string(),
    state: WorkerState,
    startedAt: Timestamp,
    lastSeenAt: Timestamp.describe("When its last heartbeat was sent."),
    intervalMs: z.number().int(),
    consumers: z.array(ConsumerStats),
    lastError: z.string().nullable(),
  })
  .meta({ id: "Worker" });
export type Worker = z.infer<typeof Worker>;
