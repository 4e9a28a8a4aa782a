import { z } from "zod";
import {
  ESTATE_FORMAT_VERSION,
  ESTATE_SCHEMA_ID,
  Tags,
  Variables,
  existingStub,
  place,
} from "./schema-base";
import {
  ActionRuleEntry,
  ComponentEntry,
  EndpointEntry,
  GrantEntry,
  LocationEntry,
  NodeEntry,
  RuleEntry,
  SilenceDefaultsEntry,
  SystemEntry,
  WindowEntry,
} from "./schema-entries";

export {
  DEFAULTS,
  ENV_REFERENCE,
  ESTATE_FORMAT_VERSION,
  ESTATE_SCHEMA_ID,
  PLACES,
  SecretRefObject,
  SecretReference,
} from "./schema-base";
export * from "./schema-entries";

const keyed = <T extends z.ZodType>(what: string, entry: T) =>
  z.record(z.string(), entry).optional().describe(what);

export const EstateDocument = place(
  z
    .strictObject({
      version: z
        .literal(ESTATE_FORMAT_VERSION)
        .optional()
        .describe("The format version; required in the entry file."),
      include: z
        .array(z.string().min(1).max(500))
        .optional()
        .describe("Further files, relative to this one; read once each, cycles refused."),
      tags: Tags.optional().describe("Platform tags (the top of the cascade)."),
      variables: Variables.optional().describe("Platform variables (the top of the cascade)."),
      locations: keyed(
        "Locations by dotted path.",
        z.union([existingStub("location", true), LocationEntry]),
      ),
      systems: keyed("Systems by path.", z.union([existingStub("system", true), SystemEntry])),
      components: keyed(
        "Components by path.",
        z.union([existingStub("component", true), ComponentEntry]),
      ),
      nodes: keyed(
        "Nodes (edge collectors) by name.",
        z.union([existingStub("node", false), NodeEntry]),
      ),
      rules: keyed("Event rules by name.", z.union([existingStub("rule", false), RuleEntry])),
      maintenanceWindows: keyed("Maintenance windows by name.", WindowEntry),
      silenceDefaults: SilenceDefaultsEntry.optional(),
      actionRules: keyed("Action rules by name.", ActionRuleEntry),
      webhookEndpoints: keyed(
        "Webhook endpoints by name.",
        z.union([existingStub("endpoint", false), EndpointEntry]),
      ),
      grants: z
        .array(GrantEntry)
        .optional()
        .describe("Grants: a role given to a principal on a scope."),
    })
    .describe(
      "An Omniglass estate file: the desired state of (part of) the estate, applied with validate → plan → apply.",
    ),
  "top",
  "the top level of an estate file",
);

/** The sections keyed by address, their entry schema and the object kind each declares. */
export const SECTIONS = {
  locations: { kind: "location", entry: LocationEntry, existing: true, bindings: true },
  systems: { kind: "system", entry: SystemEntry, existing: true, bindings: true },
  components: { kind: "component", entry: ComponentEntry, existing: true, bindings: true },
  nodes: { kind: "node", entry: NodeEntry, existing: true, bindings: false },
  rules: { kind: "rule", entry: RuleEntry, existing: true, bindings: false },
  maintenanceWindows: { kind: "window", entry: WindowEntry, existing: false, bindings: false },
  actionRules: { kind: "action-rule", entry: ActionRuleEntry, existing: false, bindings: false },
  webhookEndpoints: { kind: "endpoint", entry: EndpointEntry, existing: true, bindings: false },
} as const;
export type SectionName = keyof typeof SECTIONS;

/** The existing-stub schema of a section (only the sections whose kind can be referenced). */
export const EXISTING_STUBS: Partial<Record<SectionName, z.ZodType>> = Object.fromEntries(
  Object.entries(EstateDocument.shape)
    .filter(([name]) => name in SECTIONS && SECTIONS[name as SectionName].existing)
    .map(([name, section]) => {
      const union = (section as z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnion>>).unwrap()
        .valueType;
      return [name, union.options[0] as z.ZodType];
    }),
);

/**
 * docs/reference/estate.schema.json is this, generated (`pnpm gen:estate-schema`); a unit test
 * keeps the two equal. Cross-field rules (references resolve, secrets are references, a key is
 * at its place) are the loader's; the schema says the shape.
 */
export function estateJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(EstateDocument, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: ESTATE_SCHEMA_ID, title: "Omniglass estate file", ...rest };
}
