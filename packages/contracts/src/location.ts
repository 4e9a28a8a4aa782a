import { z } from "zod";
import { Timestamp } from "./common";
import { HealthSummary } from "./health-summary";

/** The identity rule (DESIGN.md §4) for every renameable name. */
export const Name = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "lowercase letters, digits and dashes, starting with a letter or digit",
  );

export const Label = z.string().trim().min(1).max(200);

/** A reference: an id, a unique name, or a dotted path (`hq.floor-3.boardroom`). */
export const Ref = z
  .string()
  .min(1)
  .max(1000)
  .describe("An id, a unique name, or a dotted path such as `hq.floor-3.boardroom`.");

export const LocationType = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string(),
    official: z.boolean(),
  })
  .meta({ id: "LocationType" });
export type LocationType = z.infer<typeof LocationType>;

export const Location = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string().nullable(),
    path: z.string().describe("Dotted path of names from the root."),
    depth: z.number().int().nonnegative(),
    parentId: z.uuid().nullable(),
    type: z.string().describe("The location type's name."),
    childCount: z.number().int().nonnegative(),
    health: HealthSummary.nullable().describe(
      "Its verdict and since when (GET …/health for the causes); null only before its first judgement.",
    ),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Location" });
export type Location = z.infer<typeof Location>;

/** A location as lists show it: with what is placed in it or below, within the reader's scope. */
export const LocationListItem = Location.extend({
  systemCount: z
    .number()
    .int()
    .nonnegative()
    .describe("Systems placed in it or below that you may read."),
  componentCount: z
    .number()
    .int()
    .nonnegative()
    .describe("Components placed in it or below that you may read."),
}).meta({ id: "LocationListItem" });
export type LocationListItem = z.infer<typeof LocationListItem>;

export const CreateLocationInput = z.object({
  name: Name,
  label: Label.optional(),
  type: z.string().min(1).describe("A location type's name, e.g. building."),
  parent: Ref.optional().describe("The parent location; omit for a root."),
});
export type CreateLocationInput = z.infer<typeof CreateLocationInput>;

export const UpdateLocationInput = z.object({
  ref: Ref,
  label: Label.nullable().optional(),
  type: z.string().min(1).optional(),
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("The version last read; a stale one is 409."),
});
export type UpdateLocationInput = z.infer<typeof UpdateLocationInput>;
