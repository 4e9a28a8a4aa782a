import { sql } from "drizzle-orm";
import {
  MAX_DEPENDENCY_DEPTH,
  type DependencyModel,
  type DependencySystem,
  type DependentComponent,
} from "@omniglass/domain";
import type { TemplateDependency } from "@omniglass/contracts";
import type { Transaction } from "../db";
import { uuidArray } from "../rules/component-facts";

/*
 * The slice of the estate model that dependency suppression walks (decision 0010, 0011): from
 * some components, their template's dependency hints against the members of that kind in their
 * systems, and the nodes that poll them — read breadth first, one statement per level, at most
 * MAX_DEPENDENCY_DEPTH levels (a display → its control processor → its switch is three). The
 * pure walk (`findDependencyRoot`) then decides on it.
 */

interface LevelRow {
  id: string;
  path: string;
  kind: string;
  deps: TemplateDependency[];
  pollers: { id: string; name: string }[];
  systems: {
    id: string;
    path: string;
    primary: boolean;
    members: { id: string; path: string; kind: string; role: string | null }[];
  }[];
}

/** What a level read returns for each component: facts, pollers, and hint-kind members. */
const levelQuery = (ids: readonly string[]) => sql`
  select c.id, c.path, t.kind, coalesce(t.document->'dependencies', '[]'::jsonb) as deps,
    coalesce((select jsonb_agg(distinct jsonb_build_object('id', p.id, 'name', p.name))
      from component_interface ci join principal p on p.id = ci.node_id
      where ci.component_id = c.id), '[]'::jsonb) as pollers,
    case when jsonb_array_length(coalesce(t.document->'dependencies', '[]'::jsonb)) = 0
      then '[]'::jsonb
      else coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'path', s.path,
          'primary', m.is_primary,
          'members', coalesce((select jsonb_agg(jsonb_build_object('id', mc.id, 'path', mc.path,
              'kind', mt.kind, 'role', sr.name))
            from system_member mm
              join component mc on mc.id = mm.component_id
              join template mt on mt.id = mc.template_id
              left join system_role sr on sr.id = mm.role_id
            where mm.system_id = s.id and mm.component_id <> c.id
              and mt.kind in (select d->>'kind'
                from jsonb_array_elements(t.document->'dependencies') d)), '[]'::jsonb)))
        from system_member m join system s on s.id = m.system_id
        where m.component_id = c.id), '[]'::jsonb)
    end as systems
  from component c join template t on t.id = c.template_id
  where c.id = any(${uuidArray(ids)}::uuid[])`;

export interface LoadedDependencyModel {
  model: DependencyModel;
  /** A component's path by id (those read, and the members seen). */
  pathOf(componentId: string): string | undefined;
  /** The owners a component's alarms may be explained by, within the depth: ids. */
  reachableFrom(componentId: string): { componentIds: string[]; nodeIds: string[] };
  /**
   * Roots first: 0 for a component that depends on nothing read (a node is 0 too), else one
   * more than the highest of what it depends on (a switch polled by a node 1, its control
   * processor 2, a display behind that 3). Opening in this order lets dependents see roots.
   */
  rankOf(componentId: string): number;
  /** Statements the read took (one per level). */
  statements: number;
}

interface Edges {
  components: string[];
  nodes: string[];
}

