import type { RequestMeta } from "@omniglass/contracts";
import { v7 as uuidv7 } from "uuid";
import type { Transaction } from "./db";
import { auditLog } from "./schema";

export interface AuditEntry {
  verb: string;
  resource: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
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
  await tx.insert(auditLog).values({
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
  });
}
