import { sql } from "drizzle-orm";
import type { TemplateDocument } from "@omniglass/contracts";
import { parseDuration } from "@omniglass/domain";
import type { Database } from "../db";

/*
 * What a node is assigned to poll: for each interface bound to it (component_interface.node_id),
 * the functions of the component's pinned template that use that interface, and the signals
 * they output, at the function's interval. The worker binds a node's samples to these pairs: a
 * sample for a (component, signal) the node does not poll is rejected `not-polled`.
 */

export interface NodeAssignments {
  nodeId: string;
  /** Whether the node exists (a deleted node's batches are dropped: nothing to count them on). */
  exists: boolean;
  /** `${componentId}|${signal}` → the expected interval in ms (the shortest, if several). */
  intervals: Map<string, number>;
  loadedAt: number;
}

export const assignmentKey = (componentId: string, signal: string) => `${componentId}|${signal}`;

/** Reads a node's assignments from the database (uncached). */
export async function unsafeLoadNodeAssignments(
  db: Database,
  nodeId: string,
): Promise<NodeAssignments> {
  const result = await db.execute(sql`
    select n.id as node, ci.component_id as component, ci.name as interface, t.document
    from (select ${nodeId}::uuid as id) q
    left join node n on n.id = q.id
    left join component_interface ci on ci.node_id = n.id
    left join component c on c.id = ci.component_id
    left join template t on t.id = c.template_id`);
  const rows = result.rows as {
    node: string | null;
    component: string | null;
    interface: string | null;
    document: TemplateDocument | null;
  }[];
  const intervals = new Map<string, number>();
  for (const row of rows) {
    if (!row.component || !row.document) continue;
    for (const fn of row.document.functions ?? []) {
      if (fn.interface !== row.interface) continue;
      const ms = parseDuration(fn.interval);
      for (const output of fn.outputs) {
        const key = assignmentKey(row.component, output.signal);
        const prev = intervals.get(key);
        if (prev === undefined || ms < prev) intervals.set(key, ms);
      }
    }
  }
  return { nodeId, exists: rows.some((r) => r.node !== null), intervals, loadedAt: Date.now() };
}

export const ASSIGNMENTS_TTL_MS = 15_000;
/** A miss (an unknown pair) reloads a node's assignments at most this often. */
const MISS_RELOAD_MS = 2_000;

/**
 * A per-process cache of node assignments: fresh for 15 s; a sample naming a pair the cached
 * copy lacks reloads it early (at most every 2 s), so a newly bound interface is accepted at once.
 */
export function createAssignmentCache(db: Database, ttlMs = ASSIGNMENTS_TTL_MS) {
  const cache = new Map<string, NodeAssignments>();
  return {
    async get(nodeId: string, wanted: Iterable<string> = []): Promise<NodeAssignments> {
      let entry = cache.get(nodeId);
      const age = entry ? Date.now() - entry.loadedAt : Infinity;
      let reload = age > ttlMs;
      if (!reload && entry && age > MISS_RELOAD_MS) {
        for (const key of wanted)
          if (!entry.intervals.has(key)) {
            reload = true;
            break;
          }
      }
      if (reload || !entry) {
        entry = await unsafeLoadNodeAssignments(db, nodeId);
        cache.set(nodeId, entry);
      }
      return entry;
    },
    forget(nodeId?: string) {
      if (nodeId) cache.delete(nodeId);
      else cache.clear();
    },
  };
}
export type AssignmentCache = ReturnType<typeof createAssignmentCache>;
