import { and, count, eq, ilike, or, sql } from "drizzle-orm";
import type { ListNodesInput, Node } from "@omniglass/contracts";
import { parseFilter } from "@omniglass/domain";
import { keysetOrder, pageWithTotal, type Page } from "../list";
import { resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { location, node, principal } from "../schema";
import { nodeQuery, nodeScope, resolveNode, toNode, type NodeRow } from "./resolve-node";
import type { GatewayContext } from "../kit";

const ORDER = {
  name: { column: principal.name, unique: true, value: (r: NodeRow) => r.name },
  created_at: { column: node.id, unique: true, value: (r: NodeRow) => r.row.id },
};
const ID = { column: node.id, value: (r: NodeRow) => r.row.id };

/** Nodes in read scope, filtered by `location` (placed in it or below), searched by name or label. */
export async function findNodes({
  db,
  actor,
  input,
}: GatewayContext & { input: ListNodesInput }): Promise<Page<Node>> {
  const filter = parseFilter(input.filter, ["location"] as const);
  const place = filter.location ? await resolveLocation(db, actor, filter.location) : null;
  const where = and(
    nodeScope(actor, "node:read"),
    place
      ? or(
          eq(location.path, place.path),
          sql`${location.path} like ${`${escapeLike(place.path)}.%`}`,
        )
      : undefined,
    input.q
      ? or(
          ilike(principal.name, `%${escapeLike(input.q)}%`),
          ilike(principal.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const now = new Date();
  return pageWithTotal(
    input,
    order.cursorOf,
    (r) => toNode(r, now),
    nodeQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db
      .select({ n: count() })
      .from(node)
      .innerJoin(principal, eq(principal.id, node.id))
      .innerJoin(location, eq(location.id, node.locationId))
      .where(where),
  );
}

export async function getNode({ db, actor, ref }: GatewayContext & { ref: string }): Promise<Node> {
  return toNode(await resolveNode(db, actor, ref));
}
