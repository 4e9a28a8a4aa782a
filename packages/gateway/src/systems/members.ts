import { and, eq, ne, sql } from "drizzle-orm";
import type {
  AddMemberInput,
  CreateRoleInput,
  RequestMeta,
  SystemDetail,
  UpdateMemberInput,
  UpdateRoleInput,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { assertPlacedInScope } from "../estate/refs";
import { resolveComponent, type ComponentRow } from "../components/resolve-component";
import { systemMember, systemRole } from "../schema";
import { assertFreshVersion } from "../versions";
import { resolveSystem, type SystemRow } from "./resolve-system";
import { systemDetail } from "./systems";

/**
 * Members and roles are part of a system: changing them needs `system:update` on the system.
 * Every change answers the system's detail as it is afterwards and writes one audit row.
 */
async function forChange(tx: Transaction, actor: Actor, ref: string) {
  const current = await resolveSystem(tx, actor, ref, { forUpdate: true });
  assertPlacedInScope(
    actor,
    "system:update",
    { locationPath: current.locationPath, systemIds: [current.row.id], path: current.row.path },
    "change the members or roles of",
  );
  return current;
}

async function roleOf(tx: Transaction, found: SystemRow, name: string, field = "role") {
  const [role] = await tx
    .select()
    .from(systemRole)
    .where(and(eq(systemRole.systemId, found.row.id), eq(systemRole.name, name)));
  if (!role)
    throw new OmniglassError("INVALID", `${found.row.path} has no role ${name}.`, {
      fieldErrors: [{ field, message: "no such role in this system" }],
    });
  return role;
}

function assertAccepts(role: typeof systemRole.$inferSelect, member: ComponentRow) {
  if (!role.accepts.includes(member.kind))
    throw new OmniglassError(
      "INVALID",
      `Role ${role.name} accepts ${role.accepts.join(", ")}; ${member.row.path} is a ${member.kind}.`,
      { fieldErrors: [{ field: "role", message: `does not accept ${member.kind}` }] },
    );
}

async function setPrimary(tx: Transaction, systemId: string, componentId: string) {
  // A component has one primary system: making this one primary demotes the previous one.
  await tx
    .update(systemMember)
    .set({ isPrimary: false })
    .where(
      and(
        eq(systemMember.componentId, componentId),
        ne(systemMember.systemId, systemId),
        eq(systemMember.isPrimary, true),
      ),
    );
}

export async function addMember({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: AddMemberInput;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, input.ref);
    const member = await resolveComponent(tx, actor, input.component);
    const role = input.role ? await roleOf(tx, found, input.role) : null;
    if (role) assertAccepts(role, member);
    if (input.primary) await setPrimary(tx, found.row.id, member.row.id);
    const [added] = await tx
      .insert(systemMember)
      .values({
        systemId: found.row.id,
        componentId: member.row.id,
        isPrimary: input.primary,
        roleId: role?.id ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!added)
      throw new OmniglassError(
        "CONFLICT",
        `${member.row.path} is already a member of ${found.row.path}.`,
        { fieldErrors: [{ field: "component", message: "already a member" }] },
      );
    await writeAudit(tx, meta, {
      verb: "add-member",
      resource: "system",
      resourceId: found.row.id,
      after: { component: member.row.path, primary: input.primary, role: role?.name ?? null },
    });
    return systemDetail(tx, found);
  });
}

