import { z } from "zod";
import { Timestamp } from "./common";
import { HealthOwnerKind, HealthSummary, Verdict } from "./health-summary";
import { Severity } from "./template";

export { HealthOwnerKind, HealthSummary, Verdict };

/*
 * Estate health (DESIGN.md §8): the verdict of a component, system or location, written by the
 * transaction that changed it (ingest, acknowledge/resolve, the clock) and recorded as
 * transitions so "since when" is exact. Not the platform's own health (health.ts).
 */

const VerdictOf = Verdict;
const Fraction = z.number().min(0).max(1);

export const HealthCause = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("alarm"),
      alarmId: z.uuid(),
      rule: z.string(),
      severity: Severity,
      owner: z.string().describe("The path of what the alarm is about."),
      summary: z.string(),
    }),
    z.object({ kind: z.literal("not-monitored"), owner: z.string() }),
    z.object({
      kind: z.literal("collector-down"),
      owner: z.string(),
      node: z.string().describe("The node that polls it and stopped heartbeating."),
    }),
    z.object({ kind: z.literal("no-data"), owner: z.string() }),
    z.object({
      kind: z.literal("role"),
      owner: z.string(),
      role: z.string(),
      working: z.number().int(),
      installed: z.number().int(),
      quorum: z.number().int(),
      impact: z.enum(["outage", "degraded", "none"]),
      members: z.array(z.object({ path: z.string(), verdict: VerdictOf })),
    }),
    z.object({
      kind: z.literal("member"),
      owner: z.string(),
      path: z.string(),
      verdict: VerdictOf,
    }),
    z.object({
      kind: z.literal("child"),
      owner: z.string(),
      path: z.string(),
      verdict: VerdictOf,
      childKind: z
        .enum(["location", "system", "component"])
        .optional()
        .describe("What the child is (absent on causes recorded before it was named)."),
      childId: z.uuid().optional().describe("The child's id, with childKind."),
    }),
  ])
  .meta({
    id: "HealthCause",
    description: "One reason for a verdict; the leaves name the red one.",
  });
export type HealthCause = z.infer<typeof HealthCause>;

export const OwnerHealth = z
  .object({
    owner: z.object({ kind: HealthOwnerKind, id: z.uuid(), path: z.string() }),
    verdict: Verdict,
    since: Timestamp,
    explanation: z
      .string()
      .describe(
        'The sentence an operator reads: "outage: role displays 1 of 2 — display-left unreachable".',
      ),
    causes: z.array(HealthCause).describe("Why, worst first; empty when healthy."),
    leaves: z.array(HealthCause).describe("The red leaves under the causes."),
  })
  .meta({ id: "OwnerHealth" });
export type OwnerHealth = z.infer<typeof OwnerHealth>;

export const HealthTransition = z
  .object({
    at: Timestamp,
    verdict: Verdict,
    previous: Verdict.nullable().describe("null: the first verdict recorded."),
    explanation: z.string(),
  })
  .meta({ id: "HealthTransition" });
export type HealthTransition = z.infer<typeof HealthTransition>;

export const HealthHistory = z
  .object({
    transitions: z.array(HealthTransition).describe("Newest first, within [from, to]."),
    availability: z
      .object({
        from: Timestamp,
        to: Timestamp,
        byVerdict: z
          .object({
            healthy: Fraction,
            incomplete: Fraction,
            unknown: Fraction,
            degraded: Fraction,
            outage: Fraction,
          })
          .describe(
            "Fraction of the window spent in each verdict (the rest: before the first verdict).",
          ),
        available: z
          .number()
          .min(0)
          .max(1)
          .nullable()
          .describe(
            "healthy + degraded + incomplete over the time the verdict was known; null when it was never known in the window.",
          ),
      })
      .meta({ id: "Availability" }),
  })
  .meta({ id: "HealthHistory" });
export type HealthHistory = z.infer<typeof HealthHistory>;
