import { sql } from "drizzle-orm";
import { compileExpression, type CompiledExpression } from "@omniglass/domain";
import type { Database, Transaction } from "../db";

/** An enabled rule, compiled, with what the writer needs to decide where it applies. */
export interface ActiveRule {
  id: string;
  name: string;
  label: string | null;
  severity: "info" | "warning" | "critical";
  fire: CompiledExpression;
  clear: CompiledExpression | null;
  sustainMs: number;
  scopeKind: "all" | "template" | "system-type" | "location" | "owner";
  /** The template, system type or component id, or the location path, of the scope. */
  scopeRef: string | null;
  flapWindowMs: number;
  flapThreshold: number;
  /** The signal names fire and clear read. */
  signals: Set<string>;
  /** The same names, as a sorted list. */
  signalList: string[];
  readsPrevious: boolean;
}

export interface RuleCache {
  stamp: string;
  rules: ActiveRule[];
  bySignal: Map<string, ActiveRule[]>;
}

/*
 * Per process, like the catalog cache: the enabled rules compiled once. Each batch compares a
 * stamp (count, newest change) in one statement, so a rule changed by another process is seen by
 * the next batch; a change in this process forgets the cache at once.
 */
let cache: RuleCache | null = null;

export function forgetRuleCache() {
  cache = null;
}

/** The rules this process last loaded (null: none yet), without asking the database. */
export function peekActiveRules(): RuleCache | null {
  return cache;
}

function compileRow(row: Record<string, unknown>): ActiveRule | null {
  try {
    const fire = compileExpression("fire", row.fire as string);
    const clear = row.clear ? compileExpression("clear", row.clear as string) : null;
    const signals = new Set([...fire.signals, ...(clear?.signals ?? [])]);
    return {
      id: row.id as string,
      name: row.name as string,
      label: (row.label as string | null) ?? null,
      severity: row.severity as ActiveRule["severity"],
      fire,
      clear,
      sustainMs: Number(row.sustain_seconds) * 1000,
      scopeKind: row.scope_kind as ActiveRule["scopeKind"],
      scopeRef: (row.scope_ref as string | null) ?? null,
      flapWindowMs: Number(row.flap_window_seconds) * 1000,
      flapThreshold: Number(row.flap_threshold),
      signals,
      signalList: [...signals].sort(),
      readsPrevious: /\bprevious\s*\[/.test(`${row.fire as string} ${(row.clear as string) ?? ""}`),
    };
  } catch {
    // Saved rules were validated; a rule that no longer compiles is skipped, never fatal to ingest.
    return null;
  }
}

/**
 * The enabled rules' stamp (count, newest change, versions): an SQL expression a caller may read
 * in a statement of its own (the ingest writer reads it with its component facts' digest).
 */
export const RULES_STAMP = sql`(select count(*)::text || '|' || coalesce(max(updated_at)::text, '') || '|' || coalesce(sum(version)::text, '')
    from event_rule where enabled)`;

/** The enabled rules, from the cache when its stamp still matches (one statement per call). */
export async function loadActiveRules(db: Database | Transaction): Promise<RuleCache> {
  const stamp = await db.execute(sql`select ${RULES_STAMP} as stamp`);
  return activeRulesAt(db, (stamp.rows[0] as { stamp: string }).stamp);
}

/** The enabled rules for a stamp the caller has read: the cache, or a reload when it moved. */
export async function activeRulesAt(db: Database | Transaction, now: string): Promise<RuleCache> {
  if (cache && cache.stamp === now) return cache;
  const result = await db.execute(sql`
    select r.id, r.name, r.label, r.severity, r.fire, r.clear, r.sustain_seconds, r.scope_kind,
      r.flap_window_seconds, r.flap_threshold,
      coalesce(r.scope_template_id::text, r.scope_system_type_id::text, l.path, r.scope_component_id::text) as scope_ref
    from event_rule r left join location l on l.id = r.scope_location_id
    where r.enabled and r.owner_kind <> 'system' order by r.id`);
  const rules = (result.rows as Record<string, unknown>[])
    .map(compileRow)
    .filter((r): r is ActiveRule => r !== null);
  const bySignal = new Map<string, ActiveRule[]>();
  for (const rule of rules)
    for (const s of rule.signals) {
      const list = bySignal.get(s) ?? [];
      list.push(rule);
      bySignal.set(s, list);
    }
  cache = { stamp: now, rules, bySignal };
  return cache;
}
