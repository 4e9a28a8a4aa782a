import { z } from "zod";
import { DependencyStatus, Timestamp } from "./common";

export const DependencyCheck = z
  .object({
    status: DependencyStatus,
    latencyMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe("Round trip of the probe; null when it failed."),
    error: z.string().nullable().describe("Why the probe failed, without secrets; null when up."),
  })
  .meta({ id: "DependencyCheck" });
export type DependencyCheck = z.infer<typeof DependencyCheck>;

/** The answer of `/api/healthz` and of the `platform.getHealth` procedure. */
export const HealthReport = z
  .object({
    status: DependencyStatus.describe("up only when every dependency is up."),
    version: z.string(),
    checkedAt: Timestamp,
    db: DependencyCheck,
    nats: DependencyCheck,
  })
  .meta({ id: "HealthReport" });
export type HealthReport = z.infer<typeof HealthReport>;

export const DependencyName = z.enum(["database", "nats"]);
export type DependencyName = z.infer<typeof DependencyName>;

/** A dependency as the status page shows it: the live probe plus what this web process has seen. */
export const DependencyState = DependencyCheck.extend({
  name: DependencyName,
  source: z.string().describe("What was asked, e.g. `SELECT 1 on the primary pool`."),
  checkedAt: Timestamp,
  lastUpAt: Timestamp.nullable().describe("The last successful probe seen by this web process."),
  since: Timestamp.nullable().describe(
    "When the current status began, as far as this web process has seen.",
  ),
});
export type DependencyState = z.infer<typeof DependencyState>;

/** One process `npm start`'s supervisor runs, as it last wrote it down. */
export const SupervisedProcess = z
  .object({
    name: z.string().describe("`postgres`, `nats-server`, `web`, `worker`, `simulator` or `node`."),
    state: z.enum(["starting", "running", "restarting", "failed", "stopped"]),
    pid: z.number().int().nullable(),
    startedAt: Timestamp.nullable().describe("When the current run began."),
    restarts: z.number().int().nonnegative().describe("Restarts since `npm start` began."),
    lastExit: z
      .object({
        reason: z.string().describe("e.g. `killed by SIGKILL`, `exit code 1`."),
        at: Timestamp,
      })
      .nullable(),
    gaveUp: z
      .string()
      .nullable()
      .describe("Why the supervisor stopped restarting it; null while it tries."),
    metricsUrl: z.string().nullable().describe("Its Prometheus endpoint on loopback, if any."),
    figures: z
      .record(z.string(), z.number())
      .nullable()
      .describe("A few of its metrics (summed over labels), read by the supervisor every 5 s."),
  })
  .meta({ id: "SupervisedProcess" });
export type SupervisedProcess = z.infer<typeof SupervisedProcess>;

export const SupervisorReport = z
  .object({
    pid: z.number().int(),
    updatedAt: Timestamp,
    processes: z.array(SupervisedProcess),
  })
  .meta({ id: "SupervisorReport" });
export type SupervisorReport = z.infer<typeof SupervisorReport>;

export const PlatformStatus = z
  .object({
    checkedAt: Timestamp,
    version: z.string(),
    dependencies: z.array(DependencyState),
    supervisor: SupervisorReport.nullable().describe(
      "The processes `npm start` supervises (restarts, last exit, a few metrics); null when the answering web process does not run under it.",
    ),
  })
  .meta({ id: "PlatformStatus" });
export type PlatformStatus = z.infer<typeof PlatformStatus>;
