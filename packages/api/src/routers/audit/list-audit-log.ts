import { AuditEntry, AuditLogInput, listOf } from "@omniglass/contracts";
import { findAuditLog } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/audit-log",
    tags: ["access"],
    summary: "Read the audit log",
    description:
      "Newest first; filter by resource, resource id, actor, verb and time range. Scoped: you see the rows about what you may read where it stood (placed objects), and rows about principals, grants, tokens and registries only with their read on scope all.",
  },
};

export const listAuditLog = capability("audit:read")
  .meta(meta)
  .input(AuditLogInput)
  .output(listOf(AuditEntry))
  .query(({ ctx, input }) =>
    findAuditLog({ db: ctx.deps.db, actor: ctx.actor, meta: ctx.meta, input }),
  );
