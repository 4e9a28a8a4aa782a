import { z } from "zod";
import { Timestamp } from "./common";
import { Verdict } from "./health-summary";
import { Freshness, Provenance, SampleValue } from "./telemetry";

/*
 * The assessment (issue #16 §6, DESIGN.md §9): for every system and component in a scope, its
 * status with the evidence, what is declared against what is observed, and what works, is
 * degraded, missing or blocked. docs/reference/assessment.schema.json is generated from this
 * (`pnpm gen:assessment-schema`); a test fails when they differ.
 *
 * Determinism: every list is ordered by path/ref and names, never by a time, and every time in it
 * is the instant of a stored fact (when a value was measured, an alarm opened, a verdict began).
 * `generatedAt` is the one field that changes between two calls with no change in between; an age
 * is `generatedAt` minus the fact's instant.
 */

export const ASSESSMENT_FORMATS = ["json", "md"] as const;

export const AssessmentInput = z.object({
  scope: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe(
      "A location, system or component: its id, dotted path or unique name. The assessment covers its subtree, in your read scope.",
    ),
  format: z
    .enum(ASSESSMENT_FORMATS)
    .default("json")
    .describe("json (this schema) or md (the same content as Markdown, text/markdown)."),
});
export type AssessmentInput = z.input<typeof AssessmentInput>;

export const AssessmentHealth = z
  .object({
    verdict: Verdict.nullable().describe(
      "null: no verdict recorded yet (judged on its next change).",
    ),
    since: Timestamp.nullable(),
    explanation: z.string(),
  })
  .meta({ id: "AssessmentHealth" });

export const AssessmentSource = z
  .object({
    node: z.string().nullable().describe("The node that polls the interface (null: none bound)."),
    interface: z.string().nullable().describe("The template interface the signal is read on."),
    protocol: z.string().nullable(),
    principal: z
      .string()
      .nullable()
      .describe("Who sent the last value (a node, or a pushing principal)."),
  })
  .meta({ id: "AssessmentSource" });

export const AssessmentSample = z
  .object({
    signal: z.string(),
    instance: z.string(),
    value: SampleValue.nullable(),
    unit: z.string().nullable(),
    observedAt: Timestamp.nullable().describe(
      "When the value was measured (its age: generatedAt − this).",
    ),
    freshness: Freshness,
    staleSince: Timestamp.nullable().describe("When it went stale (freshness stale only)."),
    provenance: Provenance.nullable(),
    source: AssessmentSource,
  })
  .meta({ id: "AssessmentSample" });

export const AssessmentAlarm = z
  .object({
    id: z.uuid(),
    severity: z.enum(["info", "warning", "critical"]),
    rule: z.string(),
    instance: z.string(),
    summary: z.string(),
    since: Timestamp.describe("When it opened."),
    acknowledged: z.boolean(),
    suppressed: z.boolean(),
  })
  .meta({ id: "AssessmentAlarm" });

export const CoverageGap = z
  .object({
    kind: z.enum(["not-monitored", "never-seen"]),
    signal: z
      .string()
      .nullable()
      .describe("never-seen: the signal the template declares and no value ever arrived for."),
    detail: z.string(),
  })
  .meta({ id: "CoverageGap" });

export const AssessmentComponent = z
  .object({
    id: z.uuid(),
    path: z.string(),
    label: z.string().nullable(),
    template: z.string().describe("name@version"),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    systems: z.array(z.string()).describe("Paths of the systems it serves."),
    monitored: z.boolean(),
    collectors: z
      .array(z.object({ node: z.string(), online: z.boolean() }))
      .describe(
        "The nodes polling its interfaces, by name; online by the console's liveness rule (a heartbeat within three of its intervals).",
      ),
    health: AssessmentHealth,
    samples: z.array(AssessmentSample),
    alarms: z.array(AssessmentAlarm),
    stale: z.array(z.string()).describe("`signal` or `signal[instance]` past its freshness."),
    gaps: z.array(CoverageGap),
  })
  .meta({ id: "AssessmentComponent" });

export const AssessmentRole = z
  .object({
    name: z.string(),
    quorum: z.number().int(),
    impact: z.enum(["outage", "degraded", "none"]),
    filledBy: z.array(z.string()).describe("Paths of the components filling it."),
  })
  .meta({ id: "AssessmentRole" });

