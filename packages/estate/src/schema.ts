import {
  CreateComponentInput,
  CreateMaintenanceWindowInput,
  CreateRuleInput,
  CreateWebhookEndpointInput,
  Impact,
  Label,
  Name,
  Severity,
  TransitionKind,
} from "@omniglass/contracts";
import { z } from "zod";

/*
 * The estate file format (`estate.yaml` and the files it includes), as zod schemas: the
 * source of docs/reference/estate.schema.json (`pnpm gen:estate-schema`). Every object is
 * strict: a key not declared here is a diagnostic, never extension data. Free-form data goes
 * under `labels` (strings) or `metadata` (any JSON) only.
 *
 * References are typed addresses (`location.campus.hq`); where a field fixes the kind, the bare
 * body is accepted (`node: edge-1`). The loader normalizes them (see address.ts); this schema
 * only says they are strings.
 */

export const ESTATE_SCHEMA_ID = "urn:omniglass:schema:estate";
export const ESTATE_FORMAT_VERSION = 1;

/** Defaults the loader fills in and the exporter leaves out: one table for both. */
export const DEFAULTS = {
  quorum: 1,
  primary: false,
  ownerKind: "component",
  sustainSeconds: 0,
  ruleScope: "all",
  enabled: true,
  flapWindowSeconds: 600,
  flapThreshold: 4,
  actionScope: "all",
  grantScope: "all",
  locationOperator: "subtree",
} as const;

/** Where each object schema sits, for "misplaced key" messages: place name → description. */
export const PLACES = new Map<z.ZodType, { name: string; where: string }>();
function place<T extends z.ZodType>(schema: T, name: string, where: string): T {
  PLACES.set(schema, { name, where });
  return schema;
}

const ref = (what: string) => z.string().min(1).max(1100).describe(what);

/** `${env:NAME}`: the value is read from the applying host's environment, never stored in files. */
export const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

export const SecretRefObject = place(
  z
    .strictObject({
      secretRef: Name.describe("The name of a secret the applying host resolves."),
    })
    .describe("A reference to a named secret."),
  "secret-ref",
  "a secret reference ({ secretRef: <name> })",
);

export const SecretReference = z
  .union([
    z
      .string()
      .regex(ENV_REFERENCE, "a reference ${env:NAME}")
      .describe("`${env:NAME}`: read from the environment of whoever applies."),
    SecretRefObject,
  ])
  .describe("A secret, by reference only: `${env:NAME}` or `{ secretRef: <name> }`. Never inline.");

const LabelKey = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, "lowercase letters, digits and . _ / -")
  .max(100);
const Labels = z
  .record(LabelKey, z.string().max(200))
  .describe("Free-form string labels (not secrets): the only place for arbitrary keys.");
const Metadata = z
  .record(LabelKey, z.json())
  .describe("Free-form JSON data (not secrets): the only place for arbitrary structures.");

const Tags = z
  .record(Name, z.string().min(1).max(200))
  .describe("Tags bound here (inherited below: platform › location tree › system › component).");
const Variables = z
  .record(Name, z.union([SecretReference, z.json()]))
  .describe(
    "Variables bound here: any JSON value, or a secret by reference (`${env:NAME}`, `{ secretRef }`) — a secret variable.",
  );

const Existing = z
  .literal(true)
  .describe(
    "A reference to an object that exists already and that these files do not manage: only tags and variables may be set on it.",
  );

/** The stub form of a kind: `existing: true` (and bindings where the kind takes them). */
function existingStub(kind: string, bindings: boolean) {
  return place(
    z.strictObject(
      bindings
        ? { existing: Existing, tags: Tags.optional(), variables: Variables.optional() }
        : { existing: Existing },
    ),
    `${kind}-existing`,
    `an existing ${kind} (existing: true)`,
  );
}

const bucket = { labels: Labels.optional(), metadata: Metadata.optional() };
const bindings = { tags: Tags.optional(), variables: Variables.optional() };

export const LocationEntry = place(
  z
    .strictObject({
      type: z
        .string()
        .min(1)
        .max(100)
        .describe("A location type's name (campus, building, floor, room, …)."),
      label: Label.optional(),
      ...bucket,
      ...bindings,
    })
    .describe("A location; its key is its dotted path, its parent the path without the last name."),
  "location",
  "a location (locations.<path>)",
);

export const RoleEntry = place(
  z.strictObject({
    label: Label.optional(),
    accepts: z.array(Name).min(1).max(20).describe("Component kinds that may fill it."),
    quorum: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(DEFAULTS.quorum)
      .describe("How many members must work."),
    impact: Impact,
  }),
  "role",
  "a system role (systems.<path>.roles.<name>)",
);

export const MemberEntry = place(
  z.strictObject({
    component: ref(
      "The component: `component.<path>`, its path, or a name relative to the system's location.",
    ),
    role: Name.optional().describe("The role of this system it fills."),
    primary: z.boolean().default(DEFAULTS.primary).describe("Whether this is its primary system."),
  }),
  "member",
  "a system member (systems.<path>.members[])",
);

export const SystemEntry = place(
  z
    .strictObject({
      type: z.string().min(1).max(100).describe("A system type's name, e.g. meeting-room."),
      label: Label.optional(),
      roles: z.record(Name, RoleEntry).optional().describe("The slots it needs filled."),
      members: z
        .array(
          z.union([
            ref("A component (as in `component`): a member with no role, not primary."),
            MemberEntry,
          ]),
        )
        .max(1000)
        .optional()
        .describe("The components serving it."),
      ...bucket,
      ...bindings,
    })
    .describe("A system; its key is its location's path, then its name."),
  "system",
  "a system (systems.<path>)",
);

