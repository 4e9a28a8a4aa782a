import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import {
  activeAt,
  inSubtree,
  silenceMatches,
  type Severity,
  type SilenceMatchers,
} from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { component, location, maintenanceWindow, silence, systemMember } from "../schema";
import { scheduleOf } from "./read-window";
import type { StoredMatchers } from "./read-silence";

/** One alarm as the suppression query sees it (what a transition knows about its alarm). */
export interface SuppressionFacts {
  ruleId: string;
  ruleName: string;
  ownerKind: "component" | "system" | "location" | "node";
  ownerId: string;
  /** The owner's dotted path (a node: its name). */
  ownerPath: string;
  severity: Severity;
  templateId: string | null;
  /** `name@version` of the owner's template, or null. */
  templateName: string | null;
}

export interface AppliedWindow {
  kind: "window";
  id: string;
  name: string;
  label: string | null;
}
export interface AppliedSilence {
  kind: "silence";
  id: string;
  reason: string;
  author: string;
  expiresAt: string;
}

/** What is in force for one alarm (the same order as the facts given). */
export interface Suppressions {
  windows: AppliedWindow[];
  silences: AppliedSilence[];
}

/** last_matched_at is written at most this often per silence (the idle signal needs a day). */
const TOUCH_EVERY_MS = 60_000;

const windowLocation = alias(location, "suppress_window_location");
const silenceLocation = alias(location, "suppress_silence_location");
const silenceComponent = alias(component, "suppress_silence_component");

/** `path` is at or below one of `paths` (a label boundary), in SQL over a text array. */
const prefixOfAny = (root: AnyPgColumn, paths: string[]) =>
  sql`exists (select 1 from unnest(${sql.param(paths)}::text[]) as p(path) where p.path = ${root} or starts_with(p.path, ${root} || '.'))`;

/**
 * The maintenance windows and silences in force at `at` that match each alarm (DESIGN.md §8):
 * candidates are selected in SQL by scope and time bounds (at most four statements whatever the
 * number of alarms: memberships, windows, silences, and one update stamping `last_matched_at`
 * on the silences that matched, at most once a minute each); the window's occurrence is then
 * decided by `activeAt` in its zone, a silence's matchers by `silenceMatches`.
 *
 * Trusted: the caller is the alarm transition writer, inside its transaction (no actor scope:
 * suppression applies whoever may read the window). Pass `{ touch: false }` to only read.
 */
