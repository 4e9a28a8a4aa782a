import { and, desc, eq, isNull, like, lt, or, gt, sql, type SQL } from "drizzle-orm";
import type {
  MaintenanceWindowPreview,
  PreviewDraftMaintenanceWindowInput,
  PreviewMaintenanceWindowInput,
} from "@omniglass/contracts";
import { occurrences, wallTimeAt, type CompiledSchedule, type Occurrence } from "@omniglass/domain";
import type { Database } from "../db";
import type { GatewayContext } from "../kit";
import { alarmQuery, alarmScope } from "../alarms/read-alarm";
import { escapeLike } from "../locations/scope";
import { alarm, component, systemMember, template } from "../schema";
import { resolveWindow, scheduleOf } from "./read-window";
import { boundSchedule, windowScopeColumns } from "./window-input";

const WEEK_MS = 7 * 86_400_000;
const YEARS_MS = 10 * 366 * 86_400_000;
/** At most this many alarms are looked at for "last week" (`truncated` says when cut). */
export const PREVIEW_MAX_ALARMS = 500;

type ScopeColumns = Awaited<ReturnType<typeof windowScopeColumns>>["columns"];

function localText(timeZone: string, at: Date): string {
  return new Date(wallTimeAt(timeZone, at.getTime())).toISOString().slice(0, 16);
}

function toOccurrence(timeZone: string, o: Occurrence) {
  return {
    start: o.start.toISOString(),
    end: o.end.toISOString(),
    localStart: localText(timeZone, o.start),
    localEnd: localText(timeZone, o.end),
    dst: o.dst,
  };
}

/** The alarms of owners in the window's scope (components today), as a SQL condition. */
function inWindowScope(columns: ScopeColumns, locationPath: string | null): SQL {
  switch (columns.scopeKind) {
    case "location":
      return like(component.path, `${escapeLike(locationPath!)}.%`);
    case "system":
      return sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${alarm.componentId} and ${systemMember.systemId} = ${columns.scopeSystemId})`;
    case "owner":
      return eq(alarm.componentId, columns.scopeComponentId!);
    case "template":
      return sql`${component.templateId} in (select ${template.id} from ${template} where ${template.name} = ${columns.scopeTemplate})`;
  }
}

async function preview(
  { db, actor }: GatewayContext,
  schedule: CompiledSchedule,
  columns: ScopeColumns,
  locationPath: string | null,
  count: number,
): Promise<MaintenanceWindowPreview> {
  const now = new Date();
  const from = new Date(now.getTime() - WEEK_MS);
  const next = occurrences(schedule, {
    from: now,
    to: new Date(now.getTime() + YEARS_MS),
    limit: count,
  });
  const past = occurrences(schedule, { from, to: now, limit: 1000 });
  const rows =
    past.length === 0
      ? []
      : await alarmQuery(db as Database)
          .where(
            and(
              alarmScope(actor, "alarm:read"),
              inWindowScope(columns, locationPath),
              lt(alarm.openedAt, now),
              or(isNull(alarm.resolvedAt), gt(alarm.resolvedAt, from)),
            ),
          )
          .orderBy(desc(alarm.openedAt))
          .limit(PREVIEW_MAX_ALARMS + 1);
  const overlaps = (opened: Date, resolved: Date | null) =>
    past.some((o) => opened < o.end && (resolved === null || resolved > o.start));
  const alarms = rows
    .slice(0, PREVIEW_MAX_ALARMS)
    .filter((r) => overlaps(r.a.openedAt, r.a.resolvedAt))
    .map((r) => ({
      id: r.a.id,
      rule: r.ruleName,
      owner: r.path,
      severity: r.a.severity,
      openedAt: r.a.openedAt.toISOString(),
      resolvedAt: r.a.resolvedAt ? r.a.resolvedAt.toISOString() : null,
    }));
  return {
    timeZone: schedule.timeZone,
    next: next.map((o) => toOccurrence(schedule.timeZone, o)),
    lastWeek: {
      from: from.toISOString(),
      to: now.toISOString(),
      occurrences: past.map((o) => toOccurrence(schedule.timeZone, o)),
      alarms,
      truncated: rows.length > PREVIEW_MAX_ALARMS,
    },
  };
}

/**
 * A saved window's next occurrences (UTC and local, DST-resolved ones marked) and the alarms it
 * would have suppressed in the last seven days: those you may read, of owners in its scope,
 * open during one of its occurrences. Reads only.
 */
export async function previewMaintenanceWindow({
  input,
  ...ctx
}: GatewayContext & { input: PreviewMaintenanceWindowInput }): Promise<MaintenanceWindowPreview> {
  const row = await resolveWindow(ctx.db, ctx.actor, input.ref);
  const w = row.w;
  const columns: ScopeColumns = {
    scopeKind: w.scopeKind,
    scopeLocationId: w.scopeLocationId,
    scopeSystemId: w.scopeSystemId,
    scopeComponentId: w.scopeComponentId,
    scopeTemplate: w.scopeTemplate,
  };
  return preview(ctx, scheduleOf(w), columns, row.locationPath, input.count);
}

/** The same for a window not saved yet (the editor's draft); its scope resolved within read scope. */
export async function previewDraftMaintenanceWindow({
  input,
  ...ctx
}: GatewayContext & {
  input: PreviewDraftMaintenanceWindowInput;
}): Promise<MaintenanceWindowPreview> {
  const { compiled } = boundSchedule(input.window);
  const { columns, placement } = await ctx.db.transaction((tx) =>
    windowScopeColumns(tx, ctx.actor, input.window.scope),
  );
  return preview(ctx, compiled, columns, placement.path, input.count);
}
