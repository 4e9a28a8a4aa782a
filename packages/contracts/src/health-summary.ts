import { z } from "zod";
import { Timestamp } from "./common";

/*
 * The verdict and the short form every estate row carries, apart from verdict.ts so the estate
 * contracts (location, system, component) can import them without a cycle through template.ts.
 */

export const Verdict = z
  .enum(["healthy", "incomplete", "unknown", "degraded", "outage"])
  .describe(
    "Ranked healthy < incomplete < unknown < degraded < outage. incomplete: a role short only because nothing was installed in it yet; unknown: no current data, its collector is down, or not monitored.",
  )
  .meta({ id: "Verdict" });
export type Verdict = z.infer<typeof Verdict>;

export const HealthOwnerKind = z.enum(["component", "system", "location"]);
export type HealthOwnerKind = z.infer<typeof HealthOwnerKind>;

/** The short form every list row carries. */
export const HealthSummary = z
  .object({
    verdict: Verdict,
    since: Timestamp.describe("When the owner entered this verdict (its last transition)."),
  })
  .meta({ id: "HealthSummary" });
export type HealthSummary = z.infer<typeof HealthSummary>;
