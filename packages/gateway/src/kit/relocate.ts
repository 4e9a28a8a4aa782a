import { eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { MoveInput, RenameInput } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import { resolveLocation } from "../locations/resolve-location";
import type { Check } from "./authorize";
import { nameTaken } from "./conflicts";
import { mutate, UNCHANGED, type GatewayContext } from "./mutate";
import { bumpVersion } from "./versions";

/** A table of things placed in a location under a name, their path `<location path>.<name>`. */
type PlacedTable = PgTable & {
  id: AnyPgColumn;
  name: AnyPgColumn;
  locationId: AnyPgColumn;
  path: AnyPgColumn;
  version: AnyPgColumn;
};

/** Where a placed thing is now, read off its locked row. */
interface Placement {
  id: string;
  name: string;
  path: string;
  locationId: string;
  locationPath: string;
  version: number;
}

/**
 * Rename and move for something placed (systems, components): the placement verbs, checked on the
 * thing's own location scope (`<resource>:rename` / `:move`, and `:move` at the target too), the
 * new path free, the name, location and path rewritten with the version bumped.
 */
export function placedRelocation<Row, Image>(spec: {
  resource: "system" | "component";
  table: PlacedTable;
  lock: (tx: Transaction, actor: Actor, ref: string) => Promise<Row>;
  on: (row: Row, capability: string, action: string) => Check;
  placement: (row: Row) => Placement;
  read: (tx: Transaction, id: string) => Promise<Image>;
}) {
  const { resource, table } = spec;
  async function relocate(
    tx: Transaction,
    id: string,
    to: Omit<Placement, "id" | "path" | "version">,
  ) {
    const path = `${to.locationPath}.${to.name}`;
    const [clash] = await tx.select({ id: table.id }).from(table).where(eq(table.path, path));
    if (clash) throw nameTaken(resource, to.name, `in ${to.locationPath}`);
    await tx
      .update(table)
      .set({ name: to.name, locationId: to.locationId, path, ...bumpVersion(table) })
      .where(eq(table.id, id));
  }
  const common = {
    resource,
    id: ({ row }: { row: Row }) => spec.placement(row).id,
    read: (tx: Transaction, id: string) => spec.read(tx, id),
  };
  const version =
    (expected: number | undefined) =>
    ({ row }: { row: Row }): [string, number | undefined, number] => {
      const at = spec.placement(row);
      return [at.path, expected, at.version];
    };

  /** Renames it within its location; a taken name there is 409. */
  async function rename({ input, ...ctx }: GatewayContext & { input: RenameInput }) {
    return mutate(ctx, {
      ...common,
      verb: "rename",
      resolve: async (tx) => ({ row: await spec.lock(tx, ctx.actor, input.ref) }),
      needs: ({ row }) => [spec.on(row, `${resource}:rename`, "rename")],
      version: version(input.version),
      apply: async (tx, { row }) => {
        const at = spec.placement(row);
        if (at.name === input.name) return UNCHANGED;
        await relocate(tx, at.id, { ...at, name: input.name });
        // The causes above it name it by path.
        await recomputeHealth(tx, { [`${resource}Ids`]: [at.id] });
      },
    });
  }

  /** Moves it to another location (the capability at both ends); memberships stay. */
  async function move({ input, ...ctx }: GatewayContext & { input: MoveInput }) {
    return mutate(ctx, {
      ...common,
      verb: "move",
      resolve: async (tx) => ({
        row: await spec.lock(tx, ctx.actor, input.ref),
        target: await resolveLocation(tx, ctx.actor, input.location),
      }),
      needs: ({ row, target }) => [
        spec.on(row, `${resource}:move`, "move"),
        { capability: `${resource}:move`, location: target.path, action: `move ${resource}s` },
      ],
      version: version(input.version),
      apply: async (tx, { row, target }) => {
        const at = spec.placement(row);
        if (target.id === at.locationId) return UNCHANGED;
        await relocate(tx, at.id, {
          name: at.name,
          locationId: target.id,
          locationPath: target.path,
        });
        // Its old place loses it, its new place gains it.
        await recomputeHealth(tx, { [`${resource}Ids`]: [at.id], locationIds: [at.locationId] });
      },
    });
  }

  return { rename, move };
}
