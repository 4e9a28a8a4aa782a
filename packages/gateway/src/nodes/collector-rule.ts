import { sql } from "drizzle-orm";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { MISSED_BEATS } from "./resolve-node";

/**
 * The built-in rule behind node alarms: a node that stops heartbeating is a collector down, not
 * its devices down. One row, `origin = builtin` (read-only like template rules: it can be listed,
 * not changed or deleted), `owner_kind = node`, critical, no sustain (offline already means
 * MISSED_BEATS intervals without a heartbeat). Its id is fixed so every process and test names
 * the same row; its fire expression documents the condition, the clock judges it from the
 * node's heartbeat (the node list's liveness rule), never from a component's values.
 */
export const COLLECTOR_DOWN_RULE_ID = "019a0000-0000-7000-8000-00000000c0d1";
export const COLLECTOR_DOWN_RULE_NAME = "collector-down";

const DESCRIPTION =
  `The node has sent no heartbeat for ${MISSED_BEATS} of its heartbeat intervals (the node list's "offline"). ` +
  "What only it polls reads unknown (collector down) and its no-data rules do not fire until it heartbeats again; " +
  "the alarm resolves with that heartbeat. Check the node's host, its service and its network path to NATS.";

export interface CollectorRule {
  enabled: boolean;
  severity: string;
  flapWindowMs: number;
  flapThreshold: number;
}

const readRule = async (db: Database | Transaction) =>
  (
    await db.execute(sql`
      select enabled, severity, flap_window_seconds as fw, flap_threshold as ft
      from event_rule where id = ${COLLECTOR_DOWN_RULE_ID}::uuid`)
  ).rows[0] as { enabled: boolean; severity: string; fw: number; ft: number } | undefined;

/**
 * The built-in rule, created when missing (idempotent: two workers creating it at once make one
 * row). One statement when it exists.
 */
export async function unsafeEnsureCollectorRule(
  db: Database | Transaction,
): Promise<CollectorRule> {
  let row = await readRule(db);
  if (!row) {
    await db.execute(sql`
      insert into event_rule (id, name, label, description, severity, fire, sustain_seconds,
        scope_kind, owner_kind, origin, enabled)
      values (${COLLECTOR_DOWN_RULE_ID}::uuid, ${COLLECTOR_DOWN_RULE_NAME}, 'Collector down',
        ${DESCRIPTION}, 'critical', 'fresh["heartbeat"] == false', 0, 'all', 'node', 'builtin', true)
      on conflict do nothing`);
    row = await readRule(db);
  }
  if (!row)
    throw new OmniglassError(
      "CONFLICT",
      `A custom rule is named ${COLLECTOR_DOWN_RULE_NAME}: rename it so the built-in collector-down rule can be created.`,
    );
  return {
    enabled: row.enabled,
    severity: row.severity,
    flapWindowMs: Number(row.fw) * 1000,
    flapThreshold: Number(row.ft),
  };
}
