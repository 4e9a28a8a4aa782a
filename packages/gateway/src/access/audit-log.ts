import { and, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { AuditEntry, AuditLogInput, RequestMeta } from "@omniglass/contracts";
import { locationScope, type Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { readCursor, toPage } from "../list";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { auditLog, principal } from "../schema";

/** Rows about principals and what hangs off them are read with `principal:read`. */
const PRINCIPAL_FAMILY = ["principal", "grant", "token", "session", "role"];

/** The read capability that decides who may see the rows about `resource`. */
export function auditReadCapability(resource: string): string {
  if (PRINCIPAL_FAMILY.includes(resource)) return "principal:read";
  if (resource === "system-role") return "system:read";
  return `${resource}:read`;
}

/** Resources whose rows carry a placement (where the object stood when the row was written). */
const PLACED = [
  "location",
  "node",
  "system",
  "system-role",
  "component",
  "tag",
  "variable",
  "alarm",
];

const onAll = (actor: Actor, capability: string) => locationScope(actor, capability).kind === "all";

/**
 * The condition under which audit rows are visible to `actor`: a placed row when the actor may
 * read that kind of object where it stood (the one scope helper, on the row's stored path), a
 * platform-wide row only with the matching read on scope all. Fails closed: a resource nobody
 * names here is platform-wide.
 */
function auditScopeCondition(actor: Actor): SQL | undefined {
  const placed = PLACED.map((resource) => {
    const capability = auditReadCapability(resource);
    const path = auditLog.scopePath;
    const atKind = (kind: "location" | "system" | "component", condition: SQL | undefined) =>
      and(eq(auditLog.scopeKind, kind), condition);
    return and(
      eq(auditLog.resource, resource),
      or(
        atKind("location", locationScopeCondition(actor, capability, path)),
        atKind(
          "system",
          placedScopeCondition(actor, capability, { path, systemId: auditLog.scopeId }),
        ),
        atKind(
          "component",
          placedScopeCondition(actor, capability, { path, componentId: auditLog.scopeId }),
        ),
      ),
    )!;
  });
  // Platform-wide rows: every read pattern the actor holds on scope all names the resources it opens.
  const reads = actor.grants
    .filter((grant) => grant.scope.kind === "all")
    .flatMap((grant) => grant.permissions.map((p) => p.split(":")))
    .filter(([, action]) => action === "*" || action === "read")
    .map(([resource]) => resource!);
  const readAll = reads.includes("*");
  const resources = new Set<string>();
  for (const resource of reads) {
    if (resource === "principal") PRINCIPAL_FAMILY.forEach((r) => resources.add(r));
    else resources.add(resource);
  }
  const platform = readAll
    ? eq(auditLog.scopeKind, "platform")
    : resources.size > 0
      ? and(eq(auditLog.scopeKind, "platform"), inArray(auditLog.resource, [...resources]))
      : undefined;
  return or(...placed, platform) ?? sql`false`;
}

/** Token prefixes are shown only to those who administer principals (on scope all). */
function withoutTokenPrefix(image: unknown): unknown {
  if (!image || typeof image !== "object") return image;
  const { prefix: _hidden, ...rest } = image as Record<string, unknown>;
  return rest;
}

/**
 * The audit log, newest first, filtered by resource, actor, verb and time range; one statement a
 * page. Scoped like every read: a reader sees the history of what it can read (where the object
 * stood when the row was written) and nothing else; see `auditScopeCondition`.
 */
export async function findAuditLog({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
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
  const showPrefixes = onAll(actor, "principal:update");
  const rows = await db
    .select({ row: auditLog, actorName: principal.name })
    .from(auditLog)
    .leftJoin(principal, eq(principal.id, auditLog.actorId))
    .where(
      and(
        auditScopeCondition(actor),
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
    ({ row }) => [row.at.toISOString(), row.id],
    ({ row, actorName }): AuditEntry => {
      const hide = row.resource === "token" && !showPrefixes;
      return {
        id: row.id,
        at: row.at.toISOString(),
        actorId: row.actorId,
        actorName: actorName ?? null,
        realActorId: row.realActorId,
        verb: row.verb,
        resource: row.resource,
        resourceId: row.resourceId,
        before: hide ? withoutTokenPrefix(row.before) : row.before,
        after: hide ? withoutTokenPrefix(row.after) : row.after,
        requestId: row.requestId,
        source: row.source,
        ip: row.ip,
      };
    },
  );
}

/** Every audit row, unscoped: for tests that check a mutation wrote exactly one. */
export async function unsafeCountAuditRows(db: Database): Promise<number> {
  return db.$count(auditLog);
}
