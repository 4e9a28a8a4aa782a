import { asc, eq, sql } from "drizzle-orm";
import type {
  CreateSystemTypeInput,
  ListInput,
  RequestMeta,
  SystemType,
} from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import type { Database, Transaction } from "../db";
import { assertNoDependents, mutate, nameTaken, readableColumn, type GatewayContext } from "../kit";
import { readCursor, toPage, type Page } from "../list";
import { system, systemType } from "../schema";
import { systemScope } from "./resolve-system";

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

/** Adds an operator's own system type (a registry: `system-type:create` on scope all). */
export async function createSystemType({
  input,
  ...ctx
}: GatewayContext & { input: CreateSystemTypeInput }): Promise<SystemType> {
  return mutate(ctx, {
    verb: "create",
    resource: "system-type",
    requires: [{ capability: "system-type:create", registry: true }],
    resolve: async () => null,
    read: (tx, id) => typeById(tx, id),
    apply: async (tx) => {
      const [created] = await tx
        .insert(systemType)
        .values({ id: uuidv7(), name: input.name, label: input.label })
        .onConflictDoNothing()
        .returning();
      if (!created) throw nameTaken("system type", input.name);
      return { id: created.id };
    },
  });
}

async function typeById(tx: Transaction, id: string) {
  const [row] = await tx.select().from(systemType).where(eq(systemType.id, id));
  return toSystemType(row!);
}

/** Deletes an operator's system type that no system uses; official types are read-only. */
export async function deleteSystemType({
  name,
  ...ctx
}: GatewayContext & { name: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "system-type",
    requires: [{ capability: "system-type:delete", registry: true }],
    resolve: async (tx) => {
      const [type] = await tx
        .select()
        .from(systemType)
        .where(eq(systemType.name, name))
        .for("update");
      if (!type) throw new OmniglassError("NOT_FOUND", "No system type with that name.");
      return type;
    },
    id: (type) => type.id,
    read: (tx, id) => typeById(tx, id),
    apply: async (tx, type) => {
      if (type.official)
        throw new OmniglassError("FORBIDDEN", `${name} is an official system type and read-only.`);
      const users = await tx
        .select({
          name: system.path,
          readable: readableColumn(systemScope(ctx.actor, "system:read")),
        })
        .from(system)
        .where(eq(system.typeId, type.id))
        .orderBy(asc(system.path));
      assertNoDependents(`System type ${name}`, "has systems", users);
      await tx.delete(systemType).where(eq(systemType.id, type.id));
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
