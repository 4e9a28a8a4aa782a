import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type {
  CreateSystemInput,
  CreateSystemTypeInput,
  ListInput,
  ListSystemsInput,
  MoveInput,
  RenameInput,
  RequestMeta,
  System,
  SystemDetail,
  SystemType,
  UpdateSystemInput,
} from "@omniglass/contracts";
import { OmniglassError, parseFilter, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { assertPlacedInScope, forbidden, listSome, requireEverywhere } from "../estate/refs";
import { keysetOrder, readCursor, toPage, type Page } from "../list";
import { inScope, resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import {
  component,
  roleGrant,
  system,
  systemMember,
  systemRole,
  systemType,
  template,
} from "../schema";
import { assertFreshVersion } from "../versions";
import {
  resolveSystem,
  systemQuery,
  systemScope,
  toSystem,
  type SystemRow,
} from "./resolve-system";

const ORDER = {
  path: { column: system.path, unique: true, value: (r: SystemRow) => r.row.path },
  name: { column: system.name, value: (r: SystemRow) => r.row.name },
  created_at: { column: system.id, unique: true, value: (r: SystemRow) => r.row.id },
};
const ID = { column: system.id, value: (r: SystemRow) => r.row.id };

/** Systems in read scope, filtered by `location` (placed in it or below) and `type`, searched by name or label. */
export async function findSystems({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: ListSystemsInput;
}): Promise<Page<System>> {
  const filter = parseFilter(input.filter, ["location", "type"] as const);
  const place = filter.location ? await resolveLocation(db, actor, filter.location) : null;
  const where = and(
    systemScope(actor, "system:read"),
    place ? sql`${system.path} like ${`${escapeLike(place.path)}.%`}` : undefined,
    filter.type ? eq(systemType.name, filter.type) : undefined,
    input.q
      ? or(
          ilike(system.name, `%${escapeLike(input.q)}%`),
          ilike(system.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const [rows, [total]] = await Promise.all([
    systemQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db
      .select({ n: count() })
      .from(system)
      .innerJoin(systemType, eq(systemType.id, system.typeId))
      .where(where),
  ]);
  const page = toPage(rows, input, order.cursorOf, toSystem);
  return { ...page, totalSize: total?.n ?? 0 };
}

/** One system with its roles and members. */
export async function getSystem({
  db,
  actor,
  ref,
}: {
  db: Database | Transaction;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<SystemDetail> {
  return systemDetail(db, await resolveSystem(db, actor, ref));
}

export async function systemDetail(
  db: Database | Transaction,
  found: SystemRow,
): Promise<SystemDetail> {
  const [roles, members] = await Promise.all([
    db
      .select()
      .from(systemRole)
      .where(eq(systemRole.systemId, found.row.id))
      .orderBy(asc(systemRole.name)),
    db
      .select({
        id: component.id,
        path: component.path,
        label: component.label,
        kind: template.kind,
        template: sql<string>`${template.name} || '@' || ${template.version}`,
        primary: systemMember.isPrimary,
        roleId: systemMember.roleId,
      })
      .from(systemMember)
      .innerJoin(component, eq(component.id, systemMember.componentId))
      .innerJoin(template, eq(template.id, component.templateId))
      .where(eq(systemMember.systemId, found.row.id))
      .orderBy(asc(component.path)),
  ]);
  const roleName = new Map(roles.map((r) => [r.id, r.name]));
  return {
    ...toSystem(found),
    roles: roles.map((r) => ({
      id: r.id,
      name: r.name,
      label: r.label,
      accepts: r.accepts,
      quorum: r.quorum,
      impact: r.impact,
      members: members.filter((m) => m.roleId === r.id).map((m) => m.path),
      version: r.version,
    })),
    members: members.map((m) => ({
      component: { id: m.id, path: m.path, label: m.label },
      kind: m.kind,
      template: m.template,
      primary: m.primary,
      role: m.roleId ? (roleName.get(m.roleId) ?? null) : null,
    })),
  };
}

async function typeByName(tx: Transaction, name: string) {
  const [type] = await tx.select().from(systemType).where(eq(systemType.name, name));
  if (!type)
    throw new OmniglassError("INVALID", `No system type ${name}.`, {
      fieldErrors: [{ field: "type", message: "unknown system type" }],
    });
  return type;
}

const nameTaken = (name: string, where: string) =>
  new OmniglassError("CONFLICT", `A system named ${name} already exists in ${where}.`, {
    fieldErrors: [{ field: "name", message: "already taken here" }],
  });

async function readBack(tx: Transaction, id: string): Promise<System> {
  const [row] = await systemQuery(tx).where(eq(system.id, id));
  return toSystem(row!);
}

export async function createSystem({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateSystemInput;
}): Promise<System> {
  return db.transaction(async (tx) => {
    const place = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "system:create", place.path)) throw forbidden("create systems", place.path);
    const type = await typeByName(tx, input.type);
    const [created] = await tx
      .insert(system)
      .values({
        id: uuidv7(),
        name: input.name,
        label: input.label ?? null,
        typeId: type.id,
        locationId: place.id,
        path: `${place.path}.${input.name}`,
      })
      .onConflictDoNothing()
      .returning({ id: system.id });
    if (!created) throw nameTaken(input.name, place.path);
    const after = await readBack(tx, created.id);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "system",
      resourceId: created.id,
      after,
    });
    return after;
  });
}

/** Locks the system, checks the action's scope and the caller's version. */
async function forChange(
  tx: Transaction,
  actor: Actor,
  ref: string,
  capability: string,
  action: string,
  version?: number,
) {
  const current = await resolveSystem(tx, actor, ref, { forUpdate: true });
  assertPlacedInScope(
    actor,
    capability,
    { locationPath: current.locationPath, systemIds: [current.row.id], path: current.row.path },
    action,
  );
  assertFreshVersion(current.row.path, version, current.row.version);
  return current;
}

export async function updateSystem({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateSystemInput;
}): Promise<System> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "system:update", "update", input.version);
    const type = input.type === undefined ? undefined : await typeByName(tx, input.type);
    const changes = {
      ...(input.label !== undefined && input.label !== current.row.label
        ? { label: input.label }
        : {}),
      ...(type && type.id !== current.row.typeId ? { typeId: type.id } : {}),
    };
    const before = toSystem(current);
    if (Object.keys(changes).length === 0) return before;
    await tx
      .update(system)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${system.version} + 1` })
      .where(eq(system.id, current.row.id));
    const after = await readBack(tx, current.row.id);
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "system",
      resourceId: current.row.id,
      before,
      after,
    });
    return after;
  });
}

/** Renames a system within its location (`system:rename`); a taken name there is 409. */
export async function renameSystem({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: RenameInput;
}): Promise<System> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "system:rename", "rename", input.version);
    if (current.row.name === input.name) return toSystem(current);
    return relocate(tx, meta, current, "rename", {
      name: input.name,
      locationId: current.row.locationId,
      locationPath: current.locationPath,
    });
  });
}

/** Moves a system to another location (`system:move` at both ends); its members stay where they are placed. */
export async function moveSystem({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: MoveInput;
}): Promise<System> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "system:move", "move", input.version);
    const target = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "system:move", target.path)) throw forbidden("move systems", target.path);
    if (target.id === current.row.locationId) return toSystem(current);
    return relocate(tx, meta, current, "move", {
      name: current.row.name,
      locationId: target.id,
      locationPath: target.path,
    });
  });
}

async function relocate(
  tx: Transaction,
  meta: RequestMeta,
  current: SystemRow,
  verb: "rename" | "move",
  to: { name: string; locationId: string; locationPath: string },
): Promise<System> {
  const path = `${to.locationPath}.${to.name}`;
  const [clash] = await tx.select({ id: system.id }).from(system).where(eq(system.path, path));
  if (clash) throw nameTaken(to.name, to.locationPath);
  await tx
    .update(system)
    .set({
      name: to.name,
      locationId: to.locationId,
      path,
      updatedAt: sql`now()`,
      version: sql`${system.version} + 1`,
    })
    .where(eq(system.id, current.row.id));
  const after = await readBack(tx, current.row.id);
  await writeAudit(tx, meta, {
    verb,
    resource: "system",
    resourceId: current.row.id,
    before: toSystem(current),
    after,
  });
  return after;
}

/** Deletes a system that no component serves any more (409 listing them); its roles go with it. */
export async function deleteSystem({
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
    const current = await forChange(tx, actor, ref, "system:delete", "delete");
    const members = await tx
      .select({ path: component.path })
      .from(systemMember)
      .innerJoin(component, eq(component.id, systemMember.componentId))
      .where(eq(systemMember.systemId, current.row.id))
      .orderBy(asc(component.path))
      .limit(6);
    if (members.length > 0) {
      throw new OmniglassError(
        "CONFLICT",
        `${current.row.path} still has members: ${listSome(members.map((m) => m.path))}. Remove them first.`,
      );
    }
    const [granted] = await tx
      .select({ id: roleGrant.id })
      .from(roleGrant)
      .where(eq(roleGrant.systemId, current.row.id))
      .limit(1);
    if (granted)
      throw new OmniglassError(
        "CONFLICT",
        `${current.row.path} is the scope of grants; revoke them first.`,
      );
    const before = await systemDetail(tx, current);
    await tx.delete(system).where(eq(system.id, current.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "system",
      resourceId: current.row.id,
      before,
    });
    return { id: current.row.id, deleted: true as const };
  });
}

export async function listSystemTypes({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListInput;
}): Promise<Page<SystemType>> {
  const cursor = readCursor(input, 1);
  const rows = await db
    .select()
    .from(systemType)
    .where(cursor ? sql`${systemType.name} > ${String(cursor[0])}` : undefined)
    .orderBy(asc(systemType.name))
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.name], toSystemType);
}

const toSystemType = (r: typeof systemType.$inferSelect): SystemType => ({
  id: r.id,
  name: r.name,
  label: r.label,
  official: r.official,
});

/** Adds an operator's own system type (the registry is platform-wide: `system-type:create` on all). */
export async function createSystemType({
  actor,
  db,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateSystemTypeInput;
}): Promise<SystemType> {
  requireEverywhere(actor, "system-type:create");
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(systemType)
      .values({ id: uuidv7(), name: input.name, label: input.label })
      .onConflictDoNothing()
      .returning();
    if (!created)
      throw new OmniglassError("CONFLICT", `A system type named ${input.name} already exists.`, {
        fieldErrors: [{ field: "name", message: "already taken" }],
      });
    const after = toSystemType(created);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "system-type",
      resourceId: created.id,
      after,
    });
    return after;
  });
}

/** Deletes an operator's system type that no system uses; official types are read-only. */
export async function deleteSystemType({
  actor,
  db,
  meta,
  name,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  name: string;
}): Promise<{ id: string; deleted: true }> {
  requireEverywhere(actor, "system-type:delete");
  return db.transaction(async (tx) => {
    const [type] = await tx
      .select()
      .from(systemType)
      .where(eq(systemType.name, name))
      .for("update");
    if (!type) throw new OmniglassError("NOT_FOUND", "No system type with that name.");
    if (type.official)
      throw new OmniglassError("FORBIDDEN", `${name} is an official system type and read-only.`);
    const users = await tx
      .select({ path: system.path })
      .from(system)
      .where(eq(system.typeId, type.id))
      .orderBy(asc(system.path))
      .limit(6);
    if (users.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `Systems still have type ${name}: ${listSome(users.map((u) => u.path))}.`,
      );
    await tx.delete(systemType).where(eq(systemType.id, type.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "system-type",
      resourceId: type.id,
      before: toSystemType(type),
    });
    return { id: type.id, deleted: true as const };
  });
}
