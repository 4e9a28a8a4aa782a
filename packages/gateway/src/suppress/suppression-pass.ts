import { sql, type SQL } from "drizzle-orm";
import { activeAt, compileSchedule, nextBoundary } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import type { AlarmChange } from "../alarms/transitions";
import { uuidArray } from "../rules/component-facts";
import { unsafeReevaluateSuppressions } from "./reevaluate-suppression";
import type { StoredMatchers } from "./read-silence";

/** How often the clock runs the pass (an alarm still open when its window ends notifies within this and a tick). */
export const SUPPRESSION_PASS_MS = 5_000;

export interface SuppressionPassResult {
  /** false when another worker held the pass (it ran this period's instead). */
  ran: boolean;
  /** Alarms suppressed or released, in the pass's transaction. */
  alarms: AlarmChange[];
  /** Open suppressed alarms looked at (the suppressed lane). */
  held: number;
  /** Windows and silences that began (or changed) since the last pass. */
  began: number;
  /** Alarms decided again (those whose reasons lapsed, and those a new window or silence may cover). */
  reevaluated: number;
}

interface WindowRow {
  id: string;
  enabled: boolean;
  dtstart: string;
  time_zone: string;
  duration: string;
  rrule: string | null;
  updated_ms: number;
  scope_kind: "location" | "system" | "template" | "owner";
  location_path: string | null;
  scope_system_id: string | null;
  scope_component_id: string | null;
  scope_template: string | null;
}

interface SilenceRow {
  id: string;
  starts_ms: number;
  expires_ms: number;
  updated_ms: number;
  matchers: StoredMatchers;
  owner_kind: "location" | "system" | "component" | null;
  location_path: string | null;
  owner_system_id: string | null;
  owner_component_id: string | null;
}

/*
 * A window's state between two of its boundaries, per process: whether it is open, from when,
 * until its next start or end. The pass asks every window every period; the recurrence is
 * walked again only when a boundary has passed (or the schedule changed), so a period with no
 * boundary costs no walk.
 */
interface WindowState {
  key: string;
  from: number;
  until: number;
  active: boolean;
}
const windowStates = new Map<string, WindowState>();

function windowState(w: WindowRow, t: number): WindowState {
  const key = `${w.dtstart}|${w.time_zone}|${w.duration}|${w.rrule ?? ""}`;
  const known = windowStates.get(w.id);
  if (known && known.key === key && t >= known.from && t < known.until) return known;
  const compiled = compileSchedule({
    dtstart: w.dtstart,
    timeZone: w.time_zone,
    duration: w.duration,
    rrule: w.rrule,
  });
  const boundary = nextBoundary(compiled, new Date(t));
  const state = {
    key,
    from: t,
    until: boundary ? boundary.at.getTime() : Infinity,
    active: activeAt(compiled, new Date(t)),
  };
  windowStates.set(w.id, state);
  return state;
}

const windowColumns = sql`
  w.id, w.enabled, w.dtstart, w.time_zone, w.duration, w.rrule,
  (extract(epoch from w.updated_at) * 1000)::float8 as updated_ms,
  w.scope_kind, l.path as location_path, w.scope_system_id, w.scope_component_id, w.scope_template`;

const silenceColumns = sql`
  s.id, (extract(epoch from s.starts_at) * 1000)::float8 as starts_ms,
  (extract(epoch from s.expires_at) * 1000)::float8 as expires_ms,
  (extract(epoch from s.updated_at) * 1000)::float8 as updated_ms,
  s.matchers, s.owner_kind, l.path as location_path, s.owner_system_id, s.owner_component_id`;

const asNumbers = <T extends { updated_ms: number }>(rows: T[]) =>
  rows.map((r) => ({ ...r, updated_ms: Number(r.updated_ms) }));

/**
 * The clock's suppression pass (decision 0011): window and silence boundaries are events.
 *
 * (a) **Released**: the open suppressed alarms (the suppressed lane, `alarm_suppressed_idx`) whose
 *     reasons may have lapsed — a window no longer open (its occurrence ended, it was disabled,
 *     deleted or changed), a silence expired (or expired early, deleted, changed), a root no
 *     longer open, deleted, or itself held by a dependency — are decided again: still held for another
 *     reason → a `suppressed` event naming it; nothing holds them → `unsuppressed`, which
 *     notifies with the alarm's full state.
 * (b) **Covered**: only when a window began (an occurrence started, or it was created, enabled
 *     or changed while open) or a silence started (or was created or changed) since the last
 *     pass, the open unsuppressed alarms in their scope are decided again → `suppressed`. A
 *     period with no boundary reads the windows and the starting silences and nothing else.
 *
 * `since`: the end of the last pass this process ran (null: the first one — everything in force
 * counts as new, once). One worker at a time (a transaction-scoped advisory lock, skipped when
 * held); a pass that fails rolls back whole and the next one (here or on another worker, whose
 * `since` is older) redoes it. Health is not touched: suppression holds notifications only.
 */
