import { z } from "zod";
import { Filter, ListInput, orderBy, Search, Timestamp } from "./common";
import { Label, Name, Ref } from "./location";
import { NodeLiveness } from "./telemetry";
import { Version } from "./system";

/** A pending enrollment token: only its first characters and its expiry are ever shown again. */
export const NodeEnrollment = z
  .object({
    prefix: z.string().describe("The first characters of the token, to recognise it."),
    expiresAt: Timestamp,
    expired: z.boolean().describe("Whether it can no longer be claimed; issue a new one."),
  })
  .meta({ id: "NodeEnrollment" });
export type NodeEnrollment = z.infer<typeof NodeEnrollment>;

/** An edge collector: a principal of kind node, placed in a location. */
export const Node = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string().nullable(),
    location: z.object({ id: z.uuid(), path: z.string() }),
    status: z
      .enum(["pending", "enrolled"])
      .describe("pending: it has never claimed an enrollment token; enrolled: it has."),
    enrollment: NodeEnrollment.nullable().describe(
      "The outstanding enrollment token, if one was issued and not yet claimed.",
    ),
    enrolledAt: Timestamp.nullable(),
    lastSeenAt: Timestamp.nullable(),
    disabled: z.boolean(),
    interfaceCount: z
      .number()
      .int()
      .nonnegative()
      .describe("How many component interfaces name it as their poller."),
    liveness: NodeLiveness.describe(
      "Its last heartbeat (current work, last error) and rejections.",
    ),
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Node" });
export type Node = z.infer<typeof Node>;

/** A node with a fresh enrollment token: the secret is in this answer only. */
export const NodeWithEnrollmentToken = Node.extend({
  enrollmentToken: z
    .string()
    .describe(
      "The one-time enrollment secret (`og_…`). Shown in this response only; store it now.",
    ),
}).meta({ id: "NodeWithEnrollmentToken" });
export type NodeWithEnrollmentToken = z.infer<typeof NodeWithEnrollmentToken>;

export const ExpiresInHours = z
  .number()
  .int()
  .min(1)
  .max(720)
  .default(24)
  .describe("How long the enrollment token can be claimed, in hours (1–720, default 24).");

export const ListNodesInput = ListInput.extend({
  filter: Filter.describe(
    "Space-separated `field=value` terms: `location` (a location reference: nodes placed in it or below).",
  ),
  q: Search,
  order_by: orderBy(["name", "created_at"], "name"),
});
export type ListNodesInput = z.infer<typeof ListNodesInput>;

export const CreateNodeInput = z.object({
  name: Name.describe("Unique among all principals."),
  label: Label.optional(),
  location: Ref.describe("Where it is placed: a location's id, name or dotted path."),
  expiresInHours: ExpiresInHours,
});
export type CreateNodeInput = z.infer<typeof CreateNodeInput>;

export const UpdateNodeInput = z.object({
  ref: Ref.describe("The node: id or name."),
  label: Label.nullable().optional(),
  version: Version,
});
export type UpdateNodeInput = z.infer<typeof UpdateNodeInput>;

export const IssueEnrollmentInput = z.object({
  ref: Ref.describe("The node: id or name."),
  expiresInHours: ExpiresInHours,
});
export type IssueEnrollmentInput = z.infer<typeof IssueEnrollmentInput>;
