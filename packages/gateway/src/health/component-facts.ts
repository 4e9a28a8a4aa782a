import { sql } from "drizzle-orm";
import { judgeComponent, type Judgement, type OpenAlarm } from "@omniglass/domain";
import type { Transaction } from "../db";
import { OPEN_ALARMS, STORED_COLUMNS, storedOf, type StoredColumns } from "./stored";
import type { StoredHealth } from "./types";

/*
 * What a component is judged from (issue #13 §4, §5), in one statement for any number of them:
 *
 * - monitored: some node polls one of its interfaces, or something pushes its samples (a series
 *   with provenance `pushed`). Declared values and old observations alone are not monitoring:
 *   nothing would tell us when they stop being true.
 * - collector down: every node that polls it is offline by the console's liveness rule (its last
 *   heartbeat — `last_seen_at`, else the heartbeat's `beatAt` — older than three of its
 *   intervals, 10 s when it never said; a node that never sent one counts as down). Named by the
 *   first such node. Checked before freshness: the values it last sent may still be fresh.
 * - fresh data: some observed or pushed series is `fresh` (declared values do not count).
 * - alarms: its open alarms except info, critical first.
 */

export interface ComponentSubject {
  id: string;
  path: string;
  locationId: string;
  systemIds: string[];
  judgement: Judgement;
  stored: StoredHealth | null;
}

type Row = StoredColumns & {
  id: string;
  path: string;
  location_id: string;
  system_ids: string[] | null;
  monitored: boolean;
  collector_down: string | null;
  fresh: boolean;
  alarms: OpenAlarm[];
};

export async function judgeComponents(
  tx: Transaction,
  ids: readonly string[],
): Promise<ComponentSubject[]> {
  if (ids.length === 0) return [];
  const result = await tx.execute(sql`
    select c.id, c.path, c.location_id,
      array(select m.system_id from system_member m where m.component_id = c.id) as system_ids,
      exists (select 1 from component_interface i
              where i.component_id = c.id and i.node_id is not null)
        or exists (select 1 from series s
                   where s.component_id = c.id and s.provenance = 'pushed') as monitored,
      (select case when bool_or(p.online) then null else min(p.name) end
       from (select pr.name, coalesce(n.last_seen_at, (n.heartbeat ->> 'beatAt')::timestamptz)
               >= now() - 3 * coalesce((n.heartbeat ->> 'intervalMs')::int, 10000)
                  * interval '1 millisecond' as online
             from node n join principal pr on pr.id = n.id
             where n.id in (select i.node_id from component_interface i
                            where i.component_id = c.id and i.node_id is not null)) p
      ) as collector_down,
      exists (select 1 from series s where s.component_id = c.id and s.state = 'fresh'
              and s.provenance is distinct from 'declared') as fresh,
      ${sql.raw(OPEN_ALARMS("component_id", "c.id", "c.path"))} as alarms,
      ${sql.raw(STORED_COLUMNS)}
    from component c left join health h on h.component_id = c.id
    where c.id = any(${sql.param([...ids])}::uuid[])
    order by c.id`);
  return (result.rows as unknown as Row[]).map((r) => ({
    id: r.id,
    path: r.path,
    locationId: r.location_id,
    systemIds: r.system_ids ?? [],
    stored: storedOf(r),
    judgement: judgeComponent({
      path: r.path,
      monitored: r.monitored,
      collectorDown: r.collector_down,
      hasFreshData: r.fresh,
      alarms: r.alarms ?? [],
    }),
  }));
}
