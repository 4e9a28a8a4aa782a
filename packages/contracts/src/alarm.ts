import { z } from "zod";
import { ListInput, Timestamp } from "./common";
import { Ref } from "./location";
import { Severity } from "./template";
import { HealthOwnerKind, Verdict } from "./verdict";

/*
 * Alarms (DESIGN.md §8): the incident a rule's fire opens. Lifecycle, acknowledgement and
 * flapping are separate facts, never one status field.
 */

export const AlarmLifecycle = z
  .enum(["open", "resolved"])
  .describe(
    "open: the condition holds (or nobody resolved it yet); resolved: cleared or resolved by someone.",
  );

export const AlarmOwner = z
  .object({
    kind: z.enum(["component", "system", "location", "node", "endpoint"]),
    id: z.uuid(),
    path: z.string().describe("Its dotted path (a node or a webhook endpoint: its name)."),
  })
  .meta({ id: "AlarmOwner", description: "What the alarm is about: exactly one owner." });

export const AlarmAcknowledgement = z
  .object({
    by: z.uuid().nullable().describe("The principal who acknowledged (null if since deleted)."),
    byName: z.string().nullable(),
    at: Timestamp,
    comment: z.string(),
    expiresAt: Timestamp.nullable().describe("When the acknowledgement lapses; null: never."),
  })
  .meta({ id: "AlarmAcknowledgement" });

export const SuppressionWindow = z
  .object({ id: z.uuid(), name: z.string(), label: z.string().nullable() })
  .meta({ id: "SuppressionWindow", description: "A maintenance window in force." });

export const SuppressionSilence = z
  .object({ id: z.uuid(), reason: z.string(), author: z.string(), expiresAt: Timestamp })
  .meta({ id: "SuppressionSilence", description: "A silence whose matchers match the alarm." });

export const DependencyLink = z
  .object({
    via: z.enum(["template", "poller"]),
    from: z.string().describe("The dependent's path."),
    to: z.string().describe("What it depends on: a component's path or a node's name."),
    reason: z.string(),
    system: z.string().nullable().describe("template links: the system both are members of."),
    role: z.string().nullable(),
  })
  .meta({ id: "DependencyLink", description: "One link of the chain from an alarm to its root." });

export const SuppressionRoot = z
  .object({
    alarmId: z.uuid(),
    owner: z.object({ kind: z.enum(["component", "node"]), path: z.string() }),
    rule: z.string().describe("The root alarm's rule name."),
    links: z.array(DependencyLink).describe("The chain from this alarm's owner to the root's."),
  })
  .meta({ id: "SuppressionRoot", description: "The open alarm this one depends on." });

export const Suppression = z
  .object({
    since: Timestamp.describe("Since when its notifications are held."),
    windows: z.array(SuppressionWindow),
    silences: z.array(SuppressionSilence),
    root: SuppressionRoot.nullable(),
  })
  .meta({
    id: "Suppression",
    description:
      "Why an open alarm does not notify: the maintenance windows, silences and the root alarm in force (at least one).",
  });
export type Suppression = z.infer<typeof Suppression>;

export const Alarm = z
  .object({
    id: z.uuid(),
    rule: z.object({
      id: z.uuid(),
      name: z.string(),
      origin: z.enum(["custom", "template", "builtin"]),
    }),
    owner: AlarmOwner,
    instance: z.string().describe("The signal instance (a port, a channel); empty for none."),
    severity: Severity,
    summary: z.string(),
    lifecycle: AlarmLifecycle,
    openedAt: Timestamp.describe("When it fired (a sustained rule: when its period ended)."),
    resolvedAt: Timestamp.nullable(),
    resolvedBy: z
      .uuid()
      .nullable()
      .describe("Who resolved it; null with resolvedAt set: the clear sample did."),
    resolveReason: z.string().nullable(),
    acknowledgement: AlarmAcknowledgement.nullable().describe(
      "Someone owns it; independent of the lifecycle (it survives a flap of the same episode).",
    ),
    flapping: z.boolean(),
    transitions: z.number().int().describe("Open/resolve transitions of this alarm."),
    firedValue: z.unknown().describe("The values the rule read when it fired."),
    firedSampleAt: Timestamp.nullable().describe("The time of the sample that fired it."),
    suppression: Suppression.nullable().describe(
      "Held from notifying, and why; null: it notifies. Suppression never hides an alarm.",
    ),
    version: z.number().int(),
  })
  .meta({ id: "Alarm" });
export type Alarm = z.infer<typeof Alarm>;