export async function unsafeActiveSuppressions(
  tx: Database | Transaction,
  alarms: readonly SuppressionFacts[],
  at: Date,
  { touch = true }: { touch?: boolean } = {},
): Promise<Suppressions[]> {
  const result = alarms.map((): Suppressions => ({ windows: [], silences: [] }));
  if (alarms.length === 0) return result;
  const componentIds = [
    ...new Set(alarms.filter((a) => a.ownerKind === "component").map((a) => a.ownerId)),
  ];
  const memberships = componentIds.length
    ? await tx
        .select({ componentId: systemMember.componentId, systemId: systemMember.systemId })
        .from(systemMember)
        .where(inArray(systemMember.componentId, componentIds))
    : [];
  const systemsOf = new Map<string, Set<string>>();
  for (const m of memberships) {
    if (!systemsOf.has(m.componentId)) systemsOf.set(m.componentId, new Set());
    systemsOf.get(m.componentId)!.add(m.systemId);
  }
  const systemIds = [
    ...new Set([
      ...memberships.map((m) => m.systemId),
      ...alarms.filter((a) => a.ownerKind === "system").map((a) => a.ownerId),
    ]),
  ];
  const paths = [...new Set(alarms.map((a) => a.ownerPath))];
  const templates = [
    ...new Set(alarms.flatMap((a) => (a.templateName ? [a.templateName.split("@")[0]!] : []))),
  ];
  const inSystem = (a: SuppressionFacts, systemId: string) =>
    (a.ownerKind === "system" && a.ownerId === systemId) ||
    (a.ownerKind === "component" && (systemsOf.get(a.ownerId)?.has(systemId) ?? false));

  const [windows, silences] = await Promise.all([
    tx
      .select({ w: maintenanceWindow, locationPath: windowLocation.path })
      .from(maintenanceWindow)
      .leftJoin(windowLocation, eq(windowLocation.id, maintenanceWindow.scopeLocationId))
      .where(
        and(
          eq(maintenanceWindow.enabled, true),
          lte(maintenanceWindow.firstStart, at),
          or(isNull(maintenanceWindow.lastEnd), gt(maintenanceWindow.lastEnd, at)),
          or(
            and(
              eq(maintenanceWindow.scopeKind, "location"),
              prefixOfAny(windowLocation.path, paths),
            ),
            componentIds.length
              ? inArray(maintenanceWindow.scopeComponentId, componentIds)
              : undefined,
            systemIds.length ? inArray(maintenanceWindow.scopeSystemId, systemIds) : undefined,
            templates.length ? inArray(maintenanceWindow.scopeTemplate, templates) : undefined,
          ),
        ),
      ),
    tx
      .select({
        s: silence,
        locationPath: silenceLocation.path,
        componentPath: silenceComponent.path,
      })
      .from(silence)
      .leftJoin(silenceLocation, eq(silenceLocation.id, silence.ownerLocationId))
      .leftJoin(silenceComponent, eq(silenceComponent.id, silence.ownerComponentId))
      .where(
        and(
          lte(silence.startsAt, at),
          gt(silence.expiresAt, at),
          or(
            isNull(silence.ownerKind),
            and(eq(silence.ownerKind, "location"), prefixOfAny(silenceLocation.path, paths)),
            componentIds.length ? inArray(silence.ownerComponentId, componentIds) : undefined,
            systemIds.length ? inArray(silence.ownerSystemId, systemIds) : undefined,
          ),
        ),
      ),
  ]);

  for (const { w, locationPath } of windows) {
    const covers = (a: SuppressionFacts) => {
      switch (w.scopeKind) {
        case "location":
          return locationPath !== null && inSubtree(a.ownerPath, locationPath);
        case "system":
          return inSystem(a, w.scopeSystemId!);
        case "owner":
          return a.ownerKind === "component" && a.ownerId === w.scopeComponentId;
        case "template":
          return a.templateName?.split("@")[0] === w.scopeTemplate;
      }
    };
    const targets = alarms.flatMap((a, i) => (covers(a) ? [i] : []));
    if (targets.length === 0 || !activeAt(scheduleOf(w), at)) continue;
    for (const i of targets)
      result[i]!.windows.push({ kind: "window", id: w.id, name: w.name, label: w.label });
  }

  const matched = new Set<string>();
  for (const { s, locationPath, componentPath } of silences) {
    const matchers = s.matchers as StoredMatchers;
    const ownerHolds = (a: SuppressionFacts) => {
      if (s.ownerKind === null) return true;
      if (s.ownerKind === "location")
        return locationPath !== null && inSubtree(a.ownerPath, locationPath);
      if (s.ownerKind === "system") return inSystem(a, s.ownerSystemId!);
      return (
        a.ownerKind === "component" && a.ownerId === s.ownerComponentId && componentPath !== null
      );
    };
    alarms.forEach((a, i) => {
      if (!ownerHolds(a)) return;
      const facts = {
        rule: a.ruleName,
        ownerPath: a.ownerPath,
        severity: a.severity,
        template: a.templateName,
      };
      if (!silenceMatches({ matchers: matchers as SilenceMatchers }, facts)) return;
      matched.add(s.id);
      result[i]!.silences.push({
        kind: "silence",
        id: s.id,
        reason: s.reason,
        author: s.authorName,
        expiresAt: s.expiresAt.toISOString(),
      });
    });
  }
  if (touch && matched.size > 0) {
    await tx
      .update(silence)
      .set({ lastMatchedAt: at })
      .where(
        and(
          inArray(silence.id, [...matched]),
          or(
            isNull(silence.lastMatchedAt),
            lt(silence.lastMatchedAt, new Date(at.getTime() - TOUCH_EVERY_MS)),
          ),
        ),
      );
  }
  return result;
}
