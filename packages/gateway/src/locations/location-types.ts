import { asc, eq, gt } from "drizzle-orm";
import type { ListInput, LocationType, RequestMeta } from "@omniglass/contracts";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../db";
import { mutate, nameTaken, type GatewayContext } from "../kit";
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

/** Adds an operator's own type (official ones are seeded): a registry, `location-type:create` on scope all. */
export async function createLocationType({
  input,
  ...ctx
}: GatewayContext & { input: { name: string; label: string } }): Promise<LocationType> {
  return mutate(ctx, {
    verb: "create",
    resource: "location-type",
    requires: [{ capability: "location-type:create", registry: true }],
    resolve: async () => null,
    read: async (tx, id) => {
      const [row] = await tx.select().from(locationType).where(eq(locationType.id, id));
      return toType(row!);
    },
    apply: async (tx) => {
      const [created] = await tx
        .insert(locationType)
        .values({ id: uuidv7(), name: input.name, label: input.label, official: false })
        .onConflictDoNothing()
        .returning();
      if (!created) throw nameTaken("location type", input.name);
      return { id: created.id };
    },
  });
}
