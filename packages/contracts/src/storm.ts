import { z } from "zod";
import { Alarm, AlarmOwner } from "./alarm";
import { WebhookPayload } from "./act";
import { Timestamp } from "./common";
import { Severity } from "./template";

/*
 * Storms (issue #14): when one root alarm takes many dependents down, the dependents are
 * suppressed by it (they do not page) and each endpoint that received the root's transition gets
 * ONE grouped summary per system or location of the dependents, `alarm.storm`, instead of one
 * message per dependent. Sent through the same delivery lane (signed, retried, logged).
 */

export const StormDependent = z
  .object({
    id: z.uuid().describe("The dependent alarm."),
    owner: AlarmOwner,
    rule: z.object({ id: z.uuid(), name: z.string() }),
    severity: Severity,
    summary: z.string(),
    openedAt: Timestamp,
  })
  .meta({ id: "StormDependent", description: "One alarm held behind the root." });
export type StormDependent = z.infer<typeof StormDependent>;

export const StormGroup = z
  .object({
    kind: z
      .enum(["system", "location"])
      .describe("system: the dependents' primary system; location: where they are placed."),
    id: z.uuid(),
    path: z.string(),
  })
  .meta({ id: "StormGroup" });

/** The JSON body of an `alarm.storm` webhook (Standard Webhooks' `{ type, timestamp, data }`). */
export const WebhookStormPayload = z
  .object({
    type: z.literal("alarm.storm"),
    timestamp: Timestamp.describe("When this summary was made."),
    data: z.object({
      summary: z
        .string()
        .describe(
          'For people, e.g. "30 alarms in hq.north.r1.av behind hq.north.access-switch (critical: device-unreachable)".',
        ),
      root: Alarm.describe("The root alarm's full state when the summary was made."),
      group: StormGroup,
      count: z
        .number()
        .int()
        .describe("Open alarms of this group suppressed by the root, when the summary was made."),
      previousCount: z
        .number()
        .int()
        .nullable()
        .describe(
          "null: the first summary of this group; a number: an update (more dependents since), the count the last summary said.",
        ),
      total: z.number().int().describe("Open alarms suppressed by the root, all groups together."),
      dependents: z
        .array(StormDependent)
        .describe("The group's first dependents (oldest first, at most 20); count says how many."),
    }),
  })
  .meta({ id: "WebhookStormPayload" });
export type WebhookStormPayload = z.infer<typeof WebhookStormPayload>;

/**
 * The JSON Schemas of the two webhook bodies (draft 2020-12, what is sent), as
 * docs/reference/webhooks.md prints them; a unit test keeps the document equal to them
 * (`pnpm exec tsx tooling/scripts/gen-webhook-reference.ts` rewrites its generated part).
 */
export function webhookJsonSchemas(): Record<"WebhookPayload" | "WebhookStormPayload", object> {
  const schema = (contract: z.ZodType) =>
    z.toJSONSchema(contract, { target: "draft-2020-12", io: "output", unrepresentable: "throw" });
  return {
    WebhookPayload: schema(WebhookPayload),
    WebhookStormPayload: schema(WebhookStormPayload),
  };
}
