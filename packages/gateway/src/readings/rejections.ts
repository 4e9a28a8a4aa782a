import { desc, eq } from "drizzle-orm";
import type { RejectionCount, RejectionReason } from "@omniglass/contracts";

import { resolveComponent } from "../components/resolve-component";
import type { Database } from "../db";
import { resolveNode } from "../nodes/resolve-node";
import { component, principal, sampleRejection } from "../schema";
import type { GatewayContext } from "../kit";

/** At most this many rejection counts are answered, newest first. */
export const MAX_REJECTION_ROWS = 200;

function rejectionQuery(db: Database) {
  return db
    .select({
      row: sampleRejection,
      sourceName: principal.name,
      componentPath: component.path,
    })
    .from(sampleRejection)
    .innerJoin(principal, eq(principal.id, sampleRejection.sourceId))
    .leftJoin(component, eq(component.id, sampleRejection.componentId));
}

type Row = Awaited<ReturnType<ReturnType<typeof rejectionQuery>["where"]>>[number];

const toRejectionCount = (r: Row): RejectionCount => ({
  source: { id: r.row.sourceId, name: r.sourceName },
  component:
    r.row.componentId && r.componentPath ? { id: r.row.componentId, path: r.componentPath } : null,
  signal: r.row.signal,
  reason: r.row.reason as RejectionReason,
  count: r.row.count,
  lastDetail: r.row.lastDetail,
  firstAt: r.row.firstAt.toISOString(),
  lastAt: r.row.lastAt.toISOString(),
});

/** Samples rejected for a component (`component:read` on it), by source, signal and reason. */
export async function listComponentRejections({
  db,
  actor,
  ref,
}: GatewayContext & { ref: string }): Promise<{ items: RejectionCount[] }> {
  const found = await resolveComponent(db, actor, ref);
  const rows = await rejectionQuery(db)
    .where(eq(sampleRejection.componentId, found.row.id))
    .orderBy(desc(sampleRejection.lastAt))
    .limit(MAX_REJECTION_ROWS);
  return { items: rows.map(toRejectionCount) };
}

/** Samples rejected from a node (`node:read` on it), by component, signal and reason. */
export async function listNodeRejections({
  db,
  actor,
  ref,
}: GatewayContext & { ref: string }): Promise<{ items: RejectionCount[] }> {
  const found = await resolveNode(db, actor, ref);
  const rows = await rejectionQuery(db)
    .where(eq(sampleRejection.sourceId, found.row.id))
    .orderBy(desc(sampleRejection.lastAt))
    .limit(MAX_REJECTION_ROWS);
  return { items: rows.map(toRejectionCount) };
}