export async function updateMember({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateMemberInput;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, input.ref);
    const member = await resolveComponent(tx, actor, input.component);
    const [current] = await tx
      .select()
      .from(systemMember)
      .where(
        and(eq(systemMember.systemId, found.row.id), eq(systemMember.componentId, member.row.id)),
      );
    if (!current) throw notAMember(member, found);
    const role =
      input.role === undefined
        ? undefined
        : input.role === null
          ? null
          : await roleOf(tx, found, input.role);
    if (role) assertAccepts(role, member);
    const changes = {
      ...(input.primary !== undefined && input.primary !== current.isPrimary
        ? { isPrimary: input.primary }
        : {}),
      ...(role !== undefined && (role?.id ?? null) !== current.roleId
        ? { roleId: role?.id ?? null }
        : {}),
    };
    if (Object.keys(changes).length === 0) return systemDetail(tx, found);
    if (changes.isPrimary) await setPrimary(tx, found.row.id, member.row.id);
    await tx
      .update(systemMember)
      .set(changes)
      .where(
        and(eq(systemMember.systemId, found.row.id), eq(systemMember.componentId, member.row.id)),
      );
    await writeAudit(tx, meta, {
      verb: "update-member",
      resource: "system",
      resourceId: found.row.id,
      before: { component: member.row.path, primary: current.isPrimary, roleId: current.roleId },
      after: { component: member.row.path, ...changes },
    });
    return systemDetail(tx, found);
  });
}

const notAMember = (member: ComponentRow, found: SystemRow) =>
  new OmniglassError("NOT_FOUND", `${member.row.path} is not a member of ${found.row.path}.`);

export async function removeMember({
  db,
  actor,
  meta,
  ref,
  component,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
  component: string;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, ref);
    const member = await resolveComponent(tx, actor, component);
    const [removed] = await tx
      .delete(systemMember)
      .where(
        and(eq(systemMember.systemId, found.row.id), eq(systemMember.componentId, member.row.id)),
      )
      .returning();
    if (!removed) throw notAMember(member, found);
    await writeAudit(tx, meta, {
      verb: "remove-member",
      resource: "system",
      resourceId: found.row.id,
      before: { component: member.row.path, primary: removed.isPrimary, roleId: removed.roleId },
    });
    return systemDetail(tx, found);
  });
}

export async function createRole({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateRoleInput;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, input.ref);
    const [created] = await tx
      .insert(systemRole)
      .values({
        id: uuidv7(),
        systemId: found.row.id,
        name: input.name,
        label: input.label ?? null,
        accepts: input.accepts,
        quorum: input.quorum,
        impact: input.impact,
      })
      .onConflictDoNothing()
      .returning();
    if (!created)
      throw new OmniglassError("CONFLICT", `${found.row.path} already has a role ${input.name}.`, {
        fieldErrors: [{ field: "name", message: "already taken in this system" }],
      });
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "system-role",
      resourceId: created.id,
      after: { system: found.row.path, ...created },
    });
    return systemDetail(tx, found);
  });
}

export async function updateRole({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateRoleInput;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, input.ref);
    const current = await roleOf(tx, found, input.role, "role");
    assertFreshVersion(`${found.row.path} role ${current.name}`, input.version, current.version);
    const changes = {
      ...(input.label !== undefined && input.label !== current.label ? { label: input.label } : {}),
      ...(input.accepts !== undefined && input.accepts.join() !== current.accepts.join()
        ? { accepts: input.accepts }
        : {}),
      ...(input.quorum !== undefined && input.quorum !== current.quorum
        ? { quorum: input.quorum }
        : {}),
      ...(input.impact !== undefined && input.impact !== current.impact
        ? { impact: input.impact }
        : {}),
    };
    if (Object.keys(changes).length === 0) return systemDetail(tx, found);
    const [after] = await tx
      .update(systemRole)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${systemRole.version} + 1` })
      .where(eq(systemRole.id, current.id))
      .returning();
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "system-role",
      resourceId: current.id,
      before: current,
      after,
    });
    return systemDetail(tx, found);
  });
}

/** Deletes a role; the members filling it stay members, filling no role. */
export async function deleteRole({
  db,
  actor,
  meta,
  ref,
  role,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
  role: string;
}): Promise<SystemDetail> {
  return db.transaction(async (tx) => {
    const found = await forChange(tx, actor, ref);
    const current = await roleOf(tx, found, role, "role");
    await tx.delete(systemRole).where(eq(systemRole.id, current.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "system-role",
      resourceId: current.id,
      before: { system: found.row.path, ...current },
    });
    return systemDetail(tx, found);
  });
}
