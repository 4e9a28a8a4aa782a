import { and, count, eq, ilike, or, sql } from "drizzle-orm";
import type { Component, ListComponentsInput } from "@omniglass/contracts";
import { parseFilter } from "@omniglass/domain";
import { resolveTemplate } from "../catalog/resolve-template";

import { keysetOrder, pageWithTotal, type Page } from "../list";
import { resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { resolveNode } from "../nodes/resolve-node";
import { component, componentInterface, systemMember, template } from "../schema";
import { resolveSystem } from "../systems/resolve-system";
import {
  componentQuery,
  componentScope,
  toComponent,
  type ComponentRow,
} from "./resolve-component";
import type { GatewayContext } from "../kit";
import { verdictFilter } from "../health/verdict-filter";

const ORDER = {
  path: { column: component.path, unique: true, value: (r: ComponentRow) => r.row.path },
  name: { column: component.name, value: (r: ComponentRow) => r.row.name },
  created_at: { column: component.id, unique: true, value: (r: ComponentRow) => r.row.id },
};
const ID = { column: component.id, value: (r: ComponentRow) => r.row.id };

const FILTERS = ["location", "system", "template", "kind", "node", "health"] as const;

/**
 * Components in read scope, one page in one statement plus one count, whatever the page size.
 * Filters: `location` (placed in it or below), `system` (serving it), `template`, `kind`, `node`,
 * `health` (its current verdict is one of a comma-separated list).
 */
export async function findComponents({
  db,
  actor,
  input,
  totalCap,
}: GatewayContext & {
  input: ListComponentsInput;
  /** Count the total only up to this many (the brief status's tiles; see pageWithTotal). */
  totalCap?: number;
}): Promise<Page<Component>> {
  const filter = parseFilter(input.filter, FILTERS);
  const [place, serving, pinned, poller] = await Promise.all([
    filter.location ? resolveLocation(db, actor, filter.location) : null,
    filter.system ? resolveSystem(db, actor, filter.system) : null,
    filter.template ? resolveTemplate(db, filter.template, { field: "filter" }) : null,
    filter.node ? resolveNode(db, actor, filter.node) : null,
  ]);
  const where = and(
    componentScope(actor, "component:read"),
    place ? sql`${component.path} like ${`${escapeLike(place.path)}.%`}` : undefined,
    serving
      ? sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${component.id} and ${systemMember.systemId} = ${serving.row.id})`
      : undefined,
    pinned
      ? filter.template!.includes("@")
        ? eq(component.templateId, pinned.id)
        : sql`${component.templateId} in (select ${template.id} from ${template} where ${template.name} = ${pinned.name})`
      : undefined,
    filter.kind
      ? sql`${component.templateId} in (select ${template.id} from ${template} where ${template.kind} = ${filter.kind})`
      : undefined,
    verdictFilter(component.id, filter.health),
    poller
      ? sql`exists (select 1 from ${componentInterface} where ${componentInterface.componentId} = ${component.id} and ${componentInterface.nodeId} = ${poller.row.id})`
      : undefined,
    input.q
      ? or(
          ilike(component.name, `%${escapeLike(input.q)}%`),
          ilike(component.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  return pageWithTotal(
    input,
    order.cursorOf,
    toComponent,
    componentQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    totalCap === undefined
      ? db.select({ n: count() }).from(component).where(where)
      : db.select({ n: count() }).from(
          db
            .select({ one: sql<number>`1`.as("one") })
            .from(component)
            .where(where)
            .limit(totalCap + 1)
            .as("capped"),
        ),
    totalCap,
  );
}
