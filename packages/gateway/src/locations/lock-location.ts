import { eq } from "drizzle-orm";
import type { Location } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { Check } from "../kit";
import { location, locationType } from "../schema";
import { resolveLocation } from "./resolve-location";
import { locationColumns, toLocation } from "./to-location";

/** Resolves the location within read scope and locks its row for the rest of the transaction. */
export const lockLocation = (tx: Transaction, actor: Actor, ref: string) =>
  resolveLocation(tx, actor, ref, { forUpdate: true });

export type LocationRow = Awaited<ReturnType<typeof resolveLocation>>;

/** The check of `capability` at the location. */
export const atLocation = (current: LocationRow, capability: string, action: string): Check => ({
  capability,
  location: current.path,
  action,
});

export const locationVersion =
  (expected: number | undefined) =>
  (current: LocationRow): [string, number | undefined, number] => [
    current.path,
    expected,
    current.version,
  ];

export async function typeByName(tx: Transaction, name: string) {
  const [type] = await tx.select().from(locationType).where(eq(locationType.name, name));
  if (!type)
    throw new OmniglassError("INVALID", `No location type ${name}.`, {
      fieldErrors: [{ field: "type", message: "unknown location type" }],
    });
  return type;
}

/** The location `id` as it is now (a writer's read-back; no scope: the writer checked it). */
export async function readLocationBack(tx: Transaction, id: string): Promise<Location> {
  const [row] = await tx
    .select(locationColumns)
    .from(location)
    .innerJoin(locationType, eq(locationType.id, location.typeId))
    .where(eq(location.id, id));
  return toLocation(row!);
}
