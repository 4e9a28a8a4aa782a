import { z } from "zod";
import { Timestamp } from "./common";
import { Label, Name, Ref } from "./location";

export const SystemType = z.object({
  id: z.uuid(),
  name: z.string(),
  label: z.string(),
  official: z.boolean(),
});
export type SystemType = z.infer<typeof SystemType>;

export const System = z.object({
  id: z.uuid(),
  name: z.string(),
  label: z.string().nullable(),
  type: z.string().describe("The system type's name."),
  path: z.string().describe("Its location's dotted path, then its name."),
  location: z.object({ id: z.uuid(), path: z.string() }),
  version: z.number().int().positive(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type System = z.infer<typeof System>;

export const CreateSystemInput = z.object({
  name: Name,
  label: Label.optional(),
  type: z.string().min(1).describe("A system type's name, e.g. meeting-room."),
  location: Ref.describe("Where it is placed: a location's id, name or dotted path."),
});
export type CreateSystemInput = z.infer<typeof CreateSystemInput>;

export const UpdateSystemInput = z.object({
  ref: Ref,
  label: Label.nullable().optional(),
  type: z.string().min(1).optional(),
  version: z.number().int().positive().optional(),
});
export type UpdateSystemInput = z.infer<typeof UpdateSystemInput>;
