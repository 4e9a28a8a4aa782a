import type { ApiOutputs } from "~/client/outputs";

/** A maintenance window and its preview as the API answers them. */
export type MaintenanceWindow = ApiOutputs["maintenanceWindow"]["get"];
export type WindowPreview = ApiOutputs["maintenanceWindow"]["preview"];
export type Occurrence = WindowPreview["next"][number];

export const windowHref = (w: Pick<MaintenanceWindow, "name">) =>
  `/maintenance/${encodeURIComponent(w.name)}`;

/** "below north.b1", "members of north.b1.room-2.av", "components of template x", "only …". */
export function windowScopeText(scope: MaintenanceWindow["scope"]): string {
  switch (scope.kind) {
    case "location":
      return `in or below ${scope.ref}`;
    case "system":
      return `members of ${scope.ref}`;
    case "template":
      return `components of template ${scope.ref}`;
    case "owner":
      return `only ${scope.ref}`;
  }
}

/** "once" or the RRULE as written. */
export const recurrenceText = (rrule: string | null) => rrule ?? "once";

/** What a DST-resolved occurrence says about itself. */
export function dstText(dst: Occurrence["dst"]): string | null {
  if (dst === "gap") return "starts at the DST change (its local start was skipped)";
  if (dst === "repeated") return "runs once, the first time the repeated hour comes";
  return null;
}

/** The days (`YYYY-MM-DD`, local to the window) an occurrence touches, for the calendar. */
export function daysOf(o: Occurrence): string[] {
  const first = o.localStart.slice(0, 10);
  const last = o.localEnd.slice(0, 10);
  const days: string[] = [];
  for (let d = new Date(`${first}T00:00Z`); d <= new Date(`${last}T00:00Z`);) {
    days.push(d.toISOString().slice(0, 10));
    d = new Date(d.getTime() + 86_400_000);
    if (days.length > 40) break;
  }
  // An occurrence ending exactly at midnight does not touch the next day.
  if (days.length > 1 && o.localEnd.endsWith("T00:00")) days.pop();
  return days;
}
