import { sql } from "drizzle-orm";
import { locationScopeCondition } from "../locations/scope";
import { location, node } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/** Nodes in `node:read` scope where they are placed. */
export async function readNodes({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
}: ReadContext): Promise<void> {
  const nodeScope = cond(locationScopeCondition(actor, "node:read", location.path));
  const nodes = await rows<{ id: string; name: string; label: string | null; path: string }>(
    db,
    sql`select node.id, p.name, p.label, ${location.path} as path
        from ${node} join principal p on p.id = ${node.id}
        join ${location} on ${location.id} = ${node.locationId}
        where ${nodeScope} and ${locationIn(sql`${location.path}`)}`,
  );
  for (const n of nodes) {
    const address = `node.${n.name}`;
    ids.set(address, n.id);
    objects[address] = {
      kind: "node",
      spec: { location: `location.${n.path}`, ...optional("label", n.label) },
      state: state(address),
    };
  }
}
