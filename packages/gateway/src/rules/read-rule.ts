import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Rule } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit/refs";
import { component, eventRule, location, systemType, template } from "../schema";

const declaring = alias(template, "declaring");
const scoped = alias(template, "scoped");

export const ruleColumns = {
  r: eventRule,
  declaringName: declaring.name,
  declaringVersion: declaring.version,
  scopeTemplate: sql<string | null>`${scoped.name} || '@' || ${scoped.version}`,
  scopeSystemType: systemType.name,
  scopeLocation: location.path,
  scopeComponent: component.path,
  scopeSystem: sql<
    string | null
  >`(select s.path from system s where s.id = ${eventRule.scopeSystemId})`,
};

export type RuleRow = {
  r: typeof eventRule.$inferSelect;
  declaringName: string | null;
  declaringVersion: number | null;
  scopeTemplate: string | null;
  scopeSystemType: string | null;
  scopeLocation: string | null;
  scopeComponent: string | null;
  scopeSystem: string | null;
};

export function ruleQuery(db: Database | Transaction) {
  return db
    .select(ruleColumns)
    .from(eventRule)
    .leftJoin(declaring, eq(declaring.id, eventRule.templateId))
    .leftJoin(scoped, eq(scoped.id, eventRule.scopeTemplateId))
    .leftJoin(systemType, eq(systemType.id, eventRule.scopeSystemTypeId))
    .leftJoin(location, eq(location.id, eventRule.scopeLocationId))
    .leftJoin(component, eq(component.id, eventRule.scopeComponentId));
}

export function toRule(row: RuleRow): Rule {
  const r = row.r;
  const ref =
    row.scopeTemplate ??
    row.scopeSystemType ??
    row.scopeLocation ??
    row.scopeComponent ??
    row.scopeSystem ??
    null;
  return {
    id: r.id,
    name: r.name,
    label: r.label,
    description: r.description,
    severity: r.severity,
    fire: r.fire,
    clear: r.clear,
    sustainSeconds: r.sustainSeconds,
    scope: { kind: r.scopeKind, ref },
    ownerKind: r.ownerKind,
    origin: r.origin,
    template:
      r.templateId && row.declaringName
        ? { id: r.templateId, name: row.declaringName, version: row.declaringVersion! }
        : null,
    enabled: r.enabled,
    flapWindowSeconds: r.flapWindowSeconds,
    flapThreshold: r.flapThreshold,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const ruleNotFound = () =>
  new OmniglassError("NOT_FOUND", "No rule matches that reference.");

/**
 * A rule by id or name (rules are a platform-wide registry: every reader with `rule:read` sees
 * them all). A template rule's name repeats across template versions: use its id then.
 */
export async function resolveRule(
  db: Database | Transaction,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<RuleRow> {
  const query = ruleQuery(db)
    .where(and(refCondition(ref, eventRule)))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: eventRule }) : await query;
  return theOne(rows, ref, "rule", ruleNotFound);
}

export async function ruleById(db: Database | Transaction, id: string): Promise<Rule> {
  const [row] = await ruleQuery(db).where(eq(eventRule.id, id));
  if (!row) throw ruleNotFound();
  return toRule(row);
}