export const AssessmentSystem = z
  .object({
    id: z.uuid(),
    path: z.string(),
    label: z.string().nullable(),
    type: z.string(),
    location: z.string(),
    health: AssessmentHealth,
    roles: z.array(AssessmentRole),
    members: z.array(z.string()).describe("Paths of its member components."),
    alarms: z.array(AssessmentAlarm),
  })
  .meta({ id: "AssessmentSystem" });

export const AssessmentLocation = z
  .object({
    id: z.uuid(),
    path: z.string(),
    label: z.string().nullable(),
    type: z.string(),
    health: AssessmentHealth,
    alarms: z.array(AssessmentAlarm),
  })
  .meta({ id: "AssessmentLocation" });

export const CONTRADICTION_KINDS = [
  "vendor-mismatch",
  "model-mismatch",
  "serial-mismatch",
  "mac-mismatch",
  "declared-mismatch",
  "declared-not-reported",
  "role-unmonitored",
] as const;

export const Contradiction = z
  .object({
    kind: z.enum(CONTRADICTION_KINDS),
    ref: z.string().describe("The object: a component path, or `<system path>#<role>`."),
    field: z.string().describe("What is compared: an inventory field, a signal, a role."),
    declared: z.object({
      value: z.string(),
      where: z
        .string()
        .describe("Where it is declared: `component.model`, `tag firmware-version`, `role video`."),
    }),
    observed: z.object({
      value: z.string().nullable().describe("null: nothing observed."),
      source: z
        .string()
        .describe("Who or what observed it (node/interface/protocol), or why nothing does."),
      at: Timestamp.nullable(),
    }),
  })
  .meta({ id: "Contradiction" });
export type Contradiction = z.infer<typeof Contradiction>;

export const SUMMARY_STATES = ["working", "degraded", "missing", "blocked"] as const;

export const SummaryItem = z
  .object({
    kind: z.enum(["system", "component"]),
    ref: z.string(),
    verdict: Verdict.nullable(),
    reason: z.string(),
  })
  .meta({ id: "SummaryItem" });

const SummaryGroup = z.object({ count: z.number().int(), items: z.array(SummaryItem) });

export const Assessment = z
  .object({
    generatedAt: Timestamp.describe(
      "The only field that differs between two calls with no change between them.",
    ),
    productVersion: z.string(),
    estateRevision: z
      .string()
      .describe("The estate change log's last revision (as `estate plan` reads its base)."),
    scope: z.object({
      kind: z.enum(["location", "system", "component"]),
      ref: z.string().describe("As asked."),
      path: z.string(),
    }),
    requestedBy: z.string().describe("The principal that asked."),
    summary: z
      .object({
        working: SummaryGroup.describe("Healthy, with evidence."),
        degraded: SummaryGroup.describe(
          "Degraded or in outage: there, but not fully doing its job.",
        ),
        missing: SummaryGroup.describe(
          "Incomplete (a role nothing fills) or not monitored: something is not there.",
        ),
        blocked: SummaryGroup.describe(
          "No verdict to give: the collector is down, no current data, or never judged.",
        ),
        contradictions: z.number().int(),
      })
      .describe("Every system and component in exactly one state; items ordered by ref."),
    locations: z.array(AssessmentLocation),
    systems: z.array(AssessmentSystem),
    components: z.array(AssessmentComponent),
    contradictions: z.array(Contradiction),
  })
  .meta({ id: "Assessment" });
export type Assessment = z.infer<typeof Assessment>;
export type AssessmentComponent = z.infer<typeof AssessmentComponent>;
export type AssessmentSystem = z.infer<typeof AssessmentSystem>;
export type AssessmentSample = z.infer<typeof AssessmentSample>;
export type AssessmentAlarm = z.infer<typeof AssessmentAlarm>;
export type SummaryItem = z.infer<typeof SummaryItem>;

/** The JSON Schema of the assessment (docs/reference/assessment.schema.json is this, generated). */
export function assessmentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(Assessment, {
    target: "draft-2020-12",
    io: "output",
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: "urn:omniglass:schema:assessment",
    title: "Omniglass assessment",
    ...rest,
  };
}
