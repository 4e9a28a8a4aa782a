import type { HealthSeeds } from "./types";

/** The owners to judge again after alarms changed: a node's alarm judges nothing by itself. */
export function healthSeedsOfAlarms(
  changes: readonly { owner: { kind: string; id: string } }[],
): Required<HealthSeeds> & { componentIds: string[]; systemIds: string[]; locationIds: string[] } {
  const seeds = {
    componentIds: [] as string[],
    systemIds: [] as string[],
    locationIds: [] as string[],
  };
  for (const c of changes) {
    if (c.owner.kind === "component") seeds.componentIds.push(c.owner.id);
    else if (c.owner.kind === "system") seeds.systemIds.push(c.owner.id);
    else if (c.owner.kind === "location") seeds.locationIds.push(c.owner.id);
  }
  return seeds;
}

/** The owner of one alarm row as seeds (a node's alarm: none). */
export function healthSeedsOfAlarmRow(a: {
  componentId: string | null;
  systemId: string | null;
  locationId: string | null;
}): HealthSeeds {
  return {
    componentIds: a.componentId ? [a.componentId] : [],
    systemIds: a.systemId ? [a.systemId] : [],
    locationIds: a.locationId ? [a.locationId] : [],
  };
}
