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
        .describe(
          "Whether the alarm was held at the transition (a maintenance window, a silence or a root alarm: alarm.suppression says which).",
        ),
    }),
  })
  .meta({ id: "WebhookPayload" });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const DeliveryStatus = z
  .enum(["pending", "delivered", "failed", "dead", "throttled"])
  .describe(
    "pending: not attempted yet (or in flight); failed: retried on the schedule; throttled: the receiver asked to slow down; dead: the schedule is spent (or 410), replay to send again.",
  );
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

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
    lastDelivery: z
      .object({
        id: z.string(),
        status: DeliveryStatus,
        at: Timestamp.describe("Its last attempt (or its creation, before any attempt)."),
        statusCode: z.number().int().nullable(),
      })
      .nullable()
      .describe("The newest delivery to it; null: none in the last 30 days."),
    unsentDeliveries: z
      .number()
      .int()
      .describe("Deliveries still to send (pending, failed or throttled); deleting drops them."),
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

export const UpdateWebhookEndpointInput = z
  .object({
    ref: Ref.describe("The endpoint: its id or name."),
    label: Label.nullable().optional().describe("null clears it."),
    url: Url.optional(),
    enabled: z
      .boolean()
      .optional()
      .describe(
        "false holds its deliveries (they wait, nothing is dropped); true re-enables it and clears disabledReason (e.g. after a 410).",
      ),
    version: Version.optional(),
  })
  .meta({ id: "UpdateWebhookEndpointInput" });
export type UpdateWebhookEndpointInput = z.infer<typeof UpdateWebhookEndpointInput>;

export const WebhookEndpointRefInput = z.object({
  ref: Ref.describe("The endpoint: its id or name."),
});

export const DeletedWebhookEndpoint = z
  .object({
    id: z.uuid(),
    deleted: z.literal(true),
    droppedDeliveries: z
      .number()
      .int()
      .describe("Its deliveries removed with it, unsent ones included (they are never sent)."),
  })
  .meta({ id: "DeletedWebhookEndpoint" });
export type DeletedWebhookEndpoint = z.infer<typeof DeletedWebhookEndpoint>;

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

export const UpdateActionRuleInput = z
  .object({
    ref: Ref.describe("The action rule: its id or name."),
    label: Label.nullable().optional().describe("null clears it."),
    enabled: z.boolean().optional(),
    matchers: ActionRuleMatchers.optional().describe("Replaces the matchers as a whole."),
    scope: ScopeInput.optional(),
    endpointIds: z.array(z.uuid()).min(1).max(20).optional(),
    version: Version.optional(),
  })
  .meta({ id: "UpdateActionRuleInput" });
export type UpdateActionRuleInput = z.infer<typeof UpdateActionRuleInput>;

export const ActionRuleRefInput = z.object({
  ref: Ref.describe("The action rule: its id or name."),
});

export const ListActionRulesInput = ListInput.extend({
  endpoint: z.uuid().optional().describe("Only rules that deliver to this endpoint (id)."),
});
export type ListActionRulesInput = z.infer<typeof ListActionRulesInput>;

// --- deliveries -----------------------------------------------------------------------------------

export const Delivery = z
  .object({
    id: z.string().describe("The webhook-id: the same on every attempt."),
    endpointId: z.uuid(),
    endpointName: z.string(),
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

export const DeliveryAttempt = z
  .object({
    attempt: z
      .number()
      .int()
      .describe("1, 2, 3 … over the delivery's life (a replay continues the count)."),
    at: Timestamp,
    statusCode: z.number().int().nullable().describe("null: no answer (timeout, network error)."),
    latencyMs: z.number().int().nullable(),
    error: z.string().nullable().describe("Why it did not count as delivered; null when it did."),
    responseExcerpt: z.string().nullable().describe("At most 1 KB of the receiver's answer."),
  })
  .meta({ id: "DeliveryAttempt" });
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DeliveryDetail = Delivery.extend({
  body: z.string().describe("The exact JSON body sent on every attempt (a WebhookPayload)."),
  attemptLog: z.array(DeliveryAttempt).describe("Every attempt, oldest first."),
}).meta({ id: "DeliveryDetail" });
export type DeliveryDetail = z.infer<typeof DeliveryDetail>;

/** A delivery's id (`msg_…`); anything else is simply not found. */
export const DeliveryRefInput = z.object({
  id: z.string().min(1).max(100).describe("The delivery's id, its webhook-id (msg_…)."),
});

export const ListDeliveriesInput = ListInput.extend({
  status: DeliveryStatus.optional(),
  endpoint: Ref.optional().describe("Only deliveries to this endpoint (id or name)."),
  alarm: z.uuid().optional(),
  since: Timestamp.optional().describe("Created at or after this instant."),
  until: Timestamp.optional().describe("Created before this instant."),
});
export type ListDeliveriesInput = z.infer<typeof ListDeliveriesInput>;

export const ReplayDeliveriesInput = z
  .object({
    from: Timestamp,
    to: Timestamp,
    endpoint: Ref.optional().describe("Only deliveries to this endpoint (id or name)."),
    status: z.enum(["dead", "failed", "delivered"]).optional(),
  })
  .meta({ id: "ReplayDeliveriesInput" });
export type ReplayDeliveriesInput = z.infer<typeof ReplayDeliveriesInput>;
