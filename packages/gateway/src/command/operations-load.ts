import { asc, desc, eq, gt, sql } from "drizzle-orm";
import type { NodeHeartbeat, WorkerJob } from "@omniglass/contracts";
import { hasCapability, type Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { nodeScope } from "../nodes/resolve-node";
import {
  component,
  componentInterface,
  location,
  maintenanceWindow,
  node,
  principal,
  template,
  worker,
} from "../schema";
import { windowQuery, windowScope, type WindowRow } from "../suppress/read-window";

/*
 * The operations read's statements (issue #16): each a single query whatever the estate's size,
 * bounded where the estate can be large. Five at most: nodes, desired functions per node (counts),
 * desired functions (rows), workers, windows.
 */

/** Desired function rows read at most (the counts cover all of them). */
export const DESIRED_FUNCTIONS_MAX = 5_000;
/** Workers read at most (the registry forgets a worker silent for a week). */
export const WORKERS_MAX = 200;
/** Maintenance windows read at most. */
export const WINDOWS_MAX = 500;

export interface NodeFacts {
  id: string;
  name: string;
  label: string | null;
  disabled: boolean;
  locationId: string;
  locationPath: string;
  heartbeat: NodeHeartbeat | null;
}

export interface DesiredFunction {
  nodeId: string;
  componentId: string;
  componentPath: string;
  interfaceName: string;
  fn: string;
  interval: string;
}

export interface WorkerRowFacts {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  lifecycle: "running" | "stopping" | "stopped";
  startedAt: Date;
  lastSeenAt: Date;
  intervalMs: number;
  consumers: { name: string; stream: string; pending: number; ackPending: number }[];
  lastError: string | null;
  jobs: WorkerJob[] | null;
  busy: string[] | null;
  natsServer: string | null;
}

/** Nodes in `node:read` scope with their last heartbeat, by location then name. */
export async function loadNodes(db: Database, actor: Actor): Promise<NodeFacts[]> {
  const rows = await db
    .select({
      id: node.id,
      name: principal.name,
      label: principal.label,
      disabledAt: principal.disabledAt,
      locationId: node.locationId,
      locationPath: location.path,
      heartbeat: node.heartbeat,
    })
    .from(node)
    .innerJoin(principal, eq(principal.id, node.id))
    .innerJoin(location, eq(location.id, node.locationId))
    .where(nodeScope(actor, "node:read"))
    .orderBy(asc(location.path), asc(principal.name));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    label: r.label,
    disabled: r.disabledAt !== null,
    locationId: r.locationId,
    locationPath: r.locationPath,
    heartbeat: r.heartbeat ?? null,
  }));
}

/**
 * The functions the worklists of the nodes in scope hold (what `getWorklist` hands each node:
 * every interface naming it that has a host or an address, × its template's functions on that
 * interface, the interface declared by the template). The templates' functions are expanded once
 * (a materialized CTE), not once per component.
 */
export function desiredSql(actor: Actor, tail: ReturnType<typeof sql>) {
  return sql`
    with tf as materialized (
      select t.id as template_id, f.value->>'name' as fn, f.value->>'interval' as interval,
             f.value->>'interface' as iface
      from ${template} t cross join lateral jsonb_array_elements(t.document->'functions') f
      where exists (select 1 from jsonb_array_elements(t.document->'interfaces') i
                    where i.value->>'name' = f.value->>'interface')
    ), d as (
      select ${componentInterface.nodeId} as node_id, ${component.id} as component_id,
             ${component.path} as component_path, ${componentInterface.name} as interface_name,
             tf.fn, tf.interval
      from ${componentInterface}
      join ${component} on ${component.id} = ${componentInterface.componentId}
      join tf on tf.template_id = ${component.templateId} and tf.iface = ${componentInterface.name}
      join ${node} on ${node.id} = ${componentInterface.nodeId}
      join ${location} on ${location.id} = ${node.locationId}
      where ${componentInterface.nodeId} is not null
        and coalesce(${componentInterface.host}, ${component.address}) is not null
        and ${nodeScope(actor, "node:read") ?? sql`true`}
    )
    ${tail}`;
}

export async function loadDesiredFunctions(
  db: Database,
  actor: Actor,
  max = DESIRED_FUNCTIONS_MAX,
): Promise<{ rows: DesiredFunction[]; perNode: Map<string, number> }> {
  const result = await db.execute<{
    node_id: string;
    component_id: string;
    component_path: string;
    interface_name: string;
    fn: string;
    interval: string;
  }>(
    desiredSql(
      actor,
      sql`select * from d order by node_id, component_id, interface_name, fn limit ${max + 1}`,
    ),
  );
  const rows: DesiredFunction[] = result.rows.map((r) => ({
    nodeId: r.node_id,
    componentId: r.component_id,
    componentPath: r.component_path,
    interfaceName: r.interface_name,
    fn: r.fn,
    interval: r.interval,
  }));
  const perNode = new Map<string, number>();
  if (rows.length > max) {
    // Too many to list: counted per node in a second statement.
    const counted = await db.execute<{ node_id: string; n: number }>(
      desiredSql(actor, sql`select node_id, count(*)::int as n from d group by node_id`),
    );
    for (const r of counted.rows) perNode.set(r.node_id, Number(r.n));
    rows.length = max;
  } else {
    for (const r of rows) perNode.set(r.nodeId, (perNode.get(r.nodeId) ?? 0) + 1);
  }
  return { rows, perNode };
}

/** The worker registry (platform-level: empty without `worker:read`), newest first. */
export async function loadWorkers(
  db: Database,
  actor: Actor,
  { always = false }: { always?: boolean } = {},
): Promise<WorkerRowFacts[]> {
  if (!always && !hasCapability(actor, "worker:read")) return [];
  const rows = await db
    .select()
    .from(worker)
    .where(gt(worker.lastSeenAt, sql`now() - interval '7 days'`))
    .orderBy(desc(worker.lastSeenAt), desc(worker.id))
    .limit(WORKERS_MAX);
  return rows.map((r) => ({
    id: r.id,
    hostname: r.hostname,
    pid: r.pid,
    version: r.version,
    lifecycle: r.lifecycle,
    startedAt: r.startedAt,
    lastSeenAt: r.lastSeenAt,
    intervalMs: r.intervalMs,
    consumers: r.consumers,
    lastError: r.lastError,
    jobs: r.jobs ?? null,
    busy: r.busy ?? null,
    natsServer: r.natsServer ?? null,
  }));
}

/** Maintenance windows in `maintenance:read` scope, by name. */
export async function loadWindows(db: Database, actor: Actor): Promise<WindowRow[]> {
  if (!hasCapability(actor, "maintenance:read")) return [];
  return windowQuery(db)
    .where(windowScope(actor, "maintenance:read"))
    .orderBy(asc(maintenanceWindow.name))
    .limit(WINDOWS_MAX);
}
