import { sql, type SQL } from "drizzle-orm";
import type { Assessment, TemplateDocument } from "@omniglass/contracts";
import { signalsOf, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { componentScope } from "../components/resolve-component";
import { locationScopeCondition } from "../locations/scope";
import { systemScope } from "../systems/resolve-system";
import {
  buildAssessment,
  type Facts,
  type RawAlarm,
  type RawComponent,
  type RawSeries,
} from "./build-assessment";
import { resolveAssessmentScope, type AssessmentScope } from "./resolve-scope";

/*
 * The assessment's reads (issue #16 §6). A constant number of statements whatever the size of the
 * scope: the scope (at most three), then in one read-only snapshot the revision, the locations,
 * the systems with their roles, the components with their interfaces, nodes and declarations,
 * the templates they pin, their series and the open alarms — each one statement for all rows.
 * Every kind is read within its own read scope (`location:read`, `system:read`,
 * `component:read`): what the caller cannot read is not there, not even counted.
 */

const or = (condition: SQL | undefined) => condition ?? sql`true`;
const like = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;

/** A node is online by the console's liveness rule (component-facts.ts says the same). */
const NODE_ONLINE = sql.raw(`coalesce(n.last_seen_at, (n.heartbeat ->> 'beatAt')::timestamptz)
  >= now() - 3 * coalesce((n.heartbeat ->> 'intervalMs')::int, 10000) * interval '1 millisecond'`);

export async function readAssessment({
  db,
  actor,
  input,
  version,
  now = () => new Date(),
}: {
  db: Database;
  actor: Actor;
  input: { scope: string };
  version: string;
  now?: () => Date;
}): Promise<Assessment> {
  const scope = await resolveAssessmentScope(db, actor, input.scope);
  const facts = await db.transaction(
    async (tx) => {
      const revision = await readRevision(tx);
      const locations = scope.kind === "location" ? await readLocations(tx, actor, scope) : [];
      const systems = scope.kind === "component" ? [] : await readSystems(tx, actor, scope);
      const components = await readComponents(
        tx,
        actor,
        scope,
        systems.map((s) => s.id),
      );
      const templateIds = [...new Set(components.map((c) => c.template_id))];
      const templates = await readTemplates(tx, templateIds);
      const componentIds = components.map((c) => c.id);
      const series = await readSeries(tx, componentIds);
      const alarms = await readAlarms(
        tx,
        componentIds,
        systems.map((s) => s.id),
        locations.map((l) => l.id),
      );
      return {
        revision,
        locations,
        systems,
        components,
        templates,
        series,
        alarms,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return buildAssessment({
    ...facts,
    scope,
    version,
    requestedBy: actor.name,
    generatedAt: now(),
  } satisfies Facts);
}

/**
 * The estate revision: the change log's last (what `estateRevision` reads for a plan's base,
 * without its row count, which an assessment does not need and would scan the log for).
 */
async function readRevision(tx: Transaction): Promise<string> {
  const result = await tx.execute(
    sql`select coalesce(max(revision), 0)::text as revision from estate_change`,
  );
  return (result.rows[0] as { revision: string }).revision;
}

async function readLocations(tx: Transaction, actor: Actor, scope: AssessmentScope) {
  const inScope = or(locationScopeCondition(actor, "location:read"));
  const result = await tx.execute(sql`
    select location.id, location.path, location.label, t.name as type,
      h.verdict, h.since, h.explanation
    from location join location_type t on t.id = location.type_id
    left join health h on h.location_id = location.id
    where (location.path = ${scope.path} or location.path like ${like(scope.path)}) and ${inScope}
    order by location.path`);
  return result.rows as unknown as Facts["locations"];
}

async function readSystems(tx: Transaction, actor: Actor, scope: AssessmentScope) {
  const inScope = or(systemScope(actor, "system:read"));
  const readableComponent = or(componentScope(actor, "component:read"));
  const where =
    scope.kind === "system"
      ? sql`system.id = ${scope.id}::uuid`
      : sql`system.path like ${like(scope.path)}`;
  const result = await tx.execute(sql`
    select system.id, system.path, system.label, t.name as type, l.path as location,
      h.verdict, h.since, h.explanation,
      coalesce((select json_agg(json_build_object(
          'name', r.name, 'quorum', r.quorum, 'impact', r.impact,
          'filledBy', array(select component.path from system_member m
                            join component on component.id = m.component_id
                            where m.role_id = r.id and ${readableComponent} order by component.path))
          order by r.name)
        from system_role r where r.system_id = system.id), '[]'::json) as roles,
      array(select component.path from system_member m join component on component.id = m.component_id
            where m.system_id = system.id and ${readableComponent} order by component.path) as members
    from system join system_type t on t.id = system.type_id
    join location l on l.id = system.location_id
    left join health h on h.system_id = system.id
    where ${where} and ${inScope}
    order by system.path`);
  return result.rows as unknown as Facts["systems"];
}

async function readComponents(
  tx: Transaction,
  actor: Actor,
  scope: AssessmentScope,
  systemIds: string[],
): Promise<RawComponent[]> {
  const inScope = or(componentScope(actor, "component:read"));
  const readableSystem = or(systemScope(actor, "system:read"));
  const members = sql`component.id in (select m.component_id from system_member m
    where m.system_id = any(${sql.param(systemIds)}::uuid[]))`;
  const where =
    scope.kind === "component"
      ? sql`component.id = ${scope.id}::uuid`
      : scope.kind === "system"
        ? members
        : sql`(component.path like ${like(scope.path)} or ${members})`;
  const result = await tx.execute(sql`
    select component.id, component.path, component.label, component.vendor, component.model,
      component.serial, component.mac, component.template_id, tp.name as template_name,
      tp.version as template_version,
      array(select system.path from system_member m join system on system.id = m.system_id
            where m.component_id = component.id and ${readableSystem} order by system.path) as systems,
      exists (select 1 from component_interface i
              where i.component_id = component.id and i.node_id is not null)
        or exists (select 1 from series s
                   where s.component_id = component.id and s.provenance = 'pushed') as monitored,
      coalesce((select json_agg(json_build_object('name', i.name, 'protocol', i.protocol,
          'node', pr.name, 'online', case when n.id is null then null else ${NODE_ONLINE} end)
          order by i.name)
        from component_interface i left join node n on n.id = i.node_id
        left join principal pr on pr.id = n.id
        where i.component_id = component.id), '[]'::json) as interfaces,
      coalesce((select json_agg(json_build_object('key', b.key, 'value', b.value) order by b.key)
        from estate_binding b join signal g on g.name = b.key
        where b.component_id = component.id and b.kind = 'tag' and b.level = 'component'),
        '[]'::json) as declarations,
      h.verdict, h.since, h.explanation
    from component join template tp on tp.id = component.template_id
    left join health h on h.component_id = component.id
    where ${where} and ${inScope}
    order by component.path`);
  return result.rows as unknown as RawComponent[];
}

async function readTemplates(tx: Transaction, ids: string[]) {
  if (ids.length === 0) return new Map<string, ReturnType<typeof signalsOf>>();
  const result = await tx.execute(sql`
    select id, document from template where id = any(${sql.param(ids)}::uuid[])`);
  return new Map(
    (result.rows as { id: string; document: TemplateDocument }[]).map((r) => [
      r.id,
      signalsOf(r.document),
    ]),
  );
}

async function readSeries(tx: Transaction, componentIds: string[]): Promise<RawSeries[]> {
  if (componentIds.length === 0) return [];
  const result = await tx.execute(sql`
    select s.component_id, g.name as signal, g.unit, s.instance, s.value, s.ts, s.provenance,
      s.state, s.state_since, s.stale_at, pr.name as source
    from series s join signal g on g.id = s.signal_id
    left join principal pr on pr.id = s.source_id
    where s.component_id = any(${sql.param(componentIds)}::uuid[])
    order by s.component_id, g.name, s.instance`);
  return result.rows as unknown as RawSeries[];
}

async function readAlarms(
  tx: Transaction,
  componentIds: string[],
  systemIds: string[],
  locationIds: string[],
): Promise<RawAlarm[]> {
  if (componentIds.length + systemIds.length + locationIds.length === 0) return [];
  const result = await tx.execute(sql`
    select a.id, coalesce(a.component_id, a.system_id, a.location_id) as owner_id, a.severity,
      r.name as rule, a.instance, a.summary, a.opened_at, a.acknowledged_at is not null as acknowledged,
      a.suppressed
    from alarm a join event_rule r on r.id = a.rule_id
    where a.lifecycle = 'open' and (a.component_id = any(${sql.param(componentIds)}::uuid[])
      or a.system_id = any(${sql.param(systemIds)}::uuid[])
      or a.location_id = any(${sql.param(locationIds)}::uuid[]))
    order by a.id`);
  return result.rows as unknown as RawAlarm[];
}
