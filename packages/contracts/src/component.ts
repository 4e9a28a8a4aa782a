import { z } from "zod";
import { Filter, ListInput, orderBy, Search, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { Version } from "./system";
import { TemplateProtocol } from "./template";
import { HealthSummary } from "./health-summary";

const Mac = z
  .string()
  .regex(/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/, "six hex pairs, e.g. 00:1a:2b:3c:4d:5e")
  .transform((mac) => mac.toLowerCase().replaceAll("-", ":"));
const Text = z.string().trim().min(1).max(200);
const Address = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, "a host name, IPv4 or IPv6 address")
  .describe("Network address the interfaces reach by default.");

export const ComponentInterface = z
  .object({
    name: z.string(),
    protocol: TemplateProtocol,
    host: z.string().nullable().describe("Where it is reached; null: the component's address."),
    port: z.number().int().nullable(),
    node: z.object({ id: z.uuid(), name: z.string() }).nullable().describe("The node polling it."),
  })
  .meta({ id: "ComponentInterface" });
export type ComponentInterface = z.infer<typeof ComponentInterface>;

export const Component = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string().nullable(),
    path: z.string().describe("Its location's dotted path, then its name."),
    location: z.object({ id: z.uuid(), path: z.string() }),
    kind: z.string().describe("Its template's kind (display, projector, dsp, …)."),
    template: z.object({ id: z.uuid(), name: z.string(), version: z.number().int() }),
    primarySystem: z.object({ id: z.uuid(), path: z.string() }).nullable(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    serial: z.string().nullable(),
    mac: z.string().nullable(),
    address: z.string().nullable(),
    health: HealthSummary.nullable().describe(
      "Its verdict and since when (GET …/health for the causes); null only before its first judgement.",
    ),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Component" });
export type Component = z.infer<typeof Component>;

/** A signal the component reports, as its pinned template declares it. */
export const ComponentSignal = z
  .object({
    name: z.string(),
    lane: z.enum(["metric", "property"]),
    label: z.string(),
    unit: z.string().nullable(),
    function: z.string().describe("The template function producing it."),
    interface: z.string(),
    intervalSeconds: z.number().describe("How often it is expected."),
  })
  .meta({ id: "ComponentSignal" });

export const ComponentDetail = Component.extend({
  interfaces: z.array(ComponentInterface),
  systems: z.array(
    z.object({
      id: z.uuid(),
      path: z.string(),
      primary: z.boolean(),
      role: z.string().nullable(),
    }),
  ),
  signals: z.array(ComponentSignal),
}).meta({ id: "ComponentDetail" });
export type ComponentDetail = z.infer<typeof ComponentDetail>;

export const ListComponentsInput = ListInput.extend({
  filter: Filter.describe(
    "Space-separated `field=value` terms: `location` (placed in it or below), `system` (serving it), `template` (a name, or `name@version`), `kind`, `node` (polled by it), `health` (current verdicts, comma-separated, e.g. `health=unknown`).",
  ),
  q: Search,
  order_by: orderBy(["path", "name", "created_at"], "path"),
});
export type ListComponentsInput = z.infer<typeof ListComponentsInput>;

export const InterfaceBinding = z
  .object({
    name: Name.describe("The template interface."),
    node: Ref.nullable().optional().describe("The node that polls it (id or name)."),
    host: z.string().trim().min(1).max(253).nullable().optional(),
    port: z.number().int().min(1).max(65535).nullable().optional(),
  })
  .meta({ id: "InterfaceBinding" });

export const CreateComponentInput = z.object({
  name: Name,
  label: Label.optional(),
  location: Ref.describe("Where it is placed."),
  template: z
    .string()
    .min(1)
    .max(120)
    .describe("`<name>` (latest version) or `<name>@<version>` of a template."),
  system: Ref.optional().describe("A system it serves, as its primary system."),
  role: Name.optional().describe("The role of that system it fills."),
  node: Ref.optional().describe("The node that polls every interface (unless set per interface)."),
  interfaces: z.array(InterfaceBinding).max(20).optional(),
  vendor: Text.optional(),
  model: Text.optional(),
  serial: Text.optional(),
  mac: Mac.optional(),
  address: Address.optional(),
});
export type CreateComponentInput = z.infer<typeof CreateComponentInput>;

export const UpdateComponentInput = z.object({
  ref: Ref,
  label: Label.nullable().optional(),
  vendor: Text.nullable().optional(),
  model: Text.nullable().optional(),
  serial: Text.nullable().optional(),
  mac: Mac.nullable().optional(),
  address: Address.nullable().optional(),
  interfaces: z.array(InterfaceBinding).max(20).optional(),
  version: Version,
});
export type UpdateComponentInput = z.infer<typeof UpdateComponentInput>;

export const TemplateChangeInput = z.object({
  ref: Ref,
  template: z.string().min(1).max(120).describe("`<name>@<version>`, or `<name>` for the latest."),
  version: Version,
});
export type TemplateChangeInput = z.infer<typeof TemplateChangeInput>;

const Names = z.array(z.string());

/** What moving a component from one template version to another changes (shown before applying). */
export const TemplateChanges = z
  .object({
    from: z.string().describe("`<name>@<version>` pinned now."),
    to: z.string().describe("`<name>@<version>` it would pin."),
    signalsGained: Names,
    signalsLost: Names,
    interfacesAdded: Names,
    interfacesRemoved: Names,
    interfacesChanged: Names,
    functionsAdded: Names,
    functionsRemoved: Names,
    functionsChanged: Names,
    rulesAdded: Names,
    rulesRemoved: Names,
    rulesChanged: Names,
    dependenciesChanged: z.boolean(),
  })
  .meta({ id: "TemplateChanges" });
export type TemplateChanges = z.infer<typeof TemplateChanges>;
