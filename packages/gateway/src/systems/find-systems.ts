import { and, count, eq, ilike, or, sql } from "drizzle-orm";
import type { ListSystemsInput, System } from "@omniglass/contracts";
import { parseFilter } from "@omniglass/domain";

import { keysetOrder, pageWithTotal, type Page } from "../list";
import { resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { system, systemType } from "../schema";
import { systemQuery, systemScope, toSystem, type SystemRow } from "./resolve-system";
import type { GatewayContext } from "../kit";
import { verdictFilter } from "../health/verdict-filter";

const ORDER = {
  path: { column: system.path, unique: true, value: (r: SystemRow) => r.row.path },
  name: { column: system.name, value: (r: SystemRow) => r.row.name },
  created_at: { column: system.id, unique: true, value: (r: SystemRow) => r.row.id },
};
const ID = { column: system.id, value: (r: SystemRow) => r.row.id };

/** Systems in read scope, filtered by `location` (placed in it or below), `type` and `health` (verdicts), searched by name or label. */
export async function findSystems({
  db,
  actor,
  input,
  totalCap,
}: GatewayContext & {
  input: ListSystemsInput;
  /** Count the total only up to this many (the brief status's tiles; see pageWithTotal). */
  totalCap?: number;
}): Promise<Page<System>> {
  const filter = parseFilter(input.filter, ["location", "type", "health"] as const);
  const place = filter.location ? await resolveLocation(db, actor, filter.location) : null;
  const where = and(
    systemScope(actor, "system:read"),
    place ? sql`${system.path} like ${`${escapeLike(place.path)}.%`}` : undefined,
    filter.type ? eq(systemType.name, filter.type) : undefined,
    verdictFilter(system.id, filter.health),
    input.q
      ? or(
          ilike(system.name, `%${escapeLike(input.q)}%`),
          ilike(system.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  return pageWithTotal(
    input,
    order.cursorOf,
    toSystem,
    systemQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    totalCap === undefined
      ? db
          .select({ n: count() })
          .from(system)
          .innerJoin(systemType, eq(systemType.id, system.typeId))
          .where(where)
      : db.select({ n: count() }).from(
          db
            .select({ one: sql<number>`1`.as("one") })
            .from(system)
            .innerJoin(systemType, eq(systemType.id, system.typeId))
            .where(where)
            .limit(totalCap + 1)
            .as("capped"),
        ),
    totalCap,
  );
}

/** One system with its roles and members. */
