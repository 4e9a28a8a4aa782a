import { sql } from "drizzle-orm";
import { locationScopeCondition } from "../locations/scope";
import { location } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/** Locations in `location:read` scope (and the subtree). */
export async function readLocations({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
}: ReadContext): Promise<void> {
  const locationScope = cond(locationScopeCondition(actor, "location:read"));
  const locations = await rows<{
    id: string;
    path: string;
    type: string;
    label: string | null;
    history: boolean;
  }>(
    db,
    sql`select location.id, location.path, t.name as type, location.label,
          exists (select 1 from alarm a where a.location_id = location.id) as history
        from ${location} join location_type t on t.id = ${location.typeId}
        where ${locationScope} and ${locationIn(sql`${location.path}`)}`,
  );
  for (const l of locations) {
    const address = `location.${l.path}`;
    ids.set(address, l.id);
    objects[address] = {
      kind: "location",
      spec: { type: l.type, ...optional("label", l.label), labels: {}, metadata: {} },
      state: state(address, l.history),
    };
  }
}
