import type { RequestMeta } from "@omniglass/contracts";
import { eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Transaction } from "./db";
import { auditLog, component, system } from "./schema";

/**
 * Where the audited object stood when the row was written; audit reads are scoped by it (a reader
 * sees the rows of what it could read there). `platform`: principals, grants, tokens, sessions and
 * registries — readable only with the matching read on scope all.
 */
export type AuditPlacement =
  | { kind: "location"; path: string }
  | { kind: "system" | "component"; path: string; id: string | null }
  | { kind: "platform" };

export interface AuditEntry {
  verb: string;
  resource: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
  /** Given by writers that know it; otherwise derived from the resource and its images. */
  placement?: AuditPlacement;
}

const PLATFORM: AuditPlacement = { kind: "platform" };
const field = (image: unknown, key: string): unknown =>
  image && typeof image === "object" ? (image as Record<string, unknown>)[key] : undefined;
const text = (value: unknown): string | null =>
  typeof value === "string" && value.length > 0 ? value : null;

/**
 * The placement of an entry from what every writer already records: a location's, system's or
 * component's `path`, a node's `location.path`, a system role's system, a binding's level and path.
 * Anything else (or an image without a path) is platform-wide: fail closed.
 */
async function placementOf(tx: Transaction, entry: AuditEntry): Promise<AuditPlacement> {
  if (entry.placement) return entry.placement;
  const image = entry.after ?? entry.before;
  const path = text(field(image, "path"));
  switch (entry.resource) {
    case "location":
      return path ? { kind: "location", path } : PLATFORM;
    case "node": {
      const at = text(field(field(image, "location"), "path"));
      return at ? { kind: "location", path: at } : PLATFORM;
    }
    case "system":
    case "component":
      return path ? { kind: entry.resource, path, id: entry.resourceId } : PLATFORM;
    case "system-role": {
      const systemId = text(field(image, "systemId"));
      if (!systemId) return PLATFORM;
      const [found] = await tx
        .select({ path: system.path })
        .from(system)
        .where(eq(system.id, systemId));
      return found ? { kind: "system", path: found.path, id: systemId } : PLATFORM;
    }
    case "tag":
    case "variable": {
      const level = field(image, "level");
      if (!path) return PLATFORM;
      if (level === "location") return { kind: "location", path };
      if (level === "system" || level === "component") {
        const table = level === "system" ? system : component;
        const [found] = await tx.select({ id: table.id }).from(table).where(eq(table.path, path));
        return { kind: level, path, id: found?.id ?? null };
      }
      return PLATFORM;
    }
    default:
      return PLATFORM;
  }
}

const SECRET_KEY = /password|secret|token|hash|credential/i;

/** Replaces the value of every key that could hold a secret, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) && inner !== null && inner !== undefined
          ? "[redacted]"
          : redact(inner),
      ]),
    );
  }
  return value;
}

/**
 * Writes the audit row of a mutation. It takes a transaction, not a database handle, so the row
 * commits or rolls back with the change it describes.
 */
export async function writeAudit(
  tx: Transaction,
  meta: RequestMeta,
  entry: AuditEntry,
): Promise<void> {
  await writeAudits(tx, meta, [entry]);
}

/** Several entries of one request in one statement (a bulk write: one row per object changed). */
export async function writeAudits(
  tx: Transaction,
  meta: RequestMeta,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = [];
  for (const entry of entries) rows.push(auditRow(meta, entry, await placementOf(tx, entry)));
  await tx.insert(auditLog).values(rows);
}

function auditRow(meta: RequestMeta, entry: AuditEntry, placement: AuditPlacement) {
  return {
    id: uuidv7(),
    // Millisecond precision, like every timestamp on the wire, so page cursors compare exactly.
    at: new Date(),
    actorId: meta.actor?.id ?? null,
    realActorId: meta.realActor?.id ?? meta.actor?.id ?? null,
    verb: entry.verb,
    resource: entry.resource,
    resourceId: entry.resourceId,
    before: entry.before === undefined ? null : redact(entry.before),
    after: entry.after === undefined ? null : redact(entry.after),
    requestId: meta.requestId,
    source: meta.source,
    ip: meta.ip,
    scopeKind: placement.kind,
    scopePath: placement.kind === "platform" ? null : placement.path,
    scopeId: placement.kind === "system" || placement.kind === "component" ? placement.id : null,
  };
}
