import { and, asc, eq, gt, ilike, or, sql } from "drizzle-orm";
import type {
  CreateSystemInput,
  ListInput,
  RequestMeta,
  System,
  SystemType,
  UpdateSystemInput,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { readCursor, toPage, type Page } from "../list";
import { inScope, resolveLocation } from "../locations/resolve-location";
import { locationScopeCondition } from "../locations/scope";
import { location, system, systemType } from "../schema";
import { assertFreshVersion } from "../versions";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const columns = { row: system, type: systemType.name, locationPath: location.path };

function toSystem(r: {
  row: typeof system.$inferSelect;
  type: string;
  locationPath: string;
}): System {
  return {
    id: r.row.id,
    name: r.row.name,
    label: r.row.label,
    type: r.type,
    path: `${r.locationPath}.${r.row.name}`,
    location: { id: r.row.locationId, path: r.locationPath },
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}

function base(db: Database | Transaction) {
  return db
    .select(columns)
    .from(system)
    .innerJoin(systemType, eq(systemType.id, system.typeId))
    .innerJoin(location, eq(location.id, system.locationId));
}

/** A system by id, `<location path>.<name>` or unique name, within read scope (else the same 404 as a missing one). */
async function resolveSystem(db: Database | Transaction, actor: Actor, ref: string) {
  const cut = ref.lastIndexOf(".");
  const byRef = UUID.test(ref)
    ? eq(system.id, ref)
    : cut > 0
      ? and(eq(location.path, ref.slice(0, cut)), eq(system.name, ref.slice(cut + 1)))
      : eq(system.name, ref);
  const rows = await base(db)
    .where(and(byRef, locationScopeCondition(actor, "system:read")))
    .limit(2);
  if (rows.length === 0) throw new OmniglassError("NOT_FOUND", "No system matches that reference.");
  if (rows.length > 1) {
    throw new OmniglassError("INVALID", `${ref} names more than one system; use its path or id.`, {
      fieldErrors: [{ field: "ref", message: "ambiguous name" }],
    });
  }
  return rows[0]!;
}

const forbidden = (action: string, path: string) =>
  new OmniglassError("FORBIDDEN", `You may read ${path} but not ${action} there.`);

async function typeByName(tx: Transaction, name: string) {
  const [type] = await tx.select().from(systemType).where(eq(systemType.name, name));
  if (!type)
    throw new OmniglassError("INVALID", `No system type ${name}.`, {
      fieldErrors: [{ field: "type", message: "unknown system type" }],
    });
  return type;
}

export async function findSystems({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: ListInput & { location?: string; q?: string };
}): Promise<Page<System>> {
  const cursor = readCursor(input, 2);
  const at = input.location
    ? eq(system.locationId, (await resolveLocation(db, actor, input.location)).id)
    : undefined;
  const search = input.q
    ? or(ilike(system.name, `%${input.q}%`), ilike(system.label, `%${input.q}%`))
    : undefined;
  const after = cursor
    ? or(
        gt(location.path, String(cursor[0])),
        and(eq(location.path, String(cursor[0])), gt(system.name, String(cursor[1]))),
      )
    : undefined;
  const rows = await base(db)
    .where(and(locationScopeCondition(actor, "system:read"), at, search, after))
    .orderBy(asc(location.path), asc(system.name))
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.locationPath, r.row.name], toSystem);
}

export async function getSystem({
  db,
  actor,
  ref,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}) {
  return toSystem(await resolveSystem(db, actor, ref));
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
      })
      .onConflictDoNothing()
      .returning({ id: system.id });
    if (!created) {
      throw new OmniglassError(
        "CONFLICT",
        `A system named ${input.name} already exists in ${place.path}.`,
        {
          fieldErrors: [{ field: "name", message: "already taken here" }],
        },
      );
    }
    const [row] = await base(tx).where(eq(system.id, created.id));
    const after = toSystem(row!);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "system",
      resourceId: created.id,
      after,
    });
    return after;
  });
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
    const current = await resolveSystem(tx, actor, input.ref);
    if (!inScope(actor, "system:update", current.locationPath))
      throw forbidden("update", current.locationPath);
    await tx
      .select({ id: system.id })
      .from(system)
      .where(eq(system.id, current.row.id))
      .for("update");
    assertFreshVersion(
      `${current.locationPath}.${current.row.name}`,
      input.version,
      current.row.version,
    );
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
    const [row] = await base(tx).where(eq(system.id, current.row.id));
    const after = toSystem(row!);
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
    const current = await resolveSystem(tx, actor, ref);
    if (!inScope(actor, "system:delete", current.locationPath))
      throw forbidden("delete", current.locationPath);
    await tx.delete(system).where(eq(system.id, current.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "system",
      resourceId: current.row.id,
      before: toSystem(current),
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
    .where(cursor ? gt(systemType.name, String(cursor[0])) : undefined)
    .orderBy(asc(systemType.name))
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.name],
    (r) => ({ id: r.id, name: r.name, label: r.label, official: r.official }),
  );
}
