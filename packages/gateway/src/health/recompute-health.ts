import type { Judgement } from "@omniglass/domain";
import type { Transaction } from "../db";
import { judgeComponents } from "./component-facts";
import { isHealthDeferred } from "./defer";
import { lockOwners } from "./locks";
import { ancestorsOf, judgeLocations, readLocations } from "./location-facts";
import { judgeSystems } from "./system-facts";
import type { HealthChange, HealthSeeds, StoredHealth } from "./types";
import { writeHealth } from "./write-health";

const unique = (ids: Iterable<string>) => [...new Set(ids)].sort();

/**
 * Judges the seeded owners again and everything above them, inside the caller's transaction, so
 * the verdict commits with the change that caused it and `since` is that transaction's time
 * (DESIGN.md §8): the seeded components, then every system they serve (and the seeded systems),
 * then every location at or above any of those and the seeded locations. Only rows whose
 * judgement changed are written, and one transition per verdict that moved.
 *
 * Each kind's owners are locked (sorted) before their facts are read — components, then systems,
 * then locations — so concurrent recomputes of the same owners queue: the second reads what the
 * first committed and writes no second transition, and none deadlocks. Call it once per
 * transaction, after the transaction's other writes (a second call would lock out of order).
 * No seeds (or inside `unsafeDeferHealth`): no statement at all.
 */
export async function recomputeHealth(
  tx: Transaction,
  seeds: HealthSeeds,
): Promise<HealthChange[]> {
  const componentIds = unique(seeds.componentIds ?? []);
  const seededSystems = seeds.systemIds ?? [];
  const seededLocations = seeds.locationIds ?? [];
  if (componentIds.length + seededSystems.length + seededLocations.length === 0) return [];
  if (isHealthDeferred()) return [];
  const changes: HealthChange[] = [];

  await lockOwners(tx, "component", componentIds);
  const components = await judgeComponents(tx, componentIds);
  changes.push(...(await writeHealth(tx, "component", components.map(subject))));

  const systemIds = unique([...seededSystems, ...components.flatMap((c) => c.systemIds)]);
  await lockOwners(tx, "system", systemIds);
  const systems = await judgeSystems(tx, systemIds);
  changes.push(...(await writeHealth(tx, "system", systems.map(subject))));

  const locationIds = unique(
    await ancestorsOf(tx, [
      ...seededLocations,
      ...components.map((c) => c.locationId),
      ...systems.map((s) => s.locationId),
    ]),
  );
  await lockOwners(tx, "location", locationIds);
  const locations = await readLocations(tx, locationIds);
  const judged = judgeLocations(locations);
  changes.push(
    ...(await writeHealth(
      tx,
      "location",
      locations.map((l) => ({ ownerId: l.id, judgement: judged.get(l.id)!, stored: l.stored })),
    )),
  );
  return changes;
}

const subject = (s: { id: string; judgement: Judgement; stored: StoredHealth | null }) => ({
  ownerId: s.id,
  judgement: s.judgement,
  stored: s.stored,
});
