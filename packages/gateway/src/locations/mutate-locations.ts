import { eq, sql } from "drizzle-orm";
import type {
  CreateLocationInput,
  Location,
  RequestMeta,
  UpdateLocationInput,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import { assertFreshVersion } from "../kit";
import type { Database, Transaction } from "../db";
import { component, location, locationType, node, principal, roleGrant, system } from "../schema";
import { listSome } from "../kit";
import { escapeLike } from "./scope";
import { inScope, resolveLocation } from "./resolve-location";
import { locationColumns, toLocation } from "./to-location";

async function typeByName(tx: Transaction, name: string) {
  const [type] = await tx.select().from(locationType).where(eq(locationType.name, name));
  if (!type) {
    throw new OmniglassError("INVALID", `No location type ${name}.`, {
      fieldErrors: [{ field: "type", message: "unknown location type" }],
    });
  }
  return type;
}

async function readBack(tx: Transaction, id: string): Promise<Location> {
  const [row] = await tx
    .select(locationColumns)
    .from(location)
    .innerJoin(locationType, eq(locationType.id, location.typeId))
    .where(eq(location.id, id));
  return toLocation(row!);
}

function forbidden(action: string, path: string) {
  return new OmniglassError("FORBIDDEN", `You may read ${path} but not ${action} there.`);
}

/** Creates a location under `parent` (or a root). Needs `location:create` on the new location's path. */
export async function createLocation({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateLocationInput;
}): Promise<Location> {
  return db.transaction(async (tx) => {
    const parent = input.parent ? await resolveLocation(tx, actor, input.parent) : null;
    const path = parent ? `${parent.path}.${input.name}` : input.name;
    if (!inScope(actor, "location:create", path))
      throw forbidden("create locations", parent?.path ?? "the top level");
    const type = await typeByName(tx, input.type);
    const [created] = await tx
      .insert(location)
      .values({
        id: uuidv7(),
        parentId: parent?.id ?? null,
        typeId: type.id,
        name: input.name,
        label: input.label ?? null,
        path,
        depth: parent ? parent.depth + 1 : 0,
      })
      .onConflictDoNothing()
      .returning({ id: location.id });
    if (!created) {
      throw new OmniglassError(
        "CONFLICT",
        `A location named ${input.name} already exists ${parent ? `in ${parent.path}` : "at the top level"}.`,
        {
          fieldErrors: [{ field: "name", message: "already taken here" }],
        },
      );
    }
    const after = await readBack(tx, created.id);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "location",
      resourceId: created.id,
      after,
    });
    return after;
  });
}

