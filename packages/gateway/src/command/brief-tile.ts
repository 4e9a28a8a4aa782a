import type { Alarm, BriefLink, BriefTile, BriefTileKey } from "@omniglass/contracts";
import { hasCapability, type Actor } from "@omniglass/domain";
import { isDatabaseUnavailable } from "../ping";

/*
 * The brief status's tile kit: what a tile is (its spec and body), the views its "view all"
 * opens, the counting caps, links of an alarm item, and `tile` (capability, as-of, database down).
 */

export type TileBody = Pick<BriefTile, "total" | "items"> &
  Partial<Pick<BriefTile, "totalIsLowerBound" | "breakdown">>;

export interface TileSpec {
  key: BriefTileKey;
  title: string;
  capability: string;
  source: string;
  dependsOn: BriefTile["dependsOn"];
  viewAll: string;
  api: string;
}

/** Process states that need attention (operations' derivation): missing, or not vouched for. */
export const PROCESS_ATTENTION: string[] = ["down", "stale"];
export const byAttention = (
  a: { state: string; lastActivityAt: string | null },
  b: { state: string; lastActivityAt: string | null },
) =>
  PROCESS_ATTENTION.indexOf(a.state) - PROCESS_ATTENTION.indexOf(b.state) ||
  (a.lastActivityAt ?? "").localeCompare(b.lastActivityAt ?? "");

/**
 * The most a count tile counts (systems, components): past it the tile says "1,000+" and its
 * "view all" list gives the full total. Counting 98,000 unknown components was most of the brief's
 * time at the 100,000-component bench estate; the operator's question is "how bad", not the digit.
 */
export const TOTAL_CAP = 1000;

/** The most a tile reads to count in memory (pending plans: a handful in practice). */
export const COUNT_CAP = 500;

export const BRIEF_VIEWS = {
  alarms: "/alarms?severity=critical",
  systems: "/systems?health=outage%2Cdegraded",
  components: "/components?health=unknown",
  collectors: "/operations",
  workers: "/operations",
  schedules: "/schedules",
  deliveries: "/deliveries?status=dead",
  plans: "/estate-plans?status=pending",
} as const;

export const parentPath = (path: string) => path.split(".").slice(0, -1).join(".");

export function alarmLinks(a: Alarm): BriefLink[] {
  const links: BriefLink[] = [{ kind: "alarm", id: a.id, ref: a.id }];
  const o = a.owner;
  if (o.kind === "component" || o.kind === "system") {
    links.push({ kind: o.kind, id: o.id, ref: o.path });
    const room = parentPath(o.path);
    if (room) links.push({ kind: "location", id: null, ref: room });
  } else if (o.kind === "location") links.push({ kind: "location", id: o.id, ref: o.path });
  else if (o.kind === "node") links.push({ kind: "node", id: o.id, ref: o.path });
  else links.push({ kind: "endpoint", id: o.id, ref: o.path });
  return links;
}

/**
 * One tile: left out when the caller lacks its capability; its read timed as of its start; a
 * database that does not answer makes it unavailable (the console keeps its last answer, marked
 * stale), any other error propagates.
 */
export async function tile(
  actor: Actor,
  spec: TileSpec,
  read: () => Promise<TileBody>,
): Promise<BriefTile | null> {
  if (!hasCapability(actor, spec.capability)) return null;
  const asOf = new Date().toISOString();
  const base = { ...spec, asOf, stale: null };
  try {
    const body = await read();
    return {
      ...base,
      available: true,
      error: null,
      totalIsLowerBound: false,
      breakdown: {},
      ...body,
    };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return {
      ...base,
      available: false,
      error: "The database did not answer.",
      total: 0,
      totalIsLowerBound: false,
      breakdown: {},
      items: [],
    };
  }
}
