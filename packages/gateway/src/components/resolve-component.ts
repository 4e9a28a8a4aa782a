import { and, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Component } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit/refs";
import { placedScopeCondition } from "../locations/scope";
import { component, location, system, systemMember, template } from "../schema";
import { healthSummaryColumn, toHealthSummary, type RawHealthSummary } from "../health/summary";

const primaryMember = alias(systemMember, "primary_member");
const primarySystem = alias(system, "primary_system");

export const componentColumns = {
  row: component,
  locationPath: location.path,
  templateName: template.name,
  templateVersion: template.version,
  kind: template.kind,
  primarySystemId: primarySystem.id,
  primarySystemPath: primarySystem.path,
  health: healthSummaryColumn(component.id),
};

export type ComponentRow = {
  row: typeof component.$inferSelect;
  locationPath: string;
  templateName: string;
  templateVersion: number;
  kind: string;
  primarySystemId: string | null;
  primarySystemPath: string | null;
  health: RawHealthSummary | null;
};

export function toComponent(r: ComponentRow): Component {
  return {
    id: r.row.id,
    name: r.row.name,
    label: r.row.label,
    path: r.row.path,
    location: { id: r.row.locationId, path: r.locationPath },
    kind: r.kind,
    template: { id: r.row.templateId, name: r.templateName, version: r.templateVersion },
    primarySystem:
      r.primarySystemId && r.primarySystemPath
        ? { id: r.primarySystemId, path: r.primarySystemPath }
        : null,
    vendor: r.row.vendor,
    model: r.row.model,
    serial: r.row.serial,
    mac: r.row.mac,
    address: r.row.address,
    health: toHealthSummary(r.health),
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}

export function componentQuery(db: Database | Transaction) {
  return db
    .select(componentColumns)
    .from(component)
    .innerJoin(location, eq(location.id, component.locationId))
    .innerJoin(template, eq(template.id, component.templateId))
    .leftJoin(
      primaryMember,
      and(eq(primaryMember.componentId, component.id), eq(primaryMember.isPrimary, true)),
    )
    .leftJoin(primarySystem, eq(primarySystem.id, primaryMember.systemId));
}

export const componentScope = (actor: Actor, capability: string) =>
  placedScopeCondition(actor, capability, { path: component.path, componentId: component.id });

export const componentNotFound = () =>
  new OmniglassError("NOT_FOUND", "No component matches that reference.");

/** A component by id, dotted path or unique name within read scope (else the same 404 as a missing one). */
export async function resolveComponent(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<ComponentRow> {
  const query = componentQuery(db)
    .where(and(refCondition(ref, component), componentScope(actor, "component:read")))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: component }) : await query;
  return theOne(rows, ref, "component", componentNotFound);
}

/** The systems a component serves (for the system-grant part of write scope). */
export async function systemIdsOf(db: Database | Transaction, componentId: string) {
  const rows = await db
    .select({ id: systemMember.systemId })
    .from(systemMember)
    .where(eq(systemMember.componentId, componentId));
  return rows.map((r) => r.id);
}
