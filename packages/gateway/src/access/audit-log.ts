import { and, desc, eq, gte, lt, lte, or } from "drizzle-orm";
import type { AuditEntry, AuditLogInput, RequestMeta } from "@omniglass/contracts";
import type { Database } from "../db";
import { readCursor, toPage } from "../list";
import { auditLog } from "../schema";

/**
 * The audit log, newest first, filtered by resource, actor, verb and time range; one statement a page.
 * The log is platform-wide: `audit:read` (owner and admin) reads all of it.
 */
export async function findAuditLog({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: AuditLogInput;
}) {
  const cursor = readCursor(input, 2);
  const after = cursor
    ? or(
        lt(auditLog.at, new Date(String(cursor[0]))),
        and(eq(auditLog.at, new Date(String(cursor[0]))), lt(auditLog.id, String(cursor[1]))),
      )
    : undefined;
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        after,
        input.resource ? eq(auditLog.resource, input.resource) : undefined,
        input.resource_id ? eq(auditLog.resourceId, input.resource_id) : undefined,
        input.actor ? eq(auditLog.actorId, input.actor) : undefined,
        input.verb ? eq(auditLog.verb, input.verb) : undefined,
        input.from ? gte(auditLog.at, new Date(input.from)) : undefined,
        input.to ? lte(auditLog.at, new Date(input.to)) : undefined,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.at.toISOString(), r.id],
    (r): AuditEntry => ({ ...r, at: r.at.toISOString() }),
  );
}
