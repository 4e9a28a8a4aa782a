import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { TemplateDocument } from "@omniglass/contracts";
import { parseDuration } from "@omniglass/domain";
import type { Database } from "../db";

export interface PolledEstate {
  nodeId: string;
  locationId: string;
  componentIds: string[];
  /** The signals the node polls on every component, with their interval. */
  signals: { name: string; intervalMs: number }[];
}

/**
 * Seeds a location, an (enrolled) node, and `components` components of one official template
 * with every interface bound to that node: the fixture of the ingest tests and `pnpm bench
 * ingest`. Written directly (no actor, no audit): never used on an operator's estate.
 */
export async function unsafeSeedPolledComponents(
  db: Database,
  {
    name,
    components,
    template = "snmp-network-switch",
  }: { name: string; components: number; template?: string },
): Promise<PolledEstate> {
  return db.transaction(async (tx) => {
    const locationId = uuidv7();
    const nodeId = uuidv7();
    const [type] = (await tx.execute(sql`select id from location_type where name = 'campus'`))
      .rows as { id: string }[];
    const [tpl] = (
      await tx.execute(
        sql`select id, document from template where name = ${template} order by version desc limit 1`,
      )
    ).rows as { id: string; document: TemplateDocument }[];
    if (!type || !tpl)
      throw new Error(`seed: location type campus or template ${template} missing`);
    await tx.execute(sql`
      insert into location (id, parent_id, type_id, name, label, path, depth)
      values (${locationId}, null, ${type.id}, ${name}, ${name}, ${name}, 0)`);
    await tx.execute(
      sql`insert into principal (id, kind, name) values (${nodeId}, 'node', ${`${name}-node`})`,
    );
    await tx.execute(sql`
      insert into node (id, location_id, enrolled_at) values (${nodeId}, ${locationId}, now())`);
    const componentIds = Array.from({ length: components }, () => uuidv7());
    await tx.execute(sql`
      insert into component (id, name, location_id, path, template_id, address)
      select c.id, 'device-' || c.n, ${locationId}, ${name} || '.device-' || c.n, ${tpl.id}, '127.0.0.1'
      from unnest(${sql.param(componentIds)}::uuid[]) with ordinality as c(id, n)`);
    for (const iface of tpl.document.interfaces) {
      await tx.execute(sql`
        insert into component_interface (id, component_id, name, protocol, node_id)
        select gen_random_uuid(), c.id, ${iface.name}, ${iface.protocol}, ${nodeId}
        from unnest(${sql.param(componentIds)}::uuid[]) as c(id)`);
    }
    const intervals = new Map<string, number>();
    for (const fn of tpl.document.functions)
      for (const output of fn.outputs) {
        const ms = parseDuration(fn.interval);
        intervals.set(output.signal, Math.min(ms, intervals.get(output.signal) ?? Infinity));
      }
    return {
      nodeId,
      locationId,
      componentIds,
      signals: [...intervals].map(([signal, intervalMs]) => ({ name: signal, intervalMs })),
    };
  });
}
