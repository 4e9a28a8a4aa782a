import { z } from "zod";
import { ListInput, Timestamp } from "./common";

export const Role = z
  .object({
    id: z.uuid(),
    name: z.string(),
    label: z.string(),
    description: z.string(),
    permissions: z
      .array(z.string())
      .describe("Patterns `<resource>:<action>`; `*` matches any part."),
    official: z.boolean(),
  })
  .meta({ id: "Role" });

export type Role = z.infer<typeof Role>;

export const GrantScope = z
  .union([
    z.object({ kind: z.literal("all") }),
    z.object({
      kind: z.literal("location"),
      locationId: z.uuid(),
      path: z.string(),
      operator: z.enum(["subtree", "descendants", "self"]),
    }),
    z.object({
      kind: z.literal("system"),
      systemId: z.uuid(),
      path: z.string().describe("The system's path."),
      locationPath: z.string(),
    }),
  ])
  .meta({ id: "GrantScope" });

export const Me = z
  .object({
    principal: z.object({
      id: z.uuid(),
      kind: z.enum(["human", "service", "node"]),
      name: z.string(),
    }),
    permissions: z.array(z.string()),
    grants: z.array(z.object({ grantId: z.uuid(), role: z.string(), scope: GrantScope })),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof Me>;

export const AuditEntry = z
  .object({
    id: z.uuid(),
    at: Timestamp,
    actorId: z.uuid().nullable(),
    actorName: z
      .string()
      .nullable()
      .describe(
        "The acting principal's name; null for the platform's own work (migrations, seeds).",
      ),
    realActorId: z.uuid().nullable(),
    verb: z.string(),
    resource: z.string(),
    resourceId: z.string().nullable(),
    before: z
      .unknown()
      .describe("The resource before the change (secrets redacted); null on create."),
    after: z
      .unknown()
      .describe("The resource after the change (secrets redacted); null on delete."),
    requestId: z.string(),
    source: z.enum(["console", "rest", "cli", "worker"]),
    ip: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });

export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditLogInput = ListInput.extend({
  resource: z.string().max(100).optional(),
  resource_id: z.string().max(200).optional(),
  actor: z.uuid().optional().describe("The acting principal's id."),
  verb: z.string().max(100).optional(),
  from: Timestamp.optional().describe("Entries at or after this instant."),
  to: Timestamp.optional().describe("Entries at or before this instant."),
});
export type AuditLogInput = z.infer<typeof AuditLogInput>;