export const AlarmEvent = z
  .object({
    seq: z.number().int(),
    kind: z.enum([
      "fired",
      "acknowledged",
      "unacknowledged",
      "flapping",
      "resolved",
      "reopened",
      "suppressed",
      "unsuppressed",
    ]),
    at: Timestamp,
    by: z.uuid().nullable().describe("Who did it; null for the rule (a sample) or the clock."),
    byName: z
      .string()
      .nullable()
      .describe(
        "The name of who did it; null for the rule, the clock or a since-deleted principal.",
      ),
    value: z
      .unknown()
      .describe(
        "fired, reopened, resolved by a sample: the values the rule read; suppressed: the Suppression; unsuppressed: null.",
      ),
    sampleAt: Timestamp.nullable(),
    comment: z.string().nullable(),
  })
  .meta({ id: "AlarmEvent" });

export const AlarmDetail = Alarm.extend({ timeline: z.array(AlarmEvent) }).meta({
  id: "AlarmDetail",
});
export type AlarmDetail = z.infer<typeof AlarmDetail>;

const Bool = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

export const ListAlarmsInput = ListInput.extend({
  state: AlarmLifecycle.optional().describe("open or resolved."),
  owner: Ref.optional().describe(
    "A component, system, location or node (id, name or path): a location includes what is placed in or below it (nodes too), a system its members.",
  ),
  severity: Severity.optional(),
  acknowledged: Bool.describe("true: acknowledged (and not lapsed); false: not."),
  flapping: Bool,
  suppressed: Bool.describe(
    "true: open alarms held from notifying (the suppressed lane); false: not.",
  ),
  rule: Ref.optional().describe("A rule's id or name."),
  resolvedSince: Timestamp.optional().describe(
    "Only alarms resolved at or after this instant (e.g. the last 24 hours of resolutions).",
  ),
  order_by: z
    .enum(["-openedAt", "-resolvedAt"])
    .default("-openedAt")
    .describe(
      "Newest first by when they fired (default) or by when they were resolved; `-resolvedAt` lists resolved alarms only.",
    ),
});
export type ListAlarmsInput = z.infer<typeof ListAlarmsInput>;

export const AcknowledgeAlarmInput = z.object({
  id: z.uuid(),
  comment: z.string().trim().min(1).max(2000).describe("What is being done, for the next person."),
  expiresInMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .optional()
    .describe("Lapse after this many minutes (at most 30 days); omitted: until resolved."),
});
export type AcknowledgeAlarmInput = z.infer<typeof AcknowledgeAlarmInput>;

export const AcknowledgeAlarmsInput = z
  .object({
    ids: z.array(z.uuid()).min(1).max(1000).describe("Up to 1,000 alarms: all or none."),
    comment: AcknowledgeAlarmInput.shape.comment,
    expiresInMinutes: AcknowledgeAlarmInput.shape.expiresInMinutes,
  })
  .meta({
    id: "AcknowledgeAlarmsInput",
    examples: [
      { ids: ["0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d"], comment: "On it: replacing the PSU" },
    ],
  });
export type AcknowledgeAlarmsInput = z.infer<typeof AcknowledgeAlarmsInput>;

export const ResolveAlarmInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(1).max(2000).describe("Why it is resolved by hand."),
});
export type ResolveAlarmInput = z.infer<typeof ResolveAlarmInput>;

/*
 * Live notifications (core NATS, relayed to the console over SSE by /api/live/alarms). Published
 * after the commit that made the change; fire and forget: the database is the truth, and a page
 * that missed one (or reconnects) reads again.
 */

export const AlarmChangeKind = z
  .enum(["opened", "reopened", "resolved", "acknowledged", "unacknowledged", "flapping"])
  .describe("What happened to the alarm in the commit that published this.");
export type AlarmChangeKind = z.infer<typeof AlarmChangeKind>;

/** Published on `og.v1.live.alarms` after a commit changed an alarm. */
export const AlarmsChanged = z
  .object({
    alarmId: z.uuid(),
    kind: AlarmChangeKind,
    owner: z.object({ kind: AlarmOwner.shape.kind, id: z.uuid() }),
    severity: Severity.nullable().describe(
      "The alarm's severity; null when the writer did not read it (the page reads the alarm).",
    ),
    at: Timestamp,
  })
  .meta({ id: "AlarmsChanged" });
export type AlarmsChanged = z.infer<typeof AlarmsChanged>;

/** Published on `og.v1.live.health.<ownerId>` after a commit changed an owner's verdict. */
export const HealthChanged = z
  .object({
    ownerKind: HealthOwnerKind,
    ownerId: z.uuid(),
    verdict: Verdict,
    previous: Verdict.nullable().describe("The verdict before; null: the first one recorded."),
    at: Timestamp.describe("When the new verdict began (its transition's time)."),
  })
  .meta({ id: "HealthChanged" });
export type HealthChanged = z.infer<typeof HealthChanged>;
