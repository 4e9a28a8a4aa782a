import { z } from "zod";
import { Filter, ListInput, orderBy, Search, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { HealthSummary } from "./health-summary";

export const SystemType = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string(),
    official: z.boolean(),
  })
  .meta({ id: "SystemType" });
export type SystemType = z.infer<typeof SystemType>;

export const CreateSystemTypeInput = z.object({ name: Name, label: Label });
export type CreateSystemTypeInput = z.infer<typeof CreateSystemTypeInput>;

export const Impact = z
  .enum(["outage", "degraded", "none"])
  .describe("What the system suffers while the role is below quorum.");

/** A slot the system needs filled. */
export const SystemRole = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string().nullable(),
    accepts: z.array(z.string()).describe("Component kinds that may fill it (template kinds)."),
    quorum: z.number().int().nonnegative().describe("How many members must work."),
    impact: Impact,
    members: z.array(z.string()).describe("Paths of the components filling it."),
    version: z.number().int().positive(),
  })
  .meta({ id: "SystemRole" });
export type SystemRole = z.infer<typeof SystemRole>;

export const SystemMember = z
  .object({
    component: z.object({ id: z.uuid(), path: z.string(), label: z.string().nullable() }),
    kind: z.string().describe("The component's kind (from its template)."),
    template: z.string().describe("`<name>@<version>` of its pinned template."),
    primary: z.boolean().describe("Whether this is the component's primary system."),
    role: z.string().nullable().describe("The role it fills here, if any."),
  })
  .meta({ id: "SystemMember" });
export type SystemMember = z.infer<typeof SystemMember>;

export const System = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string().nullable(),
    type: z.string().describe("The system type's name."),
    path: z.string().describe("Its location's dotted path, then its name."),
    location: z.object({ id: z.uuid(), path: z.string() }),
    memberCount: z.number().int().nonnegative(),
    health: HealthSummary.nullable().describe(
      "Its verdict and since when (GET …/health for the causes); null only before its first judgement.",
    ),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "System" });
export type System = z.infer<typeof System>;

export const SystemDetail = System.extend({
  roles: z.array(SystemRole),
  members: z.array(SystemMember),
}).meta({ id: "SystemDetail" });
export type SystemDetail = z.infer<typeof SystemDetail>;

export const ListSystemsInput = ListInput.extend({
  filter: Filter.describe(
    "Space-separated `field=value` terms: `location` (a location reference: systems placed in it or below), `type`, `health` (current verdicts, comma-separated, e.g. `health=outage,degraded`).",
  ),
  q: Search,
  order_by: orderBy(["path", "name", "created_at"], "path"),
});
export type ListSystemsInput = z.infer<typeof ListSystemsInput>;

export const CreateSystemInput = z.object({
  name: Name,
  label: Label.optional(),
  type: z.string().min(1).describe("A system type's name, e.g. meeting-room."),
  location: Ref.describe("Where it is placed: a location's id, name or dotted path."),
});
export type CreateSystemInput = z.infer<typeof CreateSystemInput>;

export const Version = z
  .number()
  .int()
  .positive()
  .optional()
  .describe("The version last read; a stale one is 409.");

export const UpdateSystemInput = z.object({
  ref: Ref,
  label: Label.nullable().optional(),
  type: z.string().min(1).optional(),
  version: Version,
});
export type UpdateSystemInput = z.infer<typeof UpdateSystemInput>;

export const RenameInput = z.object({ ref: Ref, name: Name, version: Version });
export type RenameInput = z.infer<typeof RenameInput>;

export const MoveInput = z.object({
  ref: Ref,
  location: Ref.describe("The location it moves to."),
  version: Version,
});
export type MoveInput = z.infer<typeof MoveInput>;

export const AddMemberInput = z.object({
  ref: Ref.describe("The system."),
  component: Ref.describe("The component: id, unique name or dotted path."),
  primary: z.boolean().default(false).describe("Make this the component's primary system."),
  role: Name.nullable().optional().describe("The role of this system it fills."),
});
export type AddMemberInput = z.infer<typeof AddMemberInput>;

export const UpdateMemberInput = z.object({
  ref: Ref,
  component: Ref,
  primary: z.boolean().optional(),
  role: Name.nullable().optional(),
});
export type UpdateMemberInput = z.infer<typeof UpdateMemberInput>;

export const CreateRoleInput = z.object({
  ref: Ref.describe("The system."),
  name: Name,
  label: Label.optional(),
  accepts: z.array(Name).min(1).max(20),
  quorum: z.number().int().min(0).max(1000).default(1),
  impact: Impact,
});
export type CreateRoleInput = z.infer<typeof CreateRoleInput>;

export const UpdateRoleInput = z.object({
  ref: Ref,
  role: Name,
  label: Label.nullable().optional(),
  accepts: z.array(Name).min(1).max(20).optional(),
  quorum: z.number().int().min(0).max(1000).optional(),
  impact: Impact.optional(),
  version: Version,
});
export type UpdateRoleInput = z.infer<typeof UpdateRoleInput>;
