import { and, asc, count, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
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
export const DESIRED_FUNCTIONS_MAX = 20_000;
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

const FN = sql`f.value`;

/**
 * The functions the worklists of the nodes in scope hold (what `getWorklist` hands each node:
 * every interface naming it that has a host or an address, × its template's functions on it),
 * selecting `fields`.
 */
function desiredFrom<F extends Parameters<Database["select"]>[0]>(
  db: Database,
  actor: Actor,
  fields: NonNullable<F>,
) {
  return db
    .select(fields)
    .from(componentInterface)
    .innerJoin(component, eq(component.id, componentInterface.componentId))
    .innerJoin(template, eq(template.id, component.templateId))
    .innerJoin(node, eq(node.id, componentInterface.nodeId))
    .innerJoin(location, eq(location.id, node.locationId))
    .innerJoin(sql`jsonb_array_elements(${template.document}->'functions') as f`, sql`true`)
    .where(
      and(
        isNotNull(componentInterface.nodeId),
        nodeScope(actor, "node:read"),
        sql`${FN}->>'interface' = ${componentInterface.name}`,
        sql`coalesce(${componentInterface.host}, ${component.address}) is not null`,
        sql`exists (select 1 from jsonb_array_elements(${template.document}->'interfaces') i where i.value->>'name' = ${componentInterface.name})`,
      ),
    );
}

export async function loadDesiredFunctions(
  db: Database,
  actor: Actor,
  max = DESIRED_FUNCTIONS_MAX,
): Promise<{ rows: DesiredFunction[]; perNode: Map<string, number> }> {
  const rows = await desiredFrom(db, actor, {
    nodeId: sql<string>`${componentInterface.nodeId}`,
    componentId: component.id,
    componentPath: component.path,
    interfaceName: componentInterface.name,
    fn: sql<string>`${FN}->>'name'`,
    interval: sql<string>`${FN}->>'interval'`,
  })
    .orderBy(asc(componentInterface.nodeId), asc(component.path), asc(componentInterface.name))
    .limit(max + 1);
  const perNode = new Map<string, number>();
  if (rows.length > max) {
    // Too many to list: counted per node in a second statement.
    const counted = await desiredFrom(db, actor, {
      nodeId: sql<string>`${componentInterface.nodeId}`,
      n: count(),
    }).groupBy(componentInterface.nodeId);
    for (const r of counted) perNode.set(r.nodeId, Number(r.n));
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
