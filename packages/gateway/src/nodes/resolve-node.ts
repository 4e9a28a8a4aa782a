import { and, eq, sql } from "drizzle-orm";
import type { Node, NodeLiveness } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition } from "../kit/refs";
import { locationScopeCondition } from "../locations/scope";
import { componentInterface, location, node, principal, sampleRejection } from "../schema";

export const nodeColumns = {
  row: node,
  name: principal.name,
  label: principal.label,
  disabledAt: principal.disabledAt,
  locationPath: location.path,
  interfaceCount: sql<number>`(select count(*)::int from ${componentInterface} where ${componentInterface.nodeId} = ${node.id})`,
  // Correlated like interfaceCount: a page of nodes stays one statement.
  rejected: sql<number>`(select coalesce(sum(${sampleRejection.count}), 0)::int from ${sampleRejection} where ${sampleRejection.sourceId} = ${node.id})`,
};

export type NodeRow = {
  row: typeof node.$inferSelect;
  name: string;
  label: string | null;
  disabledAt: Date | null;
  locationPath: string;
  interfaceCount: number;
  rejected: number;
};

/** Heartbeats missed before a node counts as offline. */
export const MISSED_BEATS = 3;
/** The heartbeat interval assumed of a node whose heartbeat does not say it. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

/** Online while its last heartbeat is within three of its intervals; never when it sent none. */
export function livenessOf(r: NodeRow, now: Date): NodeLiveness {
  const heartbeat = r.row.heartbeat ?? null;
  const seen = r.row.lastSeenAt?.getTime() ?? (heartbeat ? Date.parse(heartbeat.beatAt) : null);
  const state =
    seen === null
      ? "never"
      : now.getTime() - seen <=
          MISSED_BEATS * (heartbeat?.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS)
        ? "online"
        : "offline";
  return { state, heartbeat, rejected: r.rejected };
}

/** The wire view of a node: never its enrollment hash, only the token's prefix and expiry. */
export function toNode(r: NodeRow, now = new Date()): Node {
  const { enrollmentPrefix: prefix, enrollmentExpiresAt: expiresAt } = r.row;
  return {
    id: r.row.id,
    name: r.name,
    label: r.label,
    location: { id: r.row.locationId, path: r.locationPath },
    status: r.row.enrolledAt ? "enrolled" : "pending",
    enrollment:
      prefix && expiresAt
        ? {
            prefix,
            expiresAt: expiresAt.toISOString(),
            expired: expiresAt.getTime() <= now.getTime(),
          }
        : null,
    enrolledAt: r.row.enrolledAt?.toISOString() ?? null,
    lastSeenAt: r.row.lastSeenAt?.toISOString() ?? null,
    disabled: r.disabledAt !== null,
    interfaceCount: r.interfaceCount,
    liveness: livenessOf(r, now),
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}

export function nodeQuery(db: Database | Transaction) {
  return db
    .select(nodeColumns)
    .from(node)
    .innerJoin(principal, eq(principal.id, node.id))
    .innerJoin(location, eq(location.id, node.locationId));
}

/** Nodes are scoped by their location: a grant on a location subtree covers the nodes placed in it. */
export const nodeScope = (actor: Actor, capability: string) =>
  locationScopeCondition(actor, capability, location.path);

export const nodeNotFound = () =>
  new OmniglassError("NOT_FOUND", "No node matches that reference.");

/** A node by id or name (names are unique: a node is a principal), within `node:read` scope. */
export async function resolveNode(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<NodeRow> {
  const query = nodeQuery(db)
    .where(
      and(
        // Node names are principal names, unique: an id or a name, never a path.
        refCondition(ref, { id: node.id, name: principal.name }),
        nodeScope(actor, "node:read"),
      ),
    )
    .limit(1);
  const [row] = forUpdate ? await query.for("update", { of: node }) : await query;
  if (!row) throw nodeNotFound();
  return row;
}
