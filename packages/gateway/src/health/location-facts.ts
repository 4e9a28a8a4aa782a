import { sql } from "drizzle-orm";
import {
  judgeLocation,
  type Cause,
  type Judgement,
  type OpenAlarm,
  type Verdict,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import { judgementOf, OPEN_ALARMS, STORED_COLUMNS, storedOf, type StoredColumns } from "./stored";
import type { StoredHealth } from "./types";

/*
 * A location is the worst of its subtree, read one level at a time: its child locations, the
 * systems placed in it, and the components placed in it that serve no system (a component that
 * serves a system counts through that system, whose roles say what its failure means: a redundant
 * microphone down leaves the room degraded, not out), plus the location's own alarms.
 */

export interface LocationSubject {
  id: string;
  path: string;
  parentId: string | null;
  depth: number;
  stored: StoredHealth | null;
  /** The children with a health row (a child judged in this recompute replaces its row). */
  children: {
    kind: "location" | "system" | "component";
    id: string;
    path: string;
    judgement: Judgement;
  }[];
  alarms: OpenAlarm[];
}

type Row = StoredColumns & {
  id: string;
  path: string;
  parent_id: string | null;
  depth: number;
  children: {
    kind: "location" | "system" | "component";
    id: string;
    path: string;
    verdict: Verdict;
    causes: Cause[] | null;
    leaves: Cause[] | null;
  }[];
  alarms: OpenAlarm[];
};

/** The locations at or above the given ones (by path prefix), deepest first. */
export async function ancestorsOf(tx: Transaction, locationIds: readonly string[]) {
  if (locationIds.length === 0) return [];
  const result = await tx.execute(sql`
    select distinct l.id from location l
    join location b on b.path = l.path or b.path like l.path || '.%'
    where b.id = any(${sql.param([...locationIds])}::uuid[])`);
  return (result.rows as { id: string }[]).map((r) => r.id);
}

export async function readLocations(
  tx: Transaction,
  ids: readonly string[],
): Promise<LocationSubject[]> {
  if (ids.length === 0) return [];
  const result = await tx.execute(sql`
    select l.id, l.path, l.parent_id, l.depth,
      coalesce((select json_agg(json_build_object('kind', x.kind, 'id', x.id, 'path', x.path,
          'verdict', x.verdict, 'causes', x.causes, 'leaves', x.leaves) order by x.path)
        from (
          select 'location' as kind, k.id, k.path, ch.verdict, ch.causes, ch.leaves
          from location k join health ch on ch.location_id = k.id where k.parent_id = l.id
          union all
          select 'system', y.id, y.path, sh.verdict, sh.causes, sh.leaves
          from system y join health sh on sh.system_id = y.id where y.location_id = l.id
          union all
          select 'component', c.id, c.path, cch.verdict, cch.causes, cch.leaves
          from component c join health cch on cch.component_id = c.id
          where c.location_id = l.id
            and not exists (select 1 from system_member m where m.component_id = c.id)
        ) x), '[]'::json) as children,
      ${sql.raw(OPEN_ALARMS("location_id", "l.id", "l.path"))} as alarms,
      ${sql.raw(STORED_COLUMNS)}
    from location l left join health h on h.location_id = l.id
    where l.id = any(${sql.param([...ids])}::uuid[])
    order by l.id`);
  return (result.rows as unknown as Row[]).map((r) => ({
    id: r.id,
    path: r.path,
    parentId: r.parent_id,
    depth: r.depth,
    stored: storedOf(r),
    alarms: r.alarms ?? [],
    children: r.children.map((c) => ({
      kind: c.kind,
      id: c.id,
      path: c.path,
      judgement: judgementOf(c),
    })),
  }));
}

/**
 * Judges the locations deepest first, each from its children, a child location judged here
 * standing in for its (older) row.
 */
export function judgeLocations(subjects: LocationSubject[]): Map<string, Judgement> {
  const judged = new Map<string, Judgement>();
  const byDepth = [...subjects].sort((a, b) => b.depth - a.depth);
  for (const s of byDepth) {
    const children: Parameters<typeof judgeLocation>[1][number][] = s.children.map((c) => ({
      path: c.path,
      kind: c.kind,
      id: c.id,
      judgement: (c.kind === "location" && judged.get(c.id)) || c.judgement,
    }));
    // A child location in this recompute without a row yet (its first judgement) still counts.
    for (const other of subjects)
      if (other.parentId === s.id && !s.children.some((c) => c.id === other.id))
        children.push({
          path: other.path,
          kind: "location",
          id: other.id,
          judgement: judged.get(other.id)!,
        });
    children.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    judged.set(s.id, judgeLocation(s.path, children, s.alarms));
  }
  return judged;
}
