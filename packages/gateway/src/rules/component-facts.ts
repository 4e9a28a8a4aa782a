import { sql, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "../db";
import type { ActiveRule } from "./rule-cache";

/** What decides whether a rule applies to a component, and what its alarm's summary names. */
export interface ComponentFacts {
  id: string;
  path: string;
  templateId: string;
  /** The system types of the systems it is a member of. */
  types: string[];
  /** The row versions the facts were read from (see FACTS_DIGEST). */
  digest: bigint;
}

/** Whether `rule` applies to the component (template pin, scope). */
export function ruleAppliesTo(rule: ActiveRule, c: ComponentFacts): boolean {
  switch (rule.scopeKind) {
    case "all":
      return true;
    case "template":
      return rule.scopeRef === c.templateId;
    case "owner":
      return rule.scopeRef === c.id;
    case "location":
      return rule.scopeRef !== null && c.path.startsWith(`${rule.scopeRef}.`);
    case "system-type":
      return rule.scopeRef !== null && c.types.includes(rule.scopeRef);
  }
}

export const uuidArray = (ids: readonly string[]) => `{${ids.join(",")}}`;

/*
 * Per process, like the rule cache: the facts of the components ingest has seen. A component's
 * facts come from its row (path, template pin), its memberships and their systems (types); every
 * write to one of those rows gives it a new `xmin`, so the sum of those xmins is the facts'
 * digest. Each batch reads the digest summed over its components (PRIMARY KEY and index lookups,
 * one row back) in the statement that reads the rules' stamp; a component moved, re-pinned,
 * joined to or removed from a system, or deleted changes it, and the batch's facts are re-read.
 * Row locks (a foreign key's KEY SHARE from an insert) do not touch `xmin`.
 */
const cache = new Map<string, ComponentFacts>();
const CACHE_MAX = 200_000;

/** The digest of component `c` (an SQL expression over the row alias `c`). */
const FACTS_DIGEST: SQL = sql`(c.xmin::text::bigint + coalesce((
    select sum(m.xmin::text::bigint + y.xmin::text::bigint)
    from system_member m join system y on y.id = m.system_id
    where m.component_id = c.id), 0))`;

/** `count|sum of digests` of the components `ids` (an SQL expression for one statement). */
export function factsDigestOf(ids: readonly string[]): SQL {
  return sql`(select count(*)::text || '|' || coalesce(sum(${FACTS_DIGEST}), 0)::text
    from component c where c.id = any(${uuidArray(ids)}::uuid[]))`;
}

/** Forgets every cached fact (tests; a process that deleted components may call it). */
export function forgetComponentFacts() {
  cache.clear();
}

/**
 * The facts of the components `ids` (sorted, distinct), from the cache when `digest` (read with
 * `factsDigestOf(ids)` in the caller's transaction) matches what the cache holds for them, else
 * re-read in one statement. Components that no longer exist are absent from the map.
 */
export async function componentFactsFor(
  db: Database | Transaction,
  ids: readonly string[],
  digest: string,
): Promise<Map<string, ComponentFacts>> {
  const out = new Map<string, ComponentFacts>();
  let sum = 0n;
  for (const id of ids) {
    const facts = cache.get(id);
    if (!facts) break;
    out.set(id, facts);
    sum += facts.digest;
  }
  if (out.size === ids.length && digest === `${ids.length}|${sum}`) return out;

  const result = await db.execute(sql`
    select c.id, c.path, c.template_id as "templateId",
      coalesce((select array_agg(distinct y.type_id::text)
        from system_member m join system y on y.id = m.system_id
        where m.component_id = c.id), '{}') as types,
      ${FACTS_DIGEST}::text as digest
    from component c where c.id = any(${uuidArray(ids)}::uuid[])`);
  out.clear();
  if (cache.size + ids.length > CACHE_MAX) cache.clear();
  for (const id of ids) cache.delete(id);
  for (const row of result.rows as {
    id: string;
    path: string;
    templateId: string;
    types: string[];
    digest: string;
  }[]) {
    const facts = { ...row, digest: BigInt(row.digest) };
    cache.set(row.id, facts);
    out.set(row.id, facts);
  }
  return out;
}
