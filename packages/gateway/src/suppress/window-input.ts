import { eq } from "drizzle-orm";
import type { CreateMaintenanceWindowInput } from "@omniglass/contracts";
import {
  compileSchedule,
  occurrences,
  OmniglassError,
  type Actor,
  type CompiledSchedule,
  type WindowSchedule,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import { template } from "../schema";
import { PLATFORM, resolvePlacement, type Placement } from "./placement";

const DAY_MS = 86_400_000;
const FAR_MS = 10 * 366 * DAY_MS;

const invalid = (field: string, message: string) =>
  new OmniglassError("INVALID", `Invalid maintenance window: ${field}: ${message}`, {
    fieldErrors: [{ field, message }],
  });

/**
 * Validates a schedule (errors name `dtstart`, `timeZone`, `duration` or `rrule` and the part)
 * and bounds its series in UTC for candidate selection: the first start, and the last end when
 * the series ends (COUNT walked; UNTIL bounded by the until instant plus a day and the duration).
 */
export function boundSchedule(schedule: WindowSchedule): {
  compiled: CompiledSchedule;
  firstStart: Date;
  lastEnd: Date | null;
} {
  const compiled = compileSchedule(schedule);
  // dtstart as if UTC, a day early: every occurrence starts after it whatever the zone's offset.
  const from = new Date(compiled.dtstartWallMs - DAY_MS);
  const [first] = occurrences(compiled, { from, to: new Date(from.getTime() + FAR_MS), limit: 1 });
  if (!first) throw invalid("rrule", "the rule has no occurrence within ten years of dtstart");
  const rule = compiled.rule;
  let lastEnd: Date | null = null;
  if (!rule) lastEnd = first.end;
  else if (rule.count !== null) {
    const all = occurrences(compiled, {
      from,
      to: new Date(Date.UTC(3001, 0, 1)),
      limit: rule.count,
    });
    lastEnd = all[all.length - 1]!.end;
  } else if (rule.until) {
    const untilMs = rule.until.kind === "instant" ? rule.until.instantMs : rule.until.wallMs;
    lastEnd = new Date(untilMs + DAY_MS + compiled.durationMs);
  }
  return { compiled, firstStart: first.start, lastEnd };
}

/** The scope columns of a window and where it is placed (each reference within read scope). */
export async function windowScopeColumns(
  tx: Transaction,
  actor: Actor,
  scope: CreateMaintenanceWindowInput["scope"],
): Promise<{
  placement: Placement;
  columns: {
    scopeKind: CreateMaintenanceWindowInput["scope"]["kind"];
    scopeLocationId: string | null;
    scopeSystemId: string | null;
    scopeComponentId: string | null;
    scopeTemplate: string | null;
  };
}> {
  const none = {
    scopeKind: scope.kind,
    scopeLocationId: null as string | null,
    scopeSystemId: null as string | null,
    scopeComponentId: null as string | null,
    scopeTemplate: null as string | null,
  };
  if (scope.kind === "template") {
    const name = scope.ref.split("@")[0]!;
    const [row] = await tx
      .select({ id: template.id })
      .from(template)
      .where(eq(template.name, name))
      .limit(1);
    if (!row) throw invalid("scope.ref", `no template named ${name}`);
    return { placement: PLATFORM, columns: { ...none, scopeTemplate: name } };
  }
  const kind = scope.kind === "owner" ? "component" : scope.kind;
  const placement = await resolvePlacement(tx, actor, kind, scope.ref, "scope.ref");
  return {
    placement,
    columns: {
      ...none,
      scopeLocationId: kind === "location" ? placement.id : null,
      scopeSystemId: kind === "system" ? placement.id : null,
      scopeComponentId: kind === "component" ? placement.id : null,
    },
  };
}

/** What a write of a window may change, as a refusal names it. */
export const WRITE_ACTION = "set maintenance windows";
