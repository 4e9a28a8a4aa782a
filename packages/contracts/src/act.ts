import { z } from "zod";
import { Alarm } from "./alarm";
import { ListInput, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { Version } from "./system";
import { Severity } from "./template";

/*
 * Actions (DESIGN.md §8, decision 0010): action rules match alarm transitions and deliver them to
 * webhook endpoints, signed as the Standard Webhooks specification says. Transitions leave the
 * database through an outbox written in the transition's own transaction.
 */

export const TransitionKind = z
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
  .describe("What happened to the alarm (its timeline event).");
export type TransitionKind = z.infer<typeof TransitionKind>;

/** Published on `og.v1.transitions` by the outbox relay (Nats-Msg-Id = the outbox id). */
export const TransitionMessage = z
  .object({
    outboxId: z.number().int().positive(),
    alarmId: z.uuid(),
    seq: z.number().int().positive(),
    kind: z.string().min(1),
    /** The alarm's state as of the event (the outbox row's payload, decoded by the gateway). */
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "TransitionMessage" });
export type TransitionMessage = z.infer<typeof TransitionMessage>;

/** The JSON body of every webhook (Standard Webhooks' `{ type, timestamp, data }`). */
export const WebhookPayload = z
  .object({
    type: z
      .string()
      .describe("`alarm.<kind>` (alarm.opened, alarm.resolved, …) or `webhook.test`."),
    timestamp: Timestamp.describe("When the transition happened."),
    data: z.object({
      seq: z
        .number()
        .int()
        .describe(
          "The alarm's sequence number: higher is newer. Drop a delivery whose seq is not above the last one you applied for that alarm.",
        ),
      event: z.object({
        kind: TransitionKind,
        at: Timestamp,
        by: z.uuid().nullable(),
        comment: z.string().nullable(),
      }),
      alarm: Alarm.describe("The alarm's full state as of this transition."),
      suppressed: z
        .boolean()
        .describe("Whether a maintenance window or a silence applied at the transition."),
    }),
  })
  .meta({ id: "WebhookPayload" });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

// --- webhook endpoints ---------------------------------------------------------------------------

const Url = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.username === "";
    } catch {
      return false;
    }
  }, "an absolute http:// or https:// URL without credentials")
  .describe(
    "Where deliveries are POSTed (http or https; loopback only when the server allows it).",
  );

export const WebhookEndpoint = z
  .object({
    id: z.uuid(),
    name: Name,
    label: z.string().nullable(),
    url: z.string(),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .describe("Why it is disabled (a 410 from the receiver, or by hand)."),
    location: z
      .object({ id: z.uuid(), path: z.string() })
      .nullable()
      .describe("Its placement (scope); null: the platform."),
    failingSince: Timestamp.nullable().describe("First failed attempt since its last success."),
    throttledUntil: Timestamp.nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "WebhookEndpoint", description: "The secret is never returned after creation." });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe("The whsec_ signing secret: shown this once, stored sealed."),
}).meta({ id: "WebhookEndpointWithSecret" });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const CreateWebhookEndpointInput = z
  .object({
    name: Name,
    label: Label.optional(),
    url: Url,
    location: Ref.optional().describe("Place it in a location (path or id); omitted: platform."),
    enabled: z.boolean().default(true),
  })
  .meta({
    id: "CreateWebhookEndpointInput",
    examples: [{ name: "pager", url: "https://hooks.example.com/omniglass", enabled: true }],
  });
export type CreateWebhookEndpointInput = z.infer<typeof CreateWebhookEndpointInput>;

export const UpdateWebhookEndpointInput = z.object({
  id: z.uuid(),
  label: Label.nullable().optional(),
  url: Url.optional(),
  enabled: z.boolean().optional().describe("true re-enables (clears disabledReason)."),
  version: Version.optional(),
});
export type UpdateWebhookEndpointInput = z.infer<typeof UpdateWebhookEndpointInput>;

export const ListWebhookEndpointsInput = ListInput;

// --- action rules ---------------------------------------------------------------------------------

