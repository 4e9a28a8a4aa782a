import { and, count, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { MaintenanceWindow } from "@omniglass/contracts";
import {
  activeAt,
  compileSchedule,
  occurrences,
  OmniglassError,
  type Actor,
  type CompiledSchedule,
} from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit/refs";
import { component, location, maintenanceWindow, principal, system } from "../schema";
import { placementCondition } from "./placement";

const scopeLocation = alias(location, "window_location");
const scopeSystem = alias(system, "window_system");
const scopeComponent = alias(component, "window_component");
const author = alias(principal, "window_author");

export const windowColumns = {
  w: maintenanceWindow,
  locationPath: scopeLocation.path,
  systemPath: scopeSystem.path,
  componentPath: scopeComponent.path,
  authorName: author.name,
};

export type WindowRow = {
  w: typeof maintenanceWindow.$inferSelect;
  locationPath: string | null;
  systemPath: string | null;
  componentPath: string | null;
  authorName: string | null;
};

/** How many windows satisfy `where` (the scope condition reads the scope joins). */
export function countWindows(db: Database | Transaction, where: SQL | undefined) {
  return db
    .select({ n: count() })
    .from(maintenanceWindow)
    .leftJoin(scopeLocation, eq(scopeLocation.id, maintenanceWindow.scopeLocationId))
    .leftJoin(scopeSystem, eq(scopeSystem.id, maintenanceWindow.scopeSystemId))
    .leftJoin(scopeComponent, eq(scopeComponent.id, maintenanceWindow.scopeComponentId))
    .where(where);
}

export function windowQuery(db: Database | Transaction) {
  return db
    .select(windowColumns)
    .from(maintenanceWindow)
    .leftJoin(scopeLocation, eq(scopeLocation.id, maintenanceWindow.scopeLocationId))
    .leftJoin(scopeSystem, eq(scopeSystem.id, maintenanceWindow.scopeSystemId))
    .leftJoin(scopeComponent, eq(scopeComponent.id, maintenanceWindow.scopeComponentId))
    .leftJoin(author, eq(author.id, maintenanceWindow.authorId));
}

/** Windows within `capability`'s scope: placed at their scope's location, system or component. */
export const windowScope = (actor: Actor, capability: string) =>
  placementCondition(actor, capability, {
    kind: maintenanceWindow.scopeKind,
    location: { path: scopeLocation.path },
    system: { path: scopeSystem.path, id: scopeSystem.id },
    component: { path: scopeComponent.path, id: scopeComponent.id },
    values: { location: "location", system: "system", component: "owner", platform: "template" },
  });

export const windowNotFound = () =>
  new OmniglassError("NOT_FOUND", "No maintenance window matches that reference.");

export function scheduleOf(w: WindowRow["w"]): CompiledSchedule {
  return compileSchedule({
    dtstart: w.dtstart,
    timeZone: w.timeZone,
    duration: w.duration,
    rrule: w.rrule,
  });
}

const YEAR_MS = 366 * 86_400_000;

/** The next start after `now` (an open occurrence's own start is not "next"). */
export function nextStartAfter(schedule: CompiledSchedule, now: Date): Date | null {
  const found = occurrences(schedule, {
    from: now,
    to: new Date(now.getTime() + 10 * YEAR_MS),
    limit: 2,
  });
  return found.find((o) => o.start > now)?.start ?? null;
}

export function toWindow(row: WindowRow, now = new Date()): MaintenanceWindow {
  const w = row.w;
  const schedule = scheduleOf(w);
  const scopeRef =
    w.scopeKind === "template"
      ? w.scopeTemplate!
      : (row.locationPath ?? row.systemPath ?? row.componentPath ?? "");
  const next = nextStartAfter(schedule, now);
  return {
    id: w.id,
    name: w.name,
    label: w.label,
    description: w.description,
    scope: {
      kind: w.scopeKind,
      ref: scopeRef,
      id: w.scopeLocationId ?? w.scopeSystemId ?? w.scopeComponentId ?? null,
    },
    dtstart: w.dtstart,
    timeZone: w.timeZone,
    duration: w.duration,
    rrule: w.rrule,
    enabled: w.enabled,
    author: { id: w.authorId, name: row.authorName },
    activeNow: w.enabled && activeAt(schedule, now),
    nextStart: next ? next.toISOString() : null,
    version: w.version,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

/** A window by id or name within `maintenance:read` scope (else 404), optionally locked. */
export async function resolveWindow(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<WindowRow> {
  const query = windowQuery(db)
    .where(and(refCondition(ref, maintenanceWindow), windowScope(actor, "maintenance:read")))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: maintenanceWindow }) : await query;
  return theOne(rows, ref, "maintenance window", windowNotFound);
}

export async function windowById(db: Database | Transaction, id: string) {
  const [row] = await windowQuery(db).where(eq(maintenanceWindow.id, id));
  if (!row) throw windowNotFound();
  return toWindow(row);
}
