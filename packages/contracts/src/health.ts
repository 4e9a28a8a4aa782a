import { z } from "zod";
import { DependencyStatus, Timestamp } from "./common";

export const DependencyCheck = z.object({
  status: DependencyStatus,
  latencyMs: z
    .number()
    .nonnegative()
    .nullable()
    .describe("Round trip of the probe; null when it failed."),
  error: z.string().nullable().describe("Why the probe failed, without secrets; null when up."),
});
export type DependencyCheck = z.infer<typeof DependencyCheck>;

/** The answer of `/api/healthz` and of the `platform.getHealth` procedure. */
export const HealthReport = z.object({
  status: DependencyStatus.describe("up only when every dependency is up."),
  version: z.string(),
  checkedAt: Timestamp,
  db: DependencyCheck,
  nats: DependencyCheck,
});
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

export const PlatformStatus = z.object({
  checkedAt: Timestamp,
  version: z.string(),
  dependencies: z.array(DependencyState),
});
export type PlatformStatus = z.infer<typeof PlatformStatus>;
