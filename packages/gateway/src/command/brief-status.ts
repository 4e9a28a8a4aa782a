import { and, count, eq } from "drizzle-orm";
import type { BriefItem, BriefTile } from "@omniglass/contracts";
import { locationScope } from "@omniglass/domain";
import { endpointScope } from "../act/read-endpoint";
import { findDeliveries } from "../act/find-act";
import { findAlarms } from "../alarms/find-alarms";
import { findComponents } from "../components/find-components";
import { findEstatePlans } from "../estate/plans";
import type { GatewayContext } from "../kit";
import { delivery, location, webhookEndpoint } from "../schema";
import { findSystems } from "../systems/find-systems";
import {
  alarmLinks,
  BRIEF_VIEWS,
  byAttention,
  COUNT_CAP,
  PROCESS_ATTENTION,
  tile,
  TOTAL_CAP,
} from "./brief-tile";
import { COLLECTORS_SOURCE, readOperations, SCHEDULES_SOURCE, type Operations } from "./operations";

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

export async function readBriefStatus(
  context: GatewayContext & { items: number },
): Promise<BriefStatusRead> {
  const { db, actor, items: n } = context;
  let collectors: BriefProcessSource | null = null;
  let workers: BriefProcessSource | null = null;
  // Collectors, workers and schedules: H2's one read (and derivation) of them, run once and
  // shared by the three tiles, only when one of them is readable.
  let ops: Promise<Operations> | null = null;
  // Its summary detail (no worklists: the costly statement at scale), as the collectors view
  // reads it; overdue, failing and stuck functions are in each heartbeat's worst 100.
  const operations = () => (ops ??= readOperations({ db, actor, detail: "summary" }));

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
              totalCap: TOTAL_CAP,
            }),
          ),
        );
        const shown = [...outage!.items, ...degraded!.items].slice(0, n);
        return {
          total: (outage!.totalSize ?? 0) + (degraded!.totalSize ?? 0),
          totalIsLowerBound: !!(outage!.totalIsLowerBound || degraded!.totalIsLowerBound),
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
          totalCap: TOTAL_CAP,
        });
        return {
          total: page.totalSize ?? page.items.length,
          totalIsLowerBound: page.totalIsLowerBound ?? false,
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
        title: "Collectors down or stale",
        capability: "node:read",
        source: `${COLLECTORS_SOURCE} (operations.collectors)`,
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.collectors,
        api: "GET /api/v1/collectors",
      },
      async () => {
        const { collectors: report } = await operations();
        const all = report.collectors;
        const bad = all.filter((c) => PROCESS_ATTENTION.includes(c.state)).sort(byAttention);
        const count = (state: string) => all.filter((c) => c.state === state).length;
        collectors =
          all.length === 0
            ? { state: "unknown", detail: "no collector in your scope" }
            : bad.length === 0
              ? { state: "up", detail: `${all.length} collectors, none down or stale` }
              : {
                  state: bad.length === all.length ? "down" : "degraded",
                  detail: `${bad.length} of ${all.length} down or stale`,
                };
        return {
          total: bad.length,
          breakdown: {
            down: count("down"),
            stale: count("stale"),
            stuck: count("stuck"),
            degraded: count("degraded"),
            collectors: all.length,
          },
          items: bad.slice(0, n).map((c): BriefItem => ({
            title: c.name,
            state: c.state,
            at: c.lastActivityAt,
            detail: c.reason,
            links: [
              { kind: "node", id: c.id, ref: c.name },
              { kind: "location", id: c.location.id, ref: c.location.path },
            ],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "workers",
        title: "Workers down or stale",
        capability: "worker:read",
        source: `${COLLECTORS_SOURCE} (operations.collectors)`,
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.workers,
        api: "GET /api/v1/collectors",
      },
      async () => {
        const { collectors: report } = await operations();
        const all = report.workers;
        const bad = all.filter((w) => PROCESS_ATTENTION.includes(w.state)).sort(byAttention);
        const live = all.length - bad.length;
        workers =
          live === 0
            ? {
                state: "down",
                detail:
                  all.length > 0
                    ? `no worker up; ${bad.length} down or stale`
                    : "no worker has reported",
              }
            : bad.length > 0
              ? { state: "degraded", detail: `${live} up, ${bad.length} down or stale` }
              : { state: "up", detail: `${live} up` };
        return {
          total: bad.length,
          breakdown: {
            up: live,
            down: all.filter((w) => w.state === "down").length,
            stale: all.filter((w) => w.state === "stale").length,
          },
          items: bad.slice(0, n).map((w): BriefItem => ({
            title: w.name,
            state: w.state,
            at: w.lastActivityAt,
            detail: w.lastError ? `${w.reason}; last error: ${w.lastError}` : w.reason,
            links: [{ kind: "worker", id: w.id, ref: w.id }],
          })),
        };
      },
    ),
    tile(
      actor,
      {
        key: "schedules",
        title: "Overdue schedules",
        capability: "node:read",
        source: `${SCHEDULES_SOURCE} (operations.schedules)`,
        dependsOn: ["database", "nats"],
        viewAll: BRIEF_VIEWS.schedules,
        api: "GET /api/v1/schedules",
      },
      async () => {
        const { schedules } = await operations();
        const overdue = schedules.rows.filter((r) => r.state === "overdue");
        return {
          total: schedules.overdue,
          totalIsLowerBound: schedules.truncated,
          breakdown: { overdue: schedules.overdue, drift: schedules.drift },
          items: overdue.slice(0, n).map((r): BriefItem => ({
            title: r.name,
            state: "overdue",
            at: r.nextRunAt,
            detail: r.reason,
            links: [{ kind: "schedule", id: r.key, ref: r.link }],
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
        // The delivery lane consumes alarm transitions from NATS: while it is down, nothing new
        // is attempted or dead-lettered, so a zero here cannot be vouched for.
        dependsOn: ["database", "nats"],
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
