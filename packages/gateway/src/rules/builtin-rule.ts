import { sql } from "drizzle-orm";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";

/*
 * A built-in rule seeded in code (collector-down, endpoint-failing): one event_rule row with a
 * fixed id, origin builtin (listed, never changed or deleted), created when missing — idempotent:
 * two workers creating it at once make one row; one statement when it exists.
 */

export interface BuiltinRuleSpec {
  id: string;
  name: string;
  label: string;
  description: string;
  severity: "info" | "warning" | "critical";
  /** Documents the condition; the pass that owns the rule judges it, never a sample. */
  fire: string;
  ownerKind: "node" | "endpoint";
}

/** What the owning pass needs of the row (an operator may have disabled it or changed its flap settings). */
export interface BuiltinRule {
  enabled: boolean;
  severity: string;
  flapWindowMs: number;
  flapThreshold: number;
}

const readRule = async (db: Database | Transaction, id: string) =>
  (
    await db.execute(sql`
      select enabled, severity, flap_window_seconds as fw, flap_threshold as ft
      from event_rule where id = ${id}::uuid`)
  ).rows[0] as { enabled: boolean; severity: string; fw: number; ft: number } | undefined;

export async function unsafeEnsureBuiltinRule(
  db: Database | Transaction,
  spec: BuiltinRuleSpec,
): Promise<BuiltinRule> {
  let row = await readRule(db, spec.id);
  if (!row) {
    await db.execute(sql`
      insert into event_rule (id, name, label, description, severity, fire, sustain_seconds,
        scope_kind, owner_kind, origin, enabled)
      values (${spec.id}::uuid, ${spec.name}, ${spec.label}, ${spec.description}, ${spec.severity},
        ${spec.fire}, 0, 'all', ${spec.ownerKind}, 'builtin', true)
      on conflict do nothing`);
    row = await readRule(db, spec.id);
  }
  if (!row)
    throw new OmniglassError(
      "CONFLICT",
      `A custom rule is named ${spec.name}: rename it so the built-in ${spec.name} rule can be created.`,
    );
  return {
    enabled: row.enabled,
    severity: row.severity,
    flapWindowMs: Number(row.fw) * 1000,
    flapThreshold: Number(row.ft),
  };
}