export const InterfaceEntry = place(
  z.strictObject({
    node: ref("The node polling this interface (`node.<name>` or its name).").optional(),
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .optional()
      .describe("Where it is reached; omitted: the component's address."),
    port: z.number().int().min(1).max(65535).optional(),
  }),
  "interface",
  "a component interface (components.<path>.interfaces.<name>)",
);

const componentShape = CreateComponentInput.shape;
export const ComponentEntry = place(
  z
    .strictObject({
      template: ref(
        "The pinned template version: `template.<name>@<version>` or `<name>@<version>`.",
      ),
      label: Label.optional(),
      vendor: componentShape.vendor,
      model: componentShape.model,
      serial: componentShape.serial,
      mac: componentShape.mac,
      address: componentShape.address,
      node: ref("The node polling every interface not bound otherwise.").optional(),
      interfaces: z
        .record(Name, InterfaceEntry)
        .optional()
        .describe("Bindings of the template's interfaces."),
      ...bucket,
      ...bindings,
    })
    .describe("A component; its key is its location's path, then its name."),
  "component",
  "a component (components.<path>)",
);

export const NodeEntry = place(
  z.strictObject({
    location: ref("Where it is placed: `location.<path>` or the path."),
    label: Label.optional(),
  }),
  "node",
  "a node (nodes.<name>)",
);

const ruleShape = CreateRuleInput.shape;
export const RuleEntry = place(
  z.strictObject({
    ownerKind: z
      .enum(["component", "system"])
      .default(DEFAULTS.ownerKind)
      .describe(ruleShape.ownerKind.description ?? "What it judges."),
    label: Label.optional(),
    description: z.string().trim().max(1000).optional(),
    severity: Severity,
    fire: ruleShape.fire,
    clear: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe("When it clears; omitted: when `fire` is false."),
    sustainSeconds: z.number().int().min(0).max(86_400).default(DEFAULTS.sustainSeconds),
    scope: ref(
      "`all`, `location.<path>`, `system.<path>`, `component.<path>`, `template.<name>@<version>` or `system-type.<name>`.",
    ).default(DEFAULTS.ruleScope),
    enabled: z.boolean().default(DEFAULTS.enabled),
    flapWindowSeconds: z.number().int().min(1).max(86_400).default(DEFAULTS.flapWindowSeconds),
    flapThreshold: z.number().int().min(2).max(100).default(DEFAULTS.flapThreshold),
  }),
  "rule",
  "an event rule (rules.<name>)",
);

const windowShape = CreateMaintenanceWindowInput.shape;
export const WindowEntry = place(
  z.strictObject({
    label: Label.optional(),
    description: z.string().trim().max(1000).optional(),
    scope: ref(
      "`location.<path>` (and below), `system.<path>` (its members), `component.<path>`, or `template.<name>` (every version).",
    ),
    dtstart: windowShape.dtstart,
    timeZone: windowShape.timeZone,
    duration: windowShape.duration,
    rrule: z
      .string()
      .max(500)
      .optional()
      .describe(windowShape.rrule.description ?? "An RRULE."),
    enabled: z.boolean().default(DEFAULTS.enabled),
  }),
  "window",
  "a maintenance window (maintenanceWindows.<name>)",
);

export const SilenceDefaultsEntry = place(
  z.strictObject({
    duration: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .describe("How long a silence lasts when its author gives no expiry: `4h`."),
    maxDuration: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .describe("The longest silence allowed here (at most the deployment's maximum): `72h`."),
  }),
  "silence-defaults",
  "the silence defaults (silenceDefaults)",
);

export const MatchersEntry = place(
  z.strictObject({
    severities: z.array(Severity).min(1).optional(),
    rules: z.array(ref("An event rule: `rule.<name>` or its name.")).min(1).max(100).optional(),
    kinds: z.array(TransitionKind).min(1).optional(),
    suppressed: z
      .union([z.boolean(), z.literal("any")])
      .optional()
      .describe("false or omitted: only unsuppressed alarms; true: only suppressed; any."),
    acknowledged: z.boolean().optional(),
  }),
  "matchers",
  "action-rule matchers (actionRules.<name>.matchers)",
);

export const ActionRuleEntry = place(
  z.strictObject({
    label: Label.optional(),
    enabled: z.boolean().default(DEFAULTS.enabled),
    scope: ref("`all`, `location.<path>`, `system.<path>` or `template.<name>`.").default(
      DEFAULTS.actionScope,
    ),
    matchers: MatchersEntry.optional(),
    endpoints: z.array(ref("A webhook endpoint: `endpoint.<name>` or its name.")).min(1).max(20),
  }),
  "action-rule",
  "an action rule (actionRules.<name>)",
);

export const EndpointEntry = place(
  z.strictObject({
    label: Label.optional(),
    url: CreateWebhookEndpointInput.shape.url,
    location: ref(
      "Its placement: `location.<path>` or the path; omitted: the platform.",
    ).optional(),
    enabled: z.boolean().default(DEFAULTS.enabled),
    secret: SecretReference.optional().describe(
      "The signing secret, by reference; omitted: the product generates one on create.",
    ),
  }),
  "endpoint",
  "a webhook endpoint (webhookEndpoints.<name>)",
);

export const GrantEntry = place(
  z.strictObject({
    principal: ref("Who receives it: `principal.<name>` or the name."),
    role: ref("The access role: `role.<name>` or the name (owner, admin, operator, viewer, …)."),
    scope: ref("`all`, `location.<path>` or `system.<path>`.").default(DEFAULTS.grantScope),
    operator: z
      .enum(["subtree", "descendants", "self"])
      .optional()
      .describe(
        "Location scopes only: the location and below (default), only below, or only itself.",
      ),
  }),
  "grant",
  "a grant (grants[])",
);

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
