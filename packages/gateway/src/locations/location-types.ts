import { asc, gt } from "drizzle-orm";
import type { ListInput, LocationType, RequestMeta } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database } from "../db";
import { readCursor, toPage, type Page } from "../list";
import { locationType } from "../schema";

const toType = (row: typeof locationType.$inferSelect): LocationType => ({
  id: row.id,
  name: row.name,
  label: row.label,
  official: row.official,
});

/** The registry, by name. Types are not placed anywhere, so `location-type:read` has no scope. */
export async function listLocationTypes({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListInput;
}): Promise<Page<LocationType>> {
  const cursor = readCursor(input, 1);
  const rows = await db
    .select()
    .from(locationType)
    .where(cursor ? gt(locationType.name, String(cursor[0])) : undefined)
    .orderBy(asc(locationType.name))
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.name], toType);
}

/** Adds an operator's own type (official ones are seeded). */
export async function createLocationType({
  db,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: { name: string; label: string };
}): Promise<LocationType> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(locationType)
      .values({ id: uuidv7(), name: input.name, label: input.label, official: false })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      throw new OmniglassError("CONFLICT", `A location type named ${input.name} exists.`, {
        fieldErrors: [{ field: "name", message: "already taken" }],
      });
    }
    const after = toType(created);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "location-type",
      resourceId: created.id,
      after,
    });
    return after;
  });
}
