import { and, count, eq, ilike, or, sql } from "drizzle-orm";
import type { ListRulesInput, Rule } from "@omniglass/contracts";
import { parseFilter } from "@omniglass/domain";
import type { GatewayContext } from "../kit";
import { keysetOrder, toPage, type Page } from "../list";
import { escapeLike } from "../locations/scope";
import { eventRule, template } from "../schema";
import { resolveRule, ruleQuery, toRule, type RuleRow } from "./read-rule";

const ORDER = {
  name: { column: eventRule.name, value: (r: RuleRow) => r.r.name },
  created_at: { column: eventRule.id, unique: true, value: (r: RuleRow) => r.r.id },
};
const ID = { column: eventRule.id, value: (r: RuleRow) => r.r.id };

/**
 * Rules (custom and template), filtered by `severity`, `origin`, `template` (a name) and
 * `enabled`, searched by name or label. Two statements per page whatever its size.
 */
export async function findRules({
  db,
  input,
}: GatewayContext & { input: ListRulesInput }): Promise<Page<Rule>> {
  const filter = parseFilter(input.filter, ["severity", "origin", "template", "enabled"] as const);
  const where = and(
    filter.severity ? eq(eventRule.severity, filter.severity as Rule["severity"]) : undefined,
    filter.origin ? eq(eventRule.origin, filter.origin as Rule["origin"]) : undefined,
    filter.enabled ? eq(eventRule.enabled, filter.enabled === "true") : undefined,
    filter.template
      ? sql`${eventRule.templateId} in (select ${template.id} from ${template} where ${template.name} = ${filter.template})`
      : undefined,
    input.q
      ? or(
          ilike(eventRule.name, `%${escapeLike(input.q)}%`),
          ilike(eventRule.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const [rows, [total]] = await Promise.all([
    ruleQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db.select({ n: count() }).from(eventRule).where(where),
  ]);
  return { ...toPage(rows, input, order.cursorOf, toRule), totalSize: total?.n ?? 0 };
}

export async function getRule({ db, ref }: GatewayContext & { ref: string }): Promise<Rule> {
  return toRule(await resolveRule(db, ref));
}
