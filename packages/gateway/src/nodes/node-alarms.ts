import { sql } from "drizzle-orm";
import type { Database, Transaction } from "../db";
import {
  openAlarm,
  resolveAlarmByClear,
  withCascade,
  type AlarmChange,
} from "../alarms/transitions";
import { recomputeHealth, type HealthChange } from "../health";
import { evaluateNoDataRules } from "../rules/clock-no-data";
import { COLLECTOR_DOWN_RULE_ID, unsafeEnsureCollectorRule } from "./collector-rule";
import { DEFAULT_HEARTBEAT_INTERVAL_MS, MISSED_BEATS } from "./resolve-node";
import { uuidArray } from "../rules/component-facts";

export interface NodeAlarmPassResult {
  /** Node alarms opened or resolved, and no-data alarms of the components of a node back. */
  alarms: AlarmChange[];
  /** Nodes whose liveness turned (down: an alarm opened; up: it resolved). */
  nodes: { id: string; name: string; state: "down" | "up" }[];
  /** Components those nodes poll: their health reads collector-down, or no longer does. */
  componentIds: string[];
  /** Verdicts that moved, recomputed in the same transaction. */
  health: HealthChange[];
  /** false when another worker held the pass (it ran this second's pass instead). */
  ran: boolean;
}

/** Series of the components a returning node polls, wait this many of their intervals. */
const RETURN_HOLD_INTERVALS = 2;

/**
 * The clock's node pass: collector down is not device down. A node that stops heartbeating
 * (offline by the node list's rule: no heartbeat for MISSED_BEATS of its intervals) gets ONE open
 * alarm of the built-in collector-down rule (owner kind node), dated when it turned offline and
 * resolved, dated by its heartbeat, once it is online again. A node that never sent one (not
 * started yet) raises nothing.
 *
 * While it is down, the no-data rules of what only it polls are not judged (the stale pass and
 * the sustain pass skip them). When it comes back, the stale series of those components are
 * judged as a fresh transition, holding any firing episode for RETURN_HOLD_INTERVALS of the
 * series' expected interval so the node's first polls can arrive: silence that outlives its
 * collector's return is the device's.
 *
 * One worker at a time (a transaction-scoped advisory lock, skipped when held); the partial
 * unique index on open alarms stands behind it.
 */
export async function unsafeSyncNodeAlarms(
  db: Database,
  { now = new Date() }: { now?: Date } = {},
): Promise<NodeAlarmPassResult> {
  return db.transaction((tx) => syncNodeAlarms(tx, now.getTime()));
}

async function syncNodeAlarms(tx: Transaction, now: number): Promise<NodeAlarmPassResult> {
  const none = { alarms: [], nodes: [], componentIds: [], health: [] };
  const lock = await tx.execute(
    sql`select pg_try_advisory_xact_lock(hashtext('omniglass-node-pass')) as taken`,
  );
  if (!(lock.rows[0] as { taken: boolean }).taken) return { ...none, ran: false };
  const rule = await unsafeEnsureCollectorRule(tx);
  const result = await tx.execute(sql`
    select n.id, p.name,
      (extract(epoch from coalesce(n.last_seen_at, (n.heartbeat->>'beatAt')::timestamptz)) * 1000)::float8 as seen,
      coalesce((n.heartbeat->>'intervalMs')::bigint, ${DEFAULT_HEARTBEAT_INTERVAL_MS})::float8 as iv,
      (select (extract(epoch from a.opened_at) * 1000)::float8 from alarm a
        where a.rule_id = ${COLLECTOR_DOWN_RULE_ID}::uuid and a.owner_kind = 'node'
          and a.node_id = n.id and a.lifecycle = 'open') as alarmed
    from node n join principal p on p.id = n.id
    where n.last_seen_at is not null or n.heartbeat is not null`);
  const alarms: AlarmChange[] = [];
  const nodes: NodeAlarmPassResult["nodes"] = [];
  for (const r of result.rows as {
    id: string;
    name: string;
    seen: number;
    iv: number;
    /** When its open alarm opened (ms); null: none open. */
    alarmed: number | null;
  }[]) {
    const seen = Number(r.seen);
    const offlineAt = seen + MISSED_BEATS * Number(r.iv);
    const online = now - seen <= MISSED_BEATS * Number(r.iv);
    const target = {
      ruleId: COLLECTOR_DOWN_RULE_ID,
      owner: { kind: "node" as const, id: r.id },
      instance: "",
    };
    const value = {
      node: r.name,
      lastHeartbeatAt: new Date(seen).toISOString(),
      intervalMs: Number(r.iv),
    };
    if (!online && r.alarmed === null && rule.enabled) {
      const change = await openAlarm(tx, target, {
        openedAt: offlineAt,
        sampleAt: seen,
        value,
        severity: rule.severity,
        summary: `Collector down: node ${r.name} has sent no heartbeat since ${new Date(seen).toISOString()}`,
        flapWindowMs: rule.flapWindowMs,
        flapThreshold: rule.flapThreshold,
        now,
      });
      if (change) {
        // With the alarms of what it polls, now held by it (collector down explains them).
        alarms.push(...withCascade(change));
        nodes.push({ id: r.id, name: r.name, state: "down" });
      }
    } else if (online && r.alarmed !== null) {
      // Dated by the heartbeat that came back (never before the alarm opened: a late beat).
      const clearedAt = Math.max(seen, Number(r.alarmed));
      const change = await resolveAlarmByClear(tx, target, { clearedAt, value, now });
      if (change) {
        alarms.push(...withCascade(change));
        nodes.push({ id: r.id, name: r.name, state: "up" });
      }
    }
  }
  if (nodes.length === 0) return { ...none, ran: true };

  const polled = await tx.execute(sql`
    select distinct ci.node_id as node, ci.component_id as c
    from component_interface ci where ci.node_id = any(${uuidArray(nodes.map((n) => n.id))}::uuid[])`);
  const byNode = new Map<string, string[]>();
  for (const p of polled.rows as { node: string; c: string }[])
    byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.c]);
  const componentIds = [...new Set([...byNode.values()].flat())].sort();

  const back = nodes.filter((n) => n.state === "up").flatMap((n) => byNode.get(n.id) ?? []);
  if (back.length > 0) {
    const stale = await tx.execute(sql`
      select s.component_id as c, s.instance as i, g.name as signal
      from series s join signal g on g.id = s.signal_id
      where s.component_id = any(${uuidArray([...new Set(back)])}::uuid[]) and s.state = 'stale'`);
    alarms.push(
      ...(await evaluateNoDataRules(
        tx,
        (stale.rows as { c: string; i: string; signal: string }[]).map((s) => ({
          componentId: s.c,
          instance: s.i,
          signal: s.signal,
        })),
        now,
        { holdIntervals: RETURN_HOLD_INTERVALS },
      )),
    );
  }
  const health = await recomputeHealth(tx, { componentIds });
  return { alarms, nodes, componentIds, health, ran: true };
}