/** Changes a location's label or type. Needs `location:update` there; a stale `version` is 409. */
export async function updateLocation({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateLocationInput;
}): Promise<Location> {
  return db.transaction(async (tx) => {
    const current = await resolveLocation(tx, actor, input.ref, { forUpdate: true });
    if (!inScope(actor, "location:update", current.path)) throw forbidden("update", current.path);
    assertFreshVersion(current.path, input.version, current.version);
    const before = await readBack(tx, current.id);
    const type = input.type === undefined ? undefined : await typeByName(tx, input.type);
    const changes = {
      ...(input.label !== undefined && input.label !== current.label ? { label: input.label } : {}),
      ...(type && type.id !== current.typeId ? { typeId: type.id } : {}),
    };
    // Nothing to change is an idempotent no-op: no write, no audit row.
    if (Object.keys(changes).length === 0) return before;
    await tx
      .update(location)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${location.version} + 1` })
      .where(eq(location.id, current.id));
    const after = await readBack(tx, current.id);
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "location",
      resourceId: current.id,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a location with no children and no grants on it. Needs `location:delete` there. */
export async function deleteLocation({
  db,
  actor,
  meta,
  ref,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<{ id: string; deleted: true }> {
  return db.transaction(async (tx) => {
    const current = await resolveLocation(tx, actor, ref, { forUpdate: true });
    if (!inScope(actor, "location:delete", current.path)) throw forbidden("delete", current.path);
    const children = await tx
      .select({ path: location.path })
      .from(location)
      .where(eq(location.parentId, current.id))
      .limit(6);
    if (children.length > 0) {
      const names = children
        .slice(0, 5)
        .map((c) => c.path)
        .join(", ");
      throw new OmniglassError(
        "CONFLICT",
        `${current.path} still has children: ${names}${children.length > 5 ? ", …" : ""}. Delete or move them first.`,
      );
    }
    // Everything placed here depends on it: the 409 names what, so the operator knows what to move.
    const placed = await Promise.all([
      tx
        .select({ path: system.path })
        .from(system)
        .where(eq(system.locationId, current.id))
        .orderBy(system.path)
        .limit(6),
      tx
        .select({ path: component.path })
        .from(component)
        .where(eq(component.locationId, current.id))
        .orderBy(component.path)
        .limit(6),
      tx
        .select({ path: principal.name })
        .from(node)
        .innerJoin(principal, eq(principal.id, node.id))
        .where(eq(node.locationId, current.id))
        .orderBy(principal.name)
        .limit(6),
    ]);
    for (const [rows, what] of [
      [placed[0], "systems"],
      [placed[1], "components"],
      [placed[2], "nodes"],
    ] as const) {
      if (rows.length > 0)
        throw new OmniglassError(
          "CONFLICT",
          `${current.path} still holds ${what}: ${listSome(rows.map((r) => r.path))}. Delete or move them first.`,
        );
    }
    const grants = await tx
      .select({ id: roleGrant.id })
      .from(roleGrant)
      .where(eq(roleGrant.locationId, current.id))
      .limit(1);
    if (grants.length > 0) {
      throw new OmniglassError(
        "CONFLICT",
        `${current.path} is the scope of grants; revoke them first.`,
      );
    }
    const before = await readBack(tx, current.id);
    await tx.delete(location).where(eq(location.id, current.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "location",
      resourceId: current.id,
      before,
    });
    return { id: current.id, deleted: true as const };
  });
}

/**
 * Renames a location; the dotted paths of it and everything below it follow, in the same
 * transaction. Needs `location:rename` there; a taken name among its siblings is 409.
 */
export async function renameLocation({
  db,
  actor,
  meta,
  ref,
  name,
  version,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
  name: string;
  version?: number;
}): Promise<Location> {
  return db.transaction(async (tx) => {
    const current = await resolveLocation(tx, actor, ref, { forUpdate: true });
    if (!inScope(actor, "location:rename", current.path)) throw forbidden("rename", current.path);
    assertFreshVersion(current.path, version, current.version);
    if (name === current.name) return readBack(tx, current.id);
    const before = await readBack(tx, current.id);
    const newPath = current.parentId
      ? `${current.path.slice(0, current.path.lastIndexOf("."))}.${name}`
      : name;
    const [clash] = await tx
      .select({ id: location.id })
      .from(location)
      .where(eq(location.path, newPath));
    if (clash) {
      throw new OmniglassError("CONFLICT", `A location named ${name} already exists there.`, {
        fieldErrors: [{ field: "name", message: "already taken here" }],
      });
    }
    await tx
      .update(location)
      .set({ name, updatedAt: sql`now()`, version: sql`${location.version} + 1` })
      .where(eq(location.id, current.id));
    await repath(tx, current.path, newPath, 0);
    const after = await readBack(tx, current.id);
    await writeAudit(tx, meta, {
      verb: "rename",
      resource: "location",
      resourceId: current.id,
      before,
      after,
    });
    return after;
  });
}

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

/**
 * Moves a location (and its subtree) under another parent, or to the top level (`parent` null).
 * Needs `location:move` on the location and on the new parent; a move into its own subtree is 400,
 * a name taken among the new siblings 409. Paths below follow in the same transaction.
 */
export async function moveLocation({
  db,
  actor,
  meta,
  ref,
  parent,
  version,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
  parent: string | null;
  version?: number;
}): Promise<Location> {
  return db.transaction(async (tx) => {
    const current = await resolveLocation(tx, actor, ref, { forUpdate: true });
    if (!inScope(actor, "location:move", current.path)) throw forbidden("move", current.path);
    assertFreshVersion(current.path, version, current.version);
    const target = parent === null ? null : await resolveLocation(tx, actor, parent);
    const newPath = target ? `${target.path}.${current.name}` : current.name;
    if (!inScope(actor, "location:move", newPath))
      throw forbidden("move locations", target?.path ?? "the top level");
    if (target && (target.id === current.id || target.path.startsWith(`${current.path}.`)))
      throw new OmniglassError("INVALID", `${current.path} cannot move into its own subtree.`, {
        fieldErrors: [{ field: "parent", message: "inside the location being moved" }],
      });
    if ((target?.id ?? null) === current.parentId) return readBack(tx, current.id);
    const [clash] = await tx
      .select({ id: location.id })
      .from(location)
      .where(eq(location.path, newPath));
    if (clash)
      throw new OmniglassError(
        "CONFLICT",
        `A location named ${current.name} already exists ${target ? `in ${target.path}` : "at the top level"}.`,
        { fieldErrors: [{ field: "parent", message: "name taken there" }] },
      );
    const before = await readBack(tx, current.id);
    await tx
      .update(location)
      .set({
        parentId: target?.id ?? null,
        updatedAt: sql`now()`,
        version: sql`${location.version} + 1`,
      })
      .where(eq(location.id, current.id));
    await repath(tx, current.path, newPath, (target ? target.depth + 1 : 0) - current.depth);
    const after = await readBack(tx, current.id);
    await writeAudit(tx, meta, {
      verb: "move",
      resource: "location",
      resourceId: current.id,
      before,
      after,
    });
    return after;
  });
}
