import { z } from "zod";
import { Filter, ListInput, orderBy, Search, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { Version } from "./system";
import { Severity } from "./template";

/*
 * Event rules (DESIGN.md §8): CEL fire and clear expressions over one owner's current values
 * (`signals`, `fresh`, `age`, `previous`, by signal name), a sustain period, a severity, a scope.
 * Template rules are read-only: a template version declares them.
 */

const Cel = z.string().trim().min(1).max(2000);

/** What a custom rule judges: a component's values, or a system's roles and members. */
export const RuleOwnerKind = z.enum(["component", "system"]);

export const RuleScope = z
  .object({
    kind: z.enum(["all", "template", "system-type", "location", "owner", "system"]),
    ref: z
      .string()
      .nullable()
      .describe(
        "template: `name@version` or id; system-type: its name; location: its path; owner: a component's path or id; system: a system's path or id (system rules); all: null.",
      ),
  })
  .meta({ id: "RuleScope" });

export const Rule = z
  .object({
    id: z.uuid(),
    name: Name,
    label: z.string().nullable(),
    description: z.string(),
    severity: Severity,
    fire: z.string(),
    clear: z.string().nullable(),
    sustainSeconds: z.number().int(),
    scope: RuleScope,
    ownerKind: RuleOwnerKind.or(z.enum(["node", "endpoint"])).describe(
      "What it judges: components (signals), systems (roles and members), nodes (the built-in collector-down rule) or webhook endpoints (the built-in endpoint-failing rule).",
    ),
    origin: z
      .enum(["custom", "template", "builtin"])
      .describe(
        "custom: written here; template: declared by a template version; builtin: the product's own (collector-down). Only custom rules can be changed or deleted.",
      ),
    template: z
      .object({ id: z.uuid(), name: z.string(), version: z.number().int() })
      .nullable()
      .describe("The template version declaring it (template rules)."),
    enabled: z.boolean(),
    flapWindowSeconds: z.number().int(),
    flapThreshold: z.number().int(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Rule" });
export type Rule = z.infer<typeof Rule>;

const ScopeInput = z.object({
  kind: RuleScope.shape.kind,
  ref: z.string().min(1).max(1000).nullable().optional(),
});

const RuleFields = {
  label: Label.optional(),
  description: z.string().trim().max(1000).optional(),
  severity: Severity,
  fire: Cel.describe('When it fires, e.g. `signals["temperature"] > 70`.'),
  clear: Cel.nullable()
    .optional()
    .describe("When it clears (hysteresis); omitted: when `fire` is false."),
  sustainSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(0)
    .describe("How long `fire` must hold before the alarm opens."),
  scope: ScopeInput.default({ kind: "all" }),
  enabled: z.boolean().default(true),
  flapWindowSeconds: z.number().int().min(1).max(86_400).default(600),
  flapThreshold: z.number().int().min(2).max(100).default(4),
};

export const CreateRuleInput = z
  .object({
    name: Name,
    ownerKind: RuleOwnerKind.default("component").describe(
      "component: fire and clear read `signals`, `fresh`, `age`, `previous`; system: they read `roles`, `members`, `verdict` (scope all, system-type, location or system; sustain 0).",
    ),
    ...RuleFields,
  })
  .meta({
    id: "CreateRuleInput",
    examples: [
      {
        name: "hot-display",
        severity: "warning",
        fire: 'signals["temperature"] > 70',
        clear: 'signals["temperature"] < 65',
        sustainSeconds: 300,
        scope: { kind: "location", ref: "hq" },
      },
    ],
  });
export type CreateRuleInput = z.infer<typeof CreateRuleInput>;

export const UpdateRuleInput = z.object({
  ref: Ref,
  label: Label.nullable().optional(),
  description: z.string().trim().max(1000).optional(),
  severity: Severity.optional(),
  fire: Cel.optional(),
  clear: Cel.nullable().optional(),
  sustainSeconds: z.number().int().min(0).max(86_400).optional(),
  scope: ScopeInput.optional(),
  enabled: z.boolean().optional(),
  flapWindowSeconds: z.number().int().min(1).max(86_400).optional(),
  flapThreshold: z.number().int().min(2).max(100).optional(),
  version: Version,
});
export type UpdateRuleInput = z.infer<typeof UpdateRuleInput>;

export const ListRulesInput = ListInput.extend({
  filter: Filter.describe(
    "Space-separated `field=value` terms: `severity`, `origin` (custom|template|builtin), `template` (a name), `enabled` (true|false).",
  ),
  q: Search,
  order_by: orderBy(["name", "created_at"], "name"),
});
export type ListRulesInput = z.infer<typeof ListRulesInput>;

export const PreviewRuleInput = z.object({
  ref: Ref,
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(168)
    .default(24)
    .describe("Look back this many hours (max 168)."),
});
export type PreviewRuleInput = z.infer<typeof PreviewRuleInput>;

export const PreviewDraftInput = z
  .object({
    rule: CreateRuleInput.omit({ name: true }).extend({ name: Name.optional() }),
    hours: z.number().int().min(1).max(168).default(24),
  })
  .meta({
    id: "PreviewDraftInput",
    examples: [
      {
        rule: { severity: "critical", fire: 'signals["reachable"] == false', sustainSeconds: 120 },
        hours: 24,
      },
    ],
  });
export type PreviewDraftInput = z.infer<typeof PreviewDraftInput>;

export const RulePreview = z
  .object({
    hours: z.number().int(),
    owners: z.number().int().describe("Owners looked at."),
    samples: z.number().int().describe("Samples replayed."),
    truncated: z
      .boolean()
      .describe(
        "true when the owner or sample cap was reached: the answer covers part of the scope.",
      ),
    episodes: z.array(
      z.object({
        owner: z.object({ id: z.uuid(), path: z.string() }),
        instance: z.string(),
        firedAt: Timestamp,
        clearedAt: Timestamp.nullable().describe("null: still firing at the end of the window."),
      }),
    ),
  })
  .meta({ id: "RulePreview" });
export type RulePreview = z.infer<typeof RulePreview>;
