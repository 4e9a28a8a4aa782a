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
    byStatus: z
      .enum(["active", "disabled", "deleted"])
      .describe(
        "Whether the principal who acknowledged can still act: disabled or deleted since means nobody may be working on it (the queue says so).",
      ),
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
  .enum([
    "opened",
    "reopened",
    "resolved",
    "acknowledged",
    "unacknowledged",
    "flapping",
    "suppressed",
    "unsuppressed",
  ])
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

/*
 * Why did (or didn't) an alarm notify (issue #14 item 4): the rule, the suppression in force and
 * its history, and for every transition of its timeline the action rules matched and the
 * deliveries made. Action rules and endpoints are named only where the caller holds `action:read`;
 * the others are counted, never named (fail closed).
 */

export const WhyActionRuleMiss = z
  .enum(["disabled", "severity", "rule", "kind", "suppressed", "acknowledged", "scope"])
  .describe(
    "The first matcher that did not match: disabled (the action rule is off), severity, rule (its event rules), kind (its transition kinds), suppressed (the transition was held and the rule wants unsuppressed ones — the default — or the reverse), acknowledged, scope (location, system or template).",
  );

export const WhyActionRule = z
  .object({
    id: z.uuid(),
    name: z.string(),
    matched: z.boolean(),
    why: WhyActionRuleMiss.nullable().describe("Why it did not match; null when it matched."),
    changedSince: z
      .boolean()
      .describe(
        "The action rule was created or changed after this transition: today's answer may differ from what routing decided then (the deliveries are what happened).",
      ),
  })
  .meta({
    id: "WhyActionRule",
    description:
      "One action rule evaluated against the transition's own snapshot (the facts routing read), with the rules as they are now.",
  });

export const WhyDelivery = z
  .object({
    id: z.string().describe("The webhook-id."),
    endpoint: z.object({ id: z.uuid(), name: z.string() }),
    actionRuleId: z
      .uuid()
      .nullable()
      .describe("The action rule that made it (null: since deleted, or one you may not read)."),
    status: z.enum(["pending", "delivered", "failed", "dead", "throttled"]),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastLatencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: Timestamp.nullable(),
    nextAttemptAt: Timestamp.nullable(),
    deliveredAt: Timestamp.nullable(),
  })
  .meta({ id: "WhyDelivery", description: "A webhook made for a transition." });

export const WhyTransition = z
  .object({
    seq: z.number().int(),
    kind: AlarmEvent.shape.kind,
    at: Timestamp,
    suppressed: z.boolean().describe("Held from notifying as of this transition."),
    acknowledged: z.boolean().describe("Acknowledged (and not lapsed) as of this transition."),
    facts: z
      .enum(["outbox", "delivery", "timeline"])
      .describe(
        "Where `suppressed` and `acknowledged` come from: the transition's outbox snapshot (exactly what routing read), a delivery's body (the same snapshot), or — once the outbox row is pruned (a day after publishing) and no delivery was made — rebuilt from the timeline (an acknowledgement's expiry is not known there).",
      ),
    outbox: z
      .enum(["waiting", "published", "pruned"])
      .describe(
        "waiting: not yet published (its webhooks are still to come); published: handed to the actions consumer; pruned: published and since forgotten.",
      ),
    actionRules: z.array(WhyActionRule),
    otherActionRules: z
      .object({ matched: z.number().int(), notMatched: z.number().int() })
      .describe("Action rules you may not read (`action:read`): counted, not named."),
    deliveries: z.array(WhyDelivery),
    otherDeliveries: z
      .object({ total: z.number().int(), delivered: z.number().int() })
      .describe("Deliveries to endpoints you may not read: counted, not named."),
  })
  .meta({ id: "WhyTransition", description: "One transition of the timeline, as routing saw it." });

export const WhySuppressionChange = z
  .object({
    seq: z.number().int(),
    kind: z.enum(["suppressed", "unsuppressed"]),
    at: Timestamp,
    reasons: Suppression.nullable().describe(
      "suppressed: what held it; unsuppressed: what had held it until then (null if unknown).",
    ),
    comment: z.string().nullable(),
  })
  .meta({
    id: "WhySuppressionChange",
    description:
      "One change of suppression: a `suppressed` or `unsuppressed` event, or an alarm that opened (or reopened) held — then `seq` is its fired (reopened) event's.",
  });

export const WhyRootAlarm = z
  .object({
    id: z.uuid(),
    lifecycle: AlarmLifecycle,
    severity: Severity,
    summary: z.string(),
    owner: AlarmOwner,
  })
  .meta({ id: "WhyRootAlarm", description: "The root alarm this one is (or was last) behind." });

export const AlarmWhy = z
  .object({
    alarm: z.object({
      id: z.uuid(),
      lifecycle: AlarmLifecycle,
      severity: Severity,
      summary: z.string(),
      owner: AlarmOwner,
      acknowledged: z.boolean(),
    }),
    rule: Alarm.shape.rule.describe("The event rule that opened it."),
    notified: z
      .boolean()
      .describe(
        "At least one webhook of this alarm was delivered (to any endpoint, named or not).",
      ),
    suppression: z.object({
      current: Suppression.nullable().describe("Held now, and why; null: it notifies."),
      root: WhyRootAlarm.nullable().describe(
        "The root alarm of the current (else the last) dependency suppression, if you may read it; its path and the chain are in `current.root` / `history` either way.",
      ),
      history: z.array(WhySuppressionChange).describe("Oldest first."),
    }),
    transitions: z.array(WhyTransition).describe("Every timeline event, oldest first."),
  })
  .meta({
    id: "AlarmWhy",
    description:
      "Why an alarm did (or did not) notify: its rule, the windows, silences and root that held it, and per transition the action rules matched and the deliveries made. Only action rules and endpoints within your `action:read` scope are named; the others are counted, not named.",
  });
export type AlarmWhy = z.infer<typeof AlarmWhy>;
