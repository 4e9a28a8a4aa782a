import { z } from "zod";
import { Timestamp } from "./common";

/*
 * The brief status (DESIGN.md §9, issue #16): the estate's first screen. Every tile names the
 * read it comes from and when it was read; every item links to the object that caused it; every
 * source the tiles depend on has a state with a since and a checked-at. Nothing here is a cache:
 * each answer is read when asked.
 */

export const BriefSourceName = z.enum(["database", "nats", "workers", "collectors"]);
export type BriefSourceName = z.infer<typeof BriefSourceName>;

export const BriefSourceState = z
  .enum(["up", "down", "degraded", "unknown"])
  .describe(
    "up: answered and healthy; down: did not answer (or none is running); degraded: some of it is down or stale; unknown: could not be asked.",
  );
export type BriefSourceState = z.infer<typeof BriefSourceState>;

export const BriefSource = z
  .object({
    name: BriefSourceName,
    state: BriefSourceState,
    since: Timestamp.nullable().describe(
      "Since when it has been in this state, as far as the answering web process has seen; null: not known.",
    ),
    checkedAt: Timestamp,
    source: z
      .string()
      .describe("What was asked, e.g. `NATS PING round trip from the web process`."),
    detail: z.string().nullable().describe("Why it is not up (an error, how many are stale)."),
  })
  .meta({ id: "BriefSource" });
export type BriefSource = z.infer<typeof BriefSource>;

export const BriefTileKey = z.enum([
  "alarms",
  "systems",
  "components",
  "collectors",
  "workers",
  "schedules",
  "deliveries",
  "plans",
]);
export type BriefTileKey = z.infer<typeof BriefTileKey>;

/** What an item links to; the console and the CLI turn it into a page or a command. */
export const BriefLink = z
  .object({
    kind: z.enum([
      "alarm",
      "component",
      "system",
      "location",
      "node",
      "worker",
      "delivery",
      "endpoint",
      "plan",
      "schedule",
    ]),
    id: z
      .string()
      .nullable()
      .describe("The object's id (a schedule: its key); null when only its path is known."),
    ref: z.string().describe("How its page names it: a path, a name or an id."),
  })
  .meta({ id: "BriefLink" });
export type BriefLink = z.infer<typeof BriefLink>;

export const BriefItem = z
  .object({
    title: z.string().describe("What it is (an alarm's summary, a system's path, a node's name)."),
    state: z
      .string()
      .describe(
        "Its state in the words of its own view: a severity, a verdict, offline/never, stale, dead, pending, overdue.",
      ),
    at: Timestamp.nullable().describe(
      "The instant that makes it an item: fired, entered the verdict, last heartbeat, created.",
    ),
    detail: z.string().nullable(),
    links: z
      .array(BriefLink)
      .min(1)
      .describe("The object that caused it first, then its context (the room, the endpoint)."),
  })
  .meta({ id: "BriefItem" });
export type BriefItem = z.infer<typeof BriefItem>;

export const BriefTile = z
  .object({
    key: BriefTileKey,
    title: z.string(),
    capability: z.string().describe("The permission the tile is read with (and scoped by)."),
    source: z.string().describe("The read it comes from, e.g. `alarm table via alarm.list`."),
    dependsOn: z
      .array(z.enum(["database", "nats"]))
      .describe("The sources whose loss makes this tile stale (nats: the live bus)."),
    available: z
      .boolean()
      .describe("false: the read failed (see `error`); total and items are then empty."),
    error: z.string().nullable(),
    stale: z
      .object({ since: Timestamp.nullable(), reason: z.string() })
      .nullable()
      .describe(
        "Set when a source it depends on is down: what is shown may no longer be true, since when.",
      ),
    total: z.number().int().nonnegative().describe("Every match in the caller's scope."),
    totalIsLowerBound: z.boolean().describe("true: at least `total` (the read counts no further)."),
    breakdown: z
      .record(z.string(), z.number().int().nonnegative())
      .describe("The total by state, e.g. outage and degraded."),
    items: z.array(BriefItem).describe("The first few, most severe or newest first."),
    asOf: Timestamp.describe("When the read ran."),
    viewAll: z
      .string()
      .describe("The console path of the list view with the same filter (e.g. `/alarms?…`)."),
    api: z.string().describe("The REST call of that list, e.g. `GET /api/v1/alarms?…`."),
  })
  .meta({ id: "BriefTile" });
export type BriefTile = z.infer<typeof BriefTile>;

export const BriefStatus = z
  .object({
    checkedAt: Timestamp.describe("When this answer was put together."),
    version: z.string(),
    scope: z
      .enum(["all", "partial"])
      .describe("all: the caller reads the whole estate; partial: only its grants' part."),
    sources: z.array(BriefSource),
    tiles: z
      .array(BriefTile)
      .describe(
        "Only the tiles the caller holds the capability for (a missing one is not a zero).",
      ),
  })
  .meta({ id: "BriefStatus" });
export type BriefStatus = z.infer<typeof BriefStatus>;

export const BriefStatusInput = z.object({
  items: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe("Items shown per tile, 1 to 20 (default 5)."),
});
export type BriefStatusInput = z.infer<typeof BriefStatusInput>;
