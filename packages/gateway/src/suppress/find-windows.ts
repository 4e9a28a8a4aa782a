import { and, eq, ilike, or } from "drizzle-orm";
import type { ListMaintenanceWindowsInput, MaintenanceWindow } from "@omniglass/contracts";
import { OmniglassError, parseFilter } from "@omniglass/domain";
import type { GatewayContext } from "../kit";
import { keysetOrder, pageWithTotal, type Page } from "../list";
import { escapeLike } from "../locations/scope";
import { maintenanceWindow } from "../schema";
import {
  resolveWindow,
  toWindow,
  countWindows,
  windowQuery,
  windowScope,
  type WindowRow,
} from "./read-window";

const ORDER = {
  name: { column: maintenanceWindow.name, unique: true, value: (r: WindowRow) => r.w.name },
  created_at: { column: maintenanceWindow.id, unique: true, value: (r: WindowRow) => r.w.id },
};
const ID = { column: maintenanceWindow.id, value: (r: WindowRow) => r.w.id };
const KINDS = ["location", "system", "template", "owner"] as const;

/**
 * Maintenance windows within `maintenance:read` scope, filtered by `scope` (kind) and `enabled`,
 * searched by name or label. Two statements per page (the page and its total) whatever its size.
 */
export async function findMaintenanceWindows({
  db,
  actor,
  input,
}: GatewayContext & { input: ListMaintenanceWindowsInput }): Promise<Page<MaintenanceWindow>> {
  const filter = parseFilter(input.filter, ["scope", "enabled"] as const);
  const kind = filter.scope as (typeof KINDS)[number] | undefined;
  if (kind !== undefined && !KINDS.includes(kind))
    throw new OmniglassError("INVALID", `scope must be one of ${KINDS.join(", ")}`, {
      fieldErrors: [{ field: "filter", message: `scope=${kind} is not a scope kind` }],
    });
  const where = and(
    windowScope(actor, "maintenance:read"),
    kind ? eq(maintenanceWindow.scopeKind, kind) : undefined,
    filter.enabled ? eq(maintenanceWindow.enabled, filter.enabled === "true") : undefined,
    input.q
      ? or(
          ilike(maintenanceWindow.name, `%${escapeLike(input.q)}%`),
          ilike(maintenanceWindow.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const now = new Date();
  return pageWithTotal(
    input,
    order.cursorOf,
    (row) => toWindow(row, now),
    windowQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    countWindows(db, where),
  );
}

export async function getMaintenanceWindow({
  db,
  actor,
  ref,
}: GatewayContext & { ref: string }): Promise<MaintenanceWindow> {
  return toWindow(await resolveWindow(db, actor, ref));
}
