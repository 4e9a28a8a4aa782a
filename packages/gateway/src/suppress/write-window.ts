import { eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  CreateMaintenanceWindowInput,
  MaintenanceWindow,
  UpdateMaintenanceWindowInput,
} from "@omniglass/contracts";
import { bumpVersion, mutate, nameTaken, UNCHANGED, type GatewayContext } from "../kit";
import { maintenanceWindow } from "../schema";
import { resolveWindow, windowById, type WindowRow } from "./read-window";
import type { Transaction } from "../db";
import { auditPlacement, PLATFORM, placementOf, type Placement } from "./placement";
import { boundSchedule, windowScopeColumns, WRITE_ACTION } from "./window-input";

/** Where an existing window is placed, for the write check on it (its current scope). */
function currentPlacement(tx: Transaction, row: WindowRow): Promise<Placement> {
  const w = row.w;
  if (w.scopeKind === "location")
    return placementOf(tx, "location", w.scopeLocationId, row.locationPath);
  if (w.scopeKind === "system") return placementOf(tx, "system", w.scopeSystemId, row.systemPath);
  if (w.scopeKind === "owner")
    return placementOf(tx, "component", w.scopeComponentId, row.componentPath);
  return Promise.resolve(PLATFORM);
}

/**
 * Adds a maintenance window where its scope is (`maintenance:write` there; a template scope is
 * platform-level), its schedule validated on save: an error names the field and the RRULE part.
 */
export async function createMaintenanceWindow({
  input,
  ...ctx
}: GatewayContext & { input: CreateMaintenanceWindowInput }): Promise<MaintenanceWindow> {
  const bounds = boundSchedule(input);
  return mutate(ctx, {
    verb: "create",
    resource: "maintenance-window",
    resolve: (tx) => windowScopeColumns(tx, ctx.actor, input.scope),
    needs: ({ placement }) => [placement.check("maintenance:write", WRITE_ACTION)],
    read: (tx, id) => windowById(tx, id),
    placement: ({ placement }) => auditPlacement(placement),
    apply: async (tx, { columns }) => {
      const [created] = await tx
        .insert(maintenanceWindow)
        .values({
          id: uuidv7(),
          name: input.name,
          label: input.label ?? null,
          description: input.description ?? "",
          ...columns,
          dtstart: input.dtstart,
          timeZone: bounds.compiled.timeZone,
          duration: input.duration,
          rrule: input.rrule?.trim() || null,
          firstStart: bounds.firstStart,
          lastEnd: bounds.lastEnd,
          enabled: input.enabled,
          authorId: ctx.actor.id,
        })
        .onConflictDoNothing()
        .returning({ id: maintenanceWindow.id });
      if (!created) throw nameTaken("maintenance window", input.name);
      return { id: created.id };
    },
  });
}

/**
 * Changes a window (schedule, scope, text, enabled). Moving it to another scope needs
 * `maintenance:write` on both the old and the new one.
 */
export async function updateMaintenanceWindow({
  input,
  ...ctx
}: GatewayContext & { input: UpdateMaintenanceWindowInput }): Promise<MaintenanceWindow> {
  return mutate(ctx, {
    verb: "update",
    resource: "maintenance-window",
    resolve: async (tx) => {
      const row = await resolveWindow(tx, ctx.actor, input.ref, { forUpdate: true });
      const current = await currentPlacement(tx, row);
      const next = input.scope ? await windowScopeColumns(tx, ctx.actor, input.scope) : null;
      return { row, current, next };
    },
    needs: ({ current, next }) => [
      current.check("maintenance:write", WRITE_ACTION),
      ...(next ? [next.placement.check("maintenance:write", WRITE_ACTION)] : []),
    ],
    id: ({ row }) => row.w.id,
    version: ({ row }) => [row.w.name, input.version, row.w.version],
    read: (tx, id) => windowById(tx, id),
    placement: ({ current, next }) => auditPlacement(next?.placement ?? current),
    apply: async (tx, { row, next }) => {
      const w = row.w;
      const schedule = {
        dtstart: input.dtstart ?? w.dtstart,
        timeZone: input.timeZone ?? w.timeZone,
        duration: input.duration ?? w.duration,
        rrule: input.rrule === undefined ? w.rrule : input.rrule?.trim() || null,
      };
      const fields = {
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      };
      const scheduleChanged =
        schedule.dtstart !== w.dtstart ||
        schedule.timeZone !== w.timeZone ||
        schedule.duration !== w.duration ||
        schedule.rrule !== w.rrule;
      const changed = Object.entries(fields).some(
        ([key, value]) => w[key as keyof typeof w] !== value,
      );
      const scopeChanged =
        next !== null &&
        (next.columns.scopeKind !== w.scopeKind ||
          next.columns.scopeLocationId !== w.scopeLocationId ||
          next.columns.scopeSystemId !== w.scopeSystemId ||
          next.columns.scopeComponentId !== w.scopeComponentId ||
          next.columns.scopeTemplate !== w.scopeTemplate);
      if (!scheduleChanged && !changed && !scopeChanged) return UNCHANGED;
      const bounds = scheduleChanged ? boundSchedule(schedule) : null;
      await tx
        .update(maintenanceWindow)
        .set({
          ...fields,
          ...(scopeChanged ? next!.columns : {}),
          ...(bounds
            ? {
                ...schedule,
                timeZone: bounds.compiled.timeZone,
                firstStart: bounds.firstStart,
                lastEnd: bounds.lastEnd,
              }
            : {}),
          ...bumpVersion(maintenanceWindow),
        })
        .where(eq(maintenanceWindow.id, w.id));
    },
  });
}

/** Deletes a window (`maintenance:write` where it is placed). */
export async function deleteMaintenanceWindow({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "maintenance-window",
    resolve: async (tx) => {
      const row = await resolveWindow(tx, ctx.actor, ref, { forUpdate: true });
      return { row, current: await currentPlacement(tx, row) };
    },
    needs: ({ current }) => [current.check("maintenance:write", WRITE_ACTION)],
    id: ({ row }) => row.w.id,
    read: (tx, id) => windowById(tx, id),
    placement: ({ current }) => auditPlacement(current),
    apply: async (tx, { row }) => {
      await tx.delete(maintenanceWindow).where(eq(maintenanceWindow.id, row.w.id));
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
