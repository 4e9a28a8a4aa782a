import { AuditEntry, AuditLogInput, listOf } from "@omniglass/contracts";
import { findAuditLog } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/audit-log",
    tags: ["access"],
    summary: "Read the audit log",
    description: "Newest first; filter by resource, resource id, actor, verb and time range.",
  },
};

export const listAuditLog = capability("audit:read")
  .meta(meta)
  .input(AuditLogInput)
  .output(listOf(AuditEntry))
  .query(({ ctx, input }) => findAuditLog({ db: ctx.deps.db, meta: ctx.meta, input }));
