import { eq, sql } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { Location } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Transaction } from "../db";
import { bumpVersion, mutate, nameTaken, UNCHANGED, type GatewayContext } from "../kit";
import { component, location, system } from "../schema";
import { atLocation, locationVersion, lockLocation, readLocationBack } from "./lock-location";
import { resolveLocation } from "./resolve-location";
import { escapeLike } from "./scope";

/**
 * Rewrites every path at or below `from` to start with `to` instead — the locations of the
 * subtree (whose depth shifts by `depthDelta`) and the systems and components placed in them —
 * in the caller's transaction.
 */
async function repath(tx: Transaction, from: string, to: string, depthDelta: number) {
  const below = `${escapeLike(from)}.%`;
  await tx.execute(
    sql`update ${location} set path = ${to} || substr(path, ${from.length + 1}), depth = depth + ${depthDelta}
        where path = ${from} or path like ${below}`,
  );
  for (const table of [system, component]) {
    await tx.execute(
      sql`update ${table} set path = ${to} || substr(path, ${from.length + 1}) where path like ${below}`,
    );
  }
}

async function assertPathFree(tx: Transaction, path: string, taken: () => Error) {
  const [clash] = await tx
    .select({ id: location.id })
    .from(location)
    .where(eq(location.path, path));
  if (clash) throw taken();
}

/**
 * Renames a location; the dotted paths of it and everything below it follow, in the same
 * transaction. Needs `location:rename` there; a taken name among its siblings is 409.
 */
export async function renameLocation({
  ref,
  name,
  version,
  ...ctx
}: GatewayContext & { ref: string; name: string; version?: number }): Promise<Location> {
  return mutate(ctx, {
    verb: "rename",
    resource: "location",
    resolve: (tx) => lockLocation(tx, ctx.actor, ref),
    needs: (current) => [atLocation(current, "location:rename", "rename")],
    version: locationVersion(version),
    id: (current) => current.id,
    read: (tx, id) => readLocationBack(tx, id),
    apply: async (tx, current) => {
      if (name === current.name) return UNCHANGED;
      const newPath = current.parentId
        ? `${current.path.slice(0, current.path.lastIndexOf("."))}.${name}`
        : name;
      await assertPathFree(tx, newPath, () => nameTaken("location", name, "there"));
      await tx
        .update(location)
        .set({ name, ...bumpVersion(location) })
        .where(eq(location.id, current.id));
      await repath(tx, current.path, newPath, 0);
      await recomputeHealth(tx, { locationIds: [current.id] });
    },
  });
}

/**
 * Moves a location (and its subtree) under another parent, or to the top level (`parent` null).
 * Needs `location:move` on the location and on the new parent; a move into its own subtree is 400,
 * a name taken among the new siblings 409. Paths below follow in the same transaction.
 */
export async function moveLocation({
  ref,
  parent,
  version,
  ...ctx
}: GatewayContext & { ref: string; parent: string | null; version?: number }): Promise<Location> {
  return mutate(ctx, {
    verb: "move",
    resource: "location",
    resolve: async (tx) => {
      const current = await lockLocation(tx, ctx.actor, ref);
      const target = parent === null ? null : await resolveLocation(tx, ctx.actor, parent);
      return { current, target, newPath: target ? `${target.path}.${current.name}` : current.name };
    },
    needs: ({ current, target, newPath }) => [
      atLocation(current, "location:move", "move"),
      {
        capability: "location:move",
        location: newPath,
        action: "move locations",
        where: target?.path ?? "the top level",
      },
    ],
    version: ({ current }) => locationVersion(version)(current),
    id: ({ current }) => current.id,
    read: (tx, id) => readLocationBack(tx, id),
    apply: async (tx, { current, target, newPath }) => {
      if (target && (target.id === current.id || target.path.startsWith(`${current.path}.`)))
        throw new OmniglassError("INVALID", `${current.path} cannot move into its own subtree.`, {
          fieldErrors: [{ field: "parent", message: "inside the location being moved" }],
        });
      if ((target?.id ?? null) === current.parentId) return UNCHANGED;
      await assertPathFree(
        tx,
        newPath,
        () =>
          new OmniglassError(
            "CONFLICT",
            `A location named ${current.name} already exists ${target ? `in ${target.path}` : "at the top level"}.`,
            { fieldErrors: [{ field: "parent", message: "name taken there" }] },
          ),
      );
      await tx
        .update(location)
        .set({ parentId: target?.id ?? null, ...bumpVersion(location) })
        .where(eq(location.id, current.id));
      await repath(tx, current.path, newPath, (target ? target.depth + 1 : 0) - current.depth);
      // Its new ancestors gain its subtree, the old ones lose it.
      await recomputeHealth(tx, {
        locationIds: [current.id, ...(current.parentId ? [current.parentId] : [])],
      });
    },
  });
}
