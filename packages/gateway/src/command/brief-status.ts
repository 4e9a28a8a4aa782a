import { and, count, eq } from "drizzle-orm";
import type { Alarm, BriefItem, BriefLink, BriefTile, BriefTileKey } from "@omniglass/contracts";
import { hasCapability, locationScope, type Actor } from "@omniglass/domain";
import { endpointScope } from "../act/read-endpoint";
import { findDeliveries } from "../act/find-act";
import { findAlarms } from "../alarms/find-alarms";
import { findComponents } from "../components/find-components";
import { findEstatePlans } from "../estate/plans";
import type { GatewayContext } from "../kit";
import { isDatabaseUnavailable } from "../ping";
import { delivery, location, webhookEndpoint } from "../schema";
import { findSystems } from "../systems/find-systems";
import { listWorkers } from "../workers/list-workers";
import { findDownCollectors } from "./brief-collectors";

/*
 * The brief status's reads (issue #16, DESIGN.md §9): each tile is the list view's own read
 * with the view's filter (findAlarms for the alarm queue's new lane, findSystems and
 * findComponents with `health=…`, findDeliveries with `status=dead`, findEstatePlans with
 * `status=pending`, the worker registry), scoped by the capability the view uses, so a count here
 * is the view's total. A tile the caller lacks the capability for is left out (never a zero).
 * A constant number of statements whatever the estate's size (pinned by its integration test).
 */

/** What the brief read tells about the collectors and workers as sources (null: not readable). */
export interface BriefProcessSource {
  state: "up" | "down" | "degraded" | "unknown";
  detail: string | null;
}

export interface BriefStatusRead {
  scope: "all" | "partial";
  tiles: BriefTile[];
  collectors: BriefProcessSource | null;
  workers: BriefProcessSource | null;
}

type TileBody = Pick<BriefTile, "total" | "items"> &
  Partial<Pick<BriefTile, "totalIsLowerBound" | "breakdown">>;

interface TileSpec {
  key: BriefTileKey;
  title: string;
  capability: string;
  source: string;
  dependsOn: BriefTile["dependsOn"];
  viewAll: string;
  api: string;
}

/** The most a tile reads to count in memory (workers, pending plans: a handful in practice). */
const COUNT_CAP = 500;

export const BRIEF_VIEWS = {
  alarms: "/alarms?severity=critical",
  systems: "/systems?health=outage%2Cdegraded",
  components: "/components?health=unknown",
  collectors: "/nodes",
  workers: "/platform",
  deliveries: "/deliveries?status=dead",
  plans: "/estate-plans?status=pending",
} as const;

const parentPath = (path: string) => path.split(".").slice(0, -1).join(".");

function alarmLinks(a: Alarm): BriefLink[] {
  const links: BriefLink[] = [{ kind: "alarm", id: a.id, ref: a.id }];
  const o = a.owner;
  if (o.kind === "component" || o.kind === "system") {
    links.push({ kind: o.kind, id: o.id, ref: o.path });
    const room = parentPath(o.path);
    if (room) links.push({ kind: "location", id: null, ref: room });
  } else if (o.kind === "location") links.push({ kind: "location", id: o.id, ref: o.path });
  else if (o.kind === "node") links.push({ kind: "node", id: o.id, ref: o.path });
  else links.push({ kind: "endpoint", id: o.id, ref: o.path });
  return links;
}