export const ActionRuleMatchers = z
  .object({
    severities: z.array(Severity).min(1).optional(),
    ruleIds: z.array(z.uuid()).min(1).max(100).optional().describe("Event rules (ids)."),
    kinds: z.array(TransitionKind).min(1).optional().describe("Transition kinds; omitted: all."),
    suppressed: z
      .union([z.boolean(), z.literal("any")])
      .optional()
      .describe(
        "false or omitted: only transitions of alarms not suppressed (a suppressed alarm does not page); true: only suppressed ones; any: either.",
      ),
    acknowledged: z.boolean().optional().describe("true/false; omitted: either."),
  })
  .strict()
  .meta({ id: "ActionRuleMatchers", description: "All given must match; omitted: any." });
export type ActionRuleMatchers = z.infer<typeof ActionRuleMatchers>;

export const ActionRuleScope = z
  .object({
    kind: z.enum(["all", "location", "system", "template"]),
    ref: z
      .string()
      .nullable()
      .describe("location/system: its path; template: its name; all: null."),
    id: z.uuid().nullable(),
  })
  .meta({ id: "ActionRuleScope" });

export const ActionRule = z
  .object({
    id: z.uuid(),
    name: Name,
    label: z.string().nullable(),
    enabled: z.boolean(),
    matchers: ActionRuleMatchers,
    scope: ActionRuleScope,
    endpointIds: z.array(z.uuid()),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "ActionRule" });
export type ActionRule = z.infer<typeof ActionRule>;

const ScopeInput = z.object({
  kind: z.enum(["all", "location", "system", "template"]),
  ref: z.string().min(1).max(500).optional().describe("Required unless kind is all."),
});

export const CreateActionRuleInput = z
  .object({
    name: Name,
    label: Label.optional(),
    enabled: z.boolean().default(true),
    matchers: ActionRuleMatchers.default({}),
    scope: ScopeInput.default({ kind: "all" }),
    endpointIds: z.array(z.uuid()).min(1).max(20),
  })
  .meta({ id: "CreateActionRuleInput" });
export type CreateActionRuleInput = z.infer<typeof CreateActionRuleInput>;

export const UpdateActionRuleInput = z.object({
  id: z.uuid(),
  label: Label.nullable().optional(),
  enabled: z.boolean().optional(),
  matchers: ActionRuleMatchers.optional(),
  scope: ScopeInput.optional(),
  endpointIds: z.array(z.uuid()).min(1).max(20).optional(),
  version: Version.optional(),
});
export type UpdateActionRuleInput = z.infer<typeof UpdateActionRuleInput>;

// --- deliveries -----------------------------------------------------------------------------------

export const DeliveryStatus = z
  .enum(["pending", "delivered", "failed", "dead", "throttled"])
  .describe(
    "pending: not attempted yet (or in flight); failed: retried on the schedule; throttled: the receiver asked to slow down; dead: the schedule is spent (or 410), replay to send again.",
  );

export const Delivery = z
  .object({
    id: z.string().describe("The webhook-id: the same on every attempt."),
    endpointId: z.uuid(),
    actionRuleId: z.uuid().nullable(),
    alarmId: z.uuid().nullable(),
    alarmSeq: z.number().int().nullable(),
    eventType: z.string(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable(),
    lastAttemptAt: Timestamp.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastLatencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    responseExcerpt: z.string().nullable().describe("At most 1 KB of the receiver's answer."),
    deliveredAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: "Delivery" });
export type Delivery = z.infer<typeof Delivery>;

export const ListDeliveriesInput = ListInput.extend({
  status: DeliveryStatus.optional(),
  endpoint: z.uuid().optional(),
  alarm: z.uuid().optional(),
});
export type ListDeliveriesInput = z.infer<typeof ListDeliveriesInput>;

export const ReplayDeliveriesInput = z
  .object({
    from: Timestamp,
    to: Timestamp,
    endpoint: z.uuid().optional(),
    status: z.enum(["dead", "failed", "delivered"]).optional(),
  })
  .meta({ id: "ReplayDeliveriesInput" });
export type ReplayDeliveriesInput = z.infer<typeof ReplayDeliveriesInput>;
