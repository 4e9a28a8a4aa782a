import { randomUUID } from "node:crypto";
import { rest } from "./seed";

/*
 * Alarms made the way production makes them: samples pushed over REST (POST /samples), judged by
 * the official `unreachable` rule of http-json-display (critical, sustained 2 min) as they commit.
 */

export interface Alarm {
  id: string;
  summary: string;
  lifecycle: "open" | "resolved";
  owner: { kind: string; path: string };
  acknowledgement: { byName: string | null; comment: string; expiresAt: string | null } | null;
}

/** Pushes `reachable` samples for one component at the given times (ms since the epoch). */
export async function pushReachable(owner: string, points: [number, boolean][]) {
  const result = await rest<{ accepted: number; rejected: unknown[] }>("POST", "/samples", {
    samples: points.map(([ts, value]) => ({
      owner,
      signal: "reachable",
      value,
      ts: new Date(ts).toISOString(),
    })),
  });
  if (result.accepted !== points.length)
    throw new Error(`samples refused: ${JSON.stringify(result.rejected)}`);
}

/** Unreachable for 2 min 30 s from `t0`: the rule's sustain passes and its alarm opens. */
export const unreachableFrom = (t0: number): [number, boolean][] =>
  [0, 30, 60, 90, 125, 150].map((s) => [t0 + s * 1000, false]);

/** A campus with one room; `components` displays in it, each on the http-json-display template. */
export async function seedRoom(prefix: string, components: string[]) {
  const site = `${prefix}-${randomUUID().slice(0, 6)}`;
  await rest("POST", "/locations", { name: site, type: "campus" });
  await rest("POST", "/locations", { name: "room", type: "room", parent: site });
  const room = `${site}.room`;
  for (const name of components)
    await rest("POST", "/components", { name, location: room, template: "http-json-display" });
  return { site, room, path: (name: string) => `${room}.${name}` };
}

/** The alarms of an owner (a location includes what is below it). */
export async function alarmsOf(owner: string, query = ""): Promise<Alarm[]> {
  const page = await rest<{ items: Alarm[] }>(
    "GET",
    `/alarms?owner=${encodeURIComponent(owner)}${query ? `&${query}` : ""}`,
  );
  return page.items;
}
