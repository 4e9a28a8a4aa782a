import { asc, eq, sql } from "drizzle-orm";
import type { System, SystemDetail } from "@omniglass/contracts";
import type { Database, Transaction } from "../db";
import { component, system, systemMember, systemRole, template } from "../schema";
import { resolveSystem, systemQuery, toSystem, type SystemRow } from "./resolve-system";
import type { GatewayContext } from "../kit";

export async function getSystem({
  db,
  actor,
  ref,
}: GatewayContext & { ref: string }): Promise<SystemDetail> {
  return systemDetail(db, await resolveSystem(db, actor, ref));
}

export async function systemDetail(
  db: Database | Transaction,
  found: SystemRow,
): Promise<SystemDetail> {
  // One after the other: this runs on transaction clients too, which take one query at a time.
  const roles = await db
    .select()
    .from(systemRole)
    .where(eq(systemRole.systemId, found.row.id))
    .orderBy(asc(systemRole.name));
  const members = await db
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
    .orderBy(asc(component.path));
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

/** The system `id` as it is now (a writer's read-back; no scope: the writer checked it). */
export async function readSystemBack(tx: Transaction, id: string): Promise<System> {
  const [row] = await systemQuery(tx).where(eq(system.id, id));
  return toSystem(row!);
}

/** The detail of the system `id` as it is now (the answer of member and role changes). */
export async function readSystemDetailBack(tx: Transaction, id: string): Promise<SystemDetail> {
  const [row] = await systemQuery(tx).where(eq(system.id, id));
  return systemDetail(tx, row!);
}