export async function readBriefStatus(
  context: GatewayContext & { items: number },
): Promise<BriefStatusRead> {
  const { db, actor, items: n } = context;
  let collectors: BriefProcessSource | null = null;
  let workers: BriefProcessSource | null = null;

  const reads: Promise<BriefTile | null>[] = [
    tile(
      actor,
      {
        key: "alarms",
        title: "Critical alarms nobody owns",
        capability: "alarm:read",
        source: "alarm table via alarm.list (the queue's new lane: open, unacknowledged, not held)",
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.alarms,
        api: "GET /api/v1/alarms?state=open&severity=critical&acknowledged=false&suppressed=false",
      },
      async () => {
        const page = await findAlarms({
          ...context,
          input: {
            state: "open",
            severity: "critical",
            acknowledged: false,
            suppressed: false,
            page_size: n,
            order_by: "-openedAt",
          },
        });
        return {
          total: page.totalSize ?? page.items.length,
          items: page.items.map((a): BriefItem => ({
            title: a.summary,
            state: a.severity,
            at: a.openedAt,
            detail: `${a.rule.name}${a.flapping ? " · flapping" : ""}`,
            links: alarmLinks(a),
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "systems",
        title: "Systems in outage or degraded",
        capability: "system:read",
        source: "health verdicts via system.list (filter health=outage / health=degraded)",
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.systems,
        api: "GET /api/v1/systems?filter=health%3Doutage%2Cdegraded",
      },
      async () => {
        // Outage first: two reads of the list (each its page and its total), then degraded.
        const [outage, degraded] = await Promise.all(
          (["outage", "degraded"] as const).map((verdict) =>
            findSystems({
              ...context,
              input: { filter: `health=${verdict}`, page_size: n, order_by: "path" },
            }),
          ),
        );
        const shown = [...outage!.items, ...degraded!.items].slice(0, n);
        return {
          total: (outage!.totalSize ?? 0) + (degraded!.totalSize ?? 0),
          breakdown: { outage: outage!.totalSize ?? 0, degraded: degraded!.totalSize ?? 0 },
          items: shown.map((s): BriefItem => ({
            title: s.path,
            state: s.health?.verdict ?? "unknown",
            at: s.health?.since ?? null,
            detail: `${s.type} · ${s.memberCount} members`,
            links: [
              { kind: "system", id: s.id, ref: s.path },
              { kind: "location", id: s.location.id, ref: s.location.path },
            ],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "components",
        title: "Components unknown or not monitored",
        capability: "component:read",
        source: "health verdicts via component.list (filter health=unknown)",
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.components,
        api: "GET /api/v1/components?filter=health%3Dunknown",
      },
      async () => {
        const page = await findComponents({
          ...context,
          input: { filter: "health=unknown", page_size: n, order_by: "path" },
        });
        return {
          total: page.totalSize ?? page.items.length,
          items: page.items.map((c): BriefItem => ({
            title: c.path,
            state: "unknown",
            at: c.health?.since ?? null,
            detail: `${c.template.name} · no current data, its collector is down, or not monitored`,
            links: [
              { kind: "component", id: c.id, ref: c.path },
              { kind: "location", id: c.location.id, ref: c.location.path },
            ],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "collectors",
        title: "Collectors down or silent",
        capability: "node:read",
        source: "node heartbeats (presence lane over NATS, kept in node.heartbeat)",
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.collectors,
        api: "GET /api/v1/nodes",
      },
      async () => {
        const found = await findDownCollectors({ db, actor, limit: n });
        collectors =
          found.enrolled === 0
            ? { state: "unknown", detail: "no enrolled collector in your scope" }
            : found.down === 0
              ? { state: "up", detail: `${found.enrolled} enrolled, every one heard from` }
              : {
                  state: found.down === found.enrolled ? "down" : "degraded",
                  detail: `${found.down} of ${found.enrolled} enrolled silent`,
                };
        return {
          total: found.down,
          breakdown: {
            offline: found.down - found.never,
            never: found.never,
            enrolled: found.enrolled,
          },
          items: found.items,
        };
      },
    ),
    tile(
      actor,
      {
        key: "workers",
        title: "Workers stale or none running",
        capability: "worker:read",
        source: "worker heartbeats over JetStream, kept in the worker registry (worker.list)",
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.workers,
        api: "GET /api/v1/workers",
      },
      async () => {
        const page = await listWorkers({ db, meta: context.meta, input: { page_size: COUNT_CAP } });
        const running = page.items.filter((w) => w.state === "running").length;
        const stale = page.items.filter((w) => w.state === "stale");
        workers =
          running === 0
            ? {
                state: "down",
                detail:
                  stale.length > 0
                    ? `no worker running; ${stale.length} stale`
                    : "no worker has reported",
              }
            : stale.length > 0
              ? { state: "degraded", detail: `${running} running, ${stale.length} stale` }
              : { state: "up", detail: `${running} running` };
        return {
          total: stale.length,
          totalIsLowerBound: page.nextPageToken !== null,
          breakdown: { running, stale: stale.length },
          items: stale.slice(0, n).map((w): BriefItem => ({
            title: `${w.hostname} · pid ${w.pid}`,
            state: "stale",
            at: w.lastSeenAt,
            detail:
              w.lastError ?? `silent for three heartbeat intervals (${w.intervalMs / 1000} s)`,
            links: [{ kind: "worker", id: w.id, ref: w.id }],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "deliveries",
        title: "Dead-lettered deliveries",
        capability: "action:read",
        source: "delivery log via delivery.list (status=dead)",
        dependsOn: ["database"],
        viewAll: BRIEF_VIEWS.deliveries,
        api: "GET /api/v1/deliveries?status=dead",
      },
      async () => {
        const [page, [counted]] = await Promise.all([
          findDeliveries({ db, actor, input: { status: "dead", page_size: n } }),
          // The list's own condition (its scope and status), counted.
          db
            .select({ n: count() })
            .from(delivery)
            .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
            .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
            .where(and(endpointScope(actor), eq(delivery.status, "dead"))),
        ]);
        return {
          total: counted?.n ?? 0,
          items: page.items.map((d): BriefItem => ({
            title: `${d.eventType} → ${d.endpointName}`,
            state: "dead",
            at: d.lastAttemptAt ?? d.createdAt,
            detail: `${d.attempts} attempts${d.lastStatusCode ? ` · last HTTP ${d.lastStatusCode}` : ""}${d.lastError ? ` · ${d.lastError}` : ""}`,
            links: [
              { kind: "delivery", id: d.id, ref: d.id },
              { kind: "endpoint", id: d.endpointId, ref: d.endpointName },
              ...(d.alarmId ? [{ kind: "alarm" as const, id: d.alarmId, ref: d.alarmId }] : []),
            ],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "plans",
        title: "Estate plans awaiting approval",
        capability: "estate:read",
        source: "estate plans via estate.plans (status=pending, not stale)",
        dependsOn: ["database"],
        viewAll: BRIEF_VIEWS.plans,
        api: "GET /api/v1/estate/plans?status=pending",
      },
      async () => {
        const page = await findEstatePlans({
          ...context,
          input: { status: "pending", page_size: COUNT_CAP },
        });
        // A pending plan whose base is no longer the state reads stale in the list: not awaiting.
        const pending = page.items.filter((p) => p.status === "pending");
        return {
          total: pending.length,
          totalIsLowerBound: page.nextPageToken !== null,
          breakdown: { pending: pending.length, stale: page.items.length - pending.length },
          items: pending.slice(0, n).map((p): BriefItem => ({
            title: p.summary.split("\n")[0] || `plan ${p.id.slice(0, 12)}`,
            state: "pending",
            at: p.createdAt,
            detail: `${p.changes} changes · ${p.approvals.length} of ${p.approvalsRequired} approvals · planned by ${p.planner}`,
            links: [{ kind: "plan", id: p.id, ref: p.id }],
          })),
        };
      },
    ),
  ];
  const tiles = (await Promise.all(reads)).filter((t): t is BriefTile => t !== null);
  return {
    scope: locationScope(actor, "alarm:read").kind === "all" ? "all" : "partial",
    tiles,
    collectors,
    workers,
  };
}

/**
 * One tile: left out when the caller lacks its capability; its read timed as of its start; a
 * database that does not answer makes it unavailable (the console keeps its last answer, marked
 * stale), any other error propagates.
 */
async function tile(
  actor: Actor,
  spec: TileSpec,
  read: () => Promise<TileBody>,
): Promise<BriefTile | null> {
  if (!hasCapability(actor, spec.capability)) return null;
  const asOf = new Date().toISOString();
  const base = { ...spec, asOf, stale: null };
  try {
    const body = await read();
    return {
      ...base,
      available: true,
      error: null,
      totalIsLowerBound: false,
      breakdown: {},
      ...body,
    };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return {
      ...base,
      available: false,
      error: "The database did not answer.",
      total: 0,
      totalIsLowerBound: false,
      breakdown: {},
      items: [],
    };
  }
}