export async function unsafeSuppressionPass(
  db: Database,
  { now = new Date(), since }: { now?: Date; since: Date | null },
): Promise<SuppressionPassResult> {
  return db.transaction((tx) => suppressionPass(tx, now.getTime(), since?.getTime() ?? null));
}

async function suppressionPass(
  tx: Transaction,
  now: number,
  since: number | null,
): Promise<SuppressionPassResult> {
  const lock = await tx.execute(
    sql`select pg_try_advisory_xact_lock(hashtext('omniglass-suppression-pass')) as taken`,
  );
  if (!(lock.rows[0] as { taken: boolean }).taken)
    return { ran: false, alarms: [], held: 0, began: 0, reevaluated: 0 };
  const nowIso = new Date(now).toISOString();
  const changedSince = (updatedMs: number) => since !== null && updatedMs > since;

  // (b) first: what began since the last pass (windows are few; the starting silences fewer).
  const windows = asNumbers(
    (
      await tx.execute(sql`
        select ${windowColumns}
        from maintenance_window w left join location l on l.id = w.scope_location_id
        where w.enabled and w.first_start <= ${nowIso}::timestamptz
          and (w.last_end is null or w.last_end > ${new Date(since ?? now).toISOString()}::timestamptz)`)
    ).rows as unknown as WindowRow[],
  );
  const beganWindows = windows.filter((w) => {
    if (since === null || changedSince(w.updated_ms)) return windowState(w, now).active;
    // No boundary between the last pass and now: nothing started.
    if (now < windowState(w, since).until) return false;
    return windowState(w, now).active;
  });
  const beganSilences = asNumbers(
    (
      await tx.execute(sql`
        select ${silenceColumns}
        from silence s left join location l on l.id = s.owner_location_id
        where s.starts_at <= ${nowIso}::timestamptz and s.expires_at > ${nowIso}::timestamptz
          ${
            since === null
              ? sql``
              : sql`and (s.starts_at > ${new Date(since).toISOString()}::timestamptz
                  or s.updated_at > ${new Date(since).toISOString()}::timestamptz)`
          }`)
    ).rows as unknown as SilenceRow[],
  );
  const covered =
    beganWindows.length + beganSilences.length > 0
      ? await coveredAlarms(tx, beganWindows, beganSilences)
      : [];

  // (a) the suppressed lane: whose reasons lapsed.
  const held = (
    await tx.execute(sql`
      select a.id,
        (case when a.root_alarm_id is null
          -- The root's row is gone (its rule or owner deleted: the foreign key set it null).
          then jsonb_typeof(a.suppression->'root') = 'object'
          else r.lifecycle <> 'open' or r.root_alarm_id is not null end) as root_lapsed,
        coalesce(jsonb_path_query_array(a.suppression, '$.windows[*].id'), '[]'::jsonb) as windows,
        coalesce(jsonb_path_query_array(a.suppression, '$.silences[*].id'), '[]'::jsonb) as silences
      from alarm a left join alarm r on r.id = a.root_alarm_id
      where a.lifecycle = 'open' and a.suppressed`)
  ).rows as { id: string; root_lapsed: boolean; windows: string[]; silences: string[] }[];
  const windowIds = [...new Set(held.flatMap((h) => h.windows))];
  const silenceIds = [...new Set(held.flatMap((h) => h.silences))];
  const referencedWindows = new Map<string, WindowRow>();
  for (const w of windows) if (windowIds.includes(w.id)) referencedWindows.set(w.id, w);
  const missingWindows = windowIds.filter((id) => !referencedWindows.has(id));
  if (missingWindows.length > 0)
    for (const w of asNumbers(
      (
        await tx.execute(sql`
          select ${windowColumns}
          from maintenance_window w left join location l on l.id = w.scope_location_id
          where w.id = any(${uuidArray(missingWindows)}::uuid[])`)
      ).rows as unknown as WindowRow[],
    ))
      referencedWindows.set(w.id, w);
  const referencedSilences = new Map<string, SilenceRow>();
  if (silenceIds.length > 0)
    for (const s of asNumbers(
      (
        await tx.execute(sql`
          select ${silenceColumns}
          from silence s left join location l on l.id = s.owner_location_id
          where s.id = any(${uuidArray(silenceIds)}::uuid[])`)
      ).rows as unknown as SilenceRow[],
    ))
      referencedSilences.set(s.id, s);
  const windowLapsed = (id: string) => {
    const w = referencedWindows.get(id);
    return !w || !w.enabled || changedSince(w.updated_ms) || !windowState(w, now).active;
  };
  const silenceLapsed = (id: string) => {
    const s = referencedSilences.get(id);
    return (
      !s || Number(s.starts_ms) > now || Number(s.expires_ms) <= now || changedSince(s.updated_ms)
    );
  };
  const lapsed = held
    .filter((h) => h.root_lapsed || h.windows.some(windowLapsed) || h.silences.some(silenceLapsed))
    .map((h) => h.id);

  // Forget the states of windows no longer read (deleted or disabled).
  const live = new Set([...windows.map((w) => w.id), ...referencedWindows.keys()]);
  for (const id of windowStates.keys()) if (!live.has(id)) windowStates.delete(id);

  const candidates = [...new Set([...lapsed, ...covered])];
  const alarms = await unsafeReevaluateSuppressions(tx, candidates, new Date(now));
  return {
    ran: true,
    alarms,
    held: held.length,
    began: beganWindows.length + beganSilences.length,
    reevaluated: candidates.length,
  };
}

