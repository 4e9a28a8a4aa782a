import { z } from "zod";
import { Filter, ListInput, Search, Timestamp } from "./common";
import { SignalDefinition, TemplateDocument } from "./template";

/** A signal of the catalog as the API shows it. */
export const Signal = SignalDefinition.and(
  z.object({
    id: z.uuid(),
    official: z.boolean().describe("Official rows ship with Omniglass and are read-only."),
    templates: z
      .array(z.string())
      .describe("`<name>@<version>` of the template versions producing it."),
    createdAt: Timestamp,
  }),
).meta({ id: "Signal" });
export type Signal = z.infer<typeof Signal>;

export const ListSignalsInput = ListInput.extend({
  filter: Filter.describe("Space-separated `field=value` terms: `lane` (metric or property)."),
  q: Search,
});
export type ListSignalsInput = z.infer<typeof ListSignalsInput>;

/** A template family: every version shares the name. */
export const TemplateSummary = z
  .object({
    name: z.string(),
    label: z.string(),
    kind: z.string(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    latestVersion: z.number().int().positive(),
    versions: z.number().int().positive().describe("How many versions are published."),
    official: z.boolean(),
    components: z.number().int().nonnegative().describe("Components pinning any of its versions."),
  })
  .meta({ id: "TemplateSummary" });
export type TemplateSummary = z.infer<typeof TemplateSummary>;

/** One published (immutable) version. */
export const TemplateVersion = z
  .object({
    id: z.uuid(),
    name: z.string(),
    version: z.number().int().positive(),
    label: z.string(),
    kind: z.string(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    description: z.string(),
    official: z.boolean(),
    components: z.number().int().nonnegative().describe("Components pinning this version."),
    createdAt: Timestamp,
    document: TemplateDocument,
  })
  .meta({ id: "TemplateVersion" });
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const ListTemplatesInput = ListInput.extend({
  filter: Filter.describe("Space-separated `field=value` terms: `kind`."),
  q: Search,
});
export type ListTemplatesInput = z.infer<typeof ListTemplatesInput>;