/** Reads the model reachable from `componentIds` (nothing when empty). */
export async function readDependencyModel(
  tx: Transaction,
  componentIds: readonly string[],
  maxDepth = MAX_DEPENDENCY_DEPTH,
): Promise<LoadedDependencyModel> {
  const components = new Map<string, DependentComponent>();
  const systems = new Map<
    string,
    { path: string; members: Map<string, DependencySystem["members"][number]> }
  >();
  const paths = new Map<string, string>();
  const edges = new Map<string, Edges>();
  const read = new Set<string>();
  let frontier = [...new Set(componentIds)].sort();
  let statements = 0;
  // Level d holds the components d links away; their edges are links d + 1 (at most maxDepth).
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const rows = (await tx.execute(levelQuery(frontier))).rows as unknown as LevelRow[];
    statements++;
    for (const id of frontier) read.add(id);
    const next = new Set<string>();
    for (const row of rows) {
      paths.set(row.id, row.path);
      const out: Edges = { components: [], nodes: row.pollers.map((p) => p.id) };
      for (const s of row.systems) {
        const system = systems.get(s.path) ?? { path: s.path, members: new Map() };
        systems.set(s.path, system);
        for (const m of s.members) {
          paths.set(m.id, m.path);
          system.members.set(m.path, { component: m.path, kind: m.kind, role: m.role });
          if (row.deps.some((d) => d.kind === m.kind)) out.components.push(m.id);
          if (!read.has(m.id)) next.add(m.id);
        }
      }
      edges.set(row.id, out);
      components.set(row.path, {
        path: row.path,
        kind: row.kind,
        dependencies: row.deps,
        systems: row.systems.map((s) => ({ path: s.path, primary: s.primary })),
        polledBy: row.pollers.map((p) => p.name),
      });
    }
    frontier = [...next].sort();
  }

  const model: DependencyModel = {
    components,
    systems: new Map(
      [...systems].map(([path, s]) => [path, { path, members: [...s.members.values()] }]),
    ),
  };
  const ranks = new Map<string, number>();
  const rankOf = (id: string, visiting = new Set<string>()): number => {
    const known = ranks.get(id);
    if (known !== undefined) return known;
    const out = edges.get(id);
    if (!out || visiting.has(id)) return 0;
    visiting.add(id);
    let rank = out.nodes.length > 0 ? 1 : 0;
    for (const target of out.components) rank = Math.max(rank, 1 + rankOf(target, visiting));
    visiting.delete(id);
    ranks.set(id, rank);
    return rank;
  };
  return {
    model,
    pathOf: (id) => paths.get(id),
    reachableFrom(start) {
      const seen = new Set<string>([start]);
      const nodes = new Set<string>();
      let level = [start];
      for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
        const next: string[] = [];
        for (const id of level) {
          const out = edges.get(id);
          if (!out) continue;
          for (const n of out.nodes) nodes.add(n);
          for (const c of out.components)
            if (!seen.has(c)) {
              seen.add(c);
              next.push(c);
            }
        }
        level = next;
      }
      seen.delete(start);
      return { componentIds: [...seen], nodeIds: [...nodes] };
    },
    rankOf: (id) => rankOf(id),
    statements,
  };
}

/**
 * The components whose alarms an owner's alarm may explain: those that (transitively, within
 * the depth) depend on the given components by a template hint in a shared system, or are
 * polled by the given nodes. One statement per level; the starting components are left out.
 */
export async function readDependentComponents(
  tx: Transaction,
  owners: { componentIds: readonly string[]; nodeIds: readonly string[] },
  maxDepth = MAX_DEPENDENCY_DEPTH,
): Promise<string[]> {
  const seen = new Set<string>(owners.componentIds);
  const found = new Set<string>();
  let components = [...new Set(owners.componentIds)].sort();
  let nodes = [...new Set(owners.nodeIds)].sort();
  for (let depth = 0; depth < maxDepth && (components.length > 0 || nodes.length > 0); depth++) {
    const result = await tx.execute(sql`
      select dc.id
      from component f
        join template ft on ft.id = f.template_id
        join system_member fm on fm.component_id = f.id
        join system_member dm on dm.system_id = fm.system_id and dm.component_id <> f.id
        join component dc on dc.id = dm.component_id
        join template dt on dt.id = dc.template_id
      where f.id = any(${uuidArray(components)}::uuid[])
        and coalesce(dt.document->'dependencies', '[]'::jsonb)
          @> jsonb_build_array(jsonb_build_object('kind', ft.kind))
      union
      select ci.component_id from component_interface ci
      where ci.node_id = any(${uuidArray(nodes)}::uuid[])`);
    const next: string[] = [];
    for (const { id } of result.rows as { id: string }[]) {
      if (seen.has(id)) continue;
      seen.add(id);
      found.add(id);
      next.push(id);
    }
    components = next.sort();
    nodes = [];
  }
  return [...found].sort();
}
