import type { Database, Transaction } from "../db";
import { unsafeEnsureBuiltinRule, type BuiltinRule } from "../rules/builtin-rule";
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

export type CollectorRule = BuiltinRule;

/** The built-in rule, created when missing (one statement when it exists). */
export const unsafeEnsureCollectorRule = (db: Database | Transaction): Promise<CollectorRule> =>
  unsafeEnsureBuiltinRule(db, {
    id: COLLECTOR_DOWN_RULE_ID,
    name: COLLECTOR_DOWN_RULE_NAME,
    label: "Collector down",
    description: DESCRIPTION,
    severity: "critical",
    fire: 'fresh["heartbeat"] == false',
    ownerKind: "node",
  });
