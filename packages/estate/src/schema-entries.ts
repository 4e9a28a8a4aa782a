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
import { DEFAULTS, SecretReference, bindings, bucket, place, ref } from "./schema-base";

/* The entry schemas of the estate file: one per kind of object a section declares. */

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