/**
 * The open unsuppressed alarms a window or silence that just began may cover, by its scope in
 * SQL (a superset: the decision itself is `unsafeActiveSuppressions`'s).
 */
async function coveredAlarms(
  tx: Transaction,
  windows: readonly WindowRow[],
  silences: readonly SilenceRow[],
): Promise<string[]> {
  const paths = new Set<string>();
  const systems = new Set<string>();
  const components = new Set<string>();
  const templates = new Set<string>();
  const ownerless: SQL[] = [];
  for (const w of windows) {
    if (w.scope_kind === "location" && w.location_path) paths.add(w.location_path);
    if (w.scope_kind === "system" && w.scope_system_id) systems.add(w.scope_system_id);
    if (w.scope_kind === "owner" && w.scope_component_id) components.add(w.scope_component_id);
    if (w.scope_kind === "template" && w.scope_template) templates.add(w.scope_template);
  }
  for (const s of silences) {
    if (s.owner_kind === "location" && s.location_path) paths.add(s.location_path);
    else if (s.owner_kind === "system" && s.owner_system_id) systems.add(s.owner_system_id);
    else if (s.owner_kind === "component" && s.owner_component_id)
      components.add(s.owner_component_id);
    else if (s.owner_kind === null) {
      const m = s.matchers;
      const parts: SQL[] = [sql`true`];
      if (m.rules?.length) parts.push(sql`r.name = any(${sql.param(m.rules)}::text[])`);
      if (m.severities?.length)
        parts.push(sql`a.severity = any(${sql.param([...m.severities])}::text[])`);
      if (m.templates?.length)
        parts.push(
          sql`t.name = any(${sql.param(m.templates.map((x) => x.split("@")[0]!))}::text[])`,
        );
      ownerless.push(sql`(${sql.join(parts, sql` and `)})`);
    }
  }
  const conditions: SQL[] = [];
  if (paths.size > 0)
    conditions.push(sql`exists (select 1 from unnest(${sql.param([...paths])}::text[]) as p(path)
      where coalesce(c.path, s.path, l.path) = p.path
        or starts_with(coalesce(c.path, s.path, l.path), p.path || '.'))`);
  if (systems.size > 0) {
    const ids = uuidArray([...systems]);
    conditions.push(sql`a.system_id = any(${ids}::uuid[])`);
    conditions.push(sql`a.component_id in (select m.component_id from system_member m
      where m.system_id = any(${ids}::uuid[]))`);
  }
  if (components.size > 0)
    conditions.push(sql`a.component_id = any(${uuidArray([...components])}::uuid[])`);
  if (templates.size > 0) conditions.push(sql`t.name = any(${sql.param([...templates])}::text[])`);
  conditions.push(...ownerless);
  if (conditions.length === 0) return [];
  const result = await tx.execute(sql`
    select a.id
    from alarm a
      join event_rule r on r.id = a.rule_id
      left join component c on c.id = a.component_id
      left join template t on t.id = c.template_id
      left join system s on s.id = a.system_id
      left join location l on l.id = a.location_id
    where a.lifecycle = 'open' and not a.suppressed and (${sql.join(conditions, sql` or `)})`);
  return (result.rows as { id: string }[]).map((r) => r.id);
}
