import { sql } from "drizzle-orm";
import type { ComponentSpec, InterfaceSpec } from "@omniglass/estate";
import { placedScopeCondition } from "../locations/scope";
import { component } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/** Components in `component:read` scope, with their interfaces (and the node polling them). */
export async function readComponents({
  db,
  actor,
  objects,
  ids,
  state,
  placedIn,
}: ReadContext): Promise<void> {
  const componentScope = cond(
    placedScopeCondition(actor, "component:read", {
      path: component.path,
      componentId: component.id,
    }),
  );
  const components = await rows<{
    id: string;
    path: string;
    template: string;
    label: string | null;
    vendor: string | null;
    model: string | null;
    t_vendor: string | null;
    t_model: string | null;
    serial: string | null;
    mac: string | null;
    address: string | null;
    history: boolean;
  }>(
    db,
    sql`select component.id, component.path, t.name || '@' || t.version as template,
          component.label, component.vendor, component.model, t.vendor as t_vendor,
          t.model as t_model, component.serial, component.mac, component.address,
          exists (select 1 from alarm a where a.component_id = component.id)
            or exists (select 1 from series s where s.component_id = component.id)
            or exists (select 1 from health_transition h where h.component_id = component.id) as history
        from ${component} join template t on t.id = ${component.templateId}
        where ${componentScope} and ${placedIn(sql`${component.path}`)}`,
  );
  const componentSpecs = new Map<string, ComponentSpec>();
  for (const c of components) {
    const address = `component.${c.path}`;
    ids.set(address, c.id);
    const spec: ComponentSpec = {
      template: `template.${c.template}`,
      ...optional("label", c.label),
      // Create fills vendor and model from the template: equal to it is "not declared".
      ...optional("vendor", c.vendor === c.t_vendor ? null : c.vendor),
      ...optional("model", c.model === c.t_model ? null : c.model),
      ...optional("serial", c.serial),
      ...optional("mac", c.mac),
      ...optional("address", c.address),
      interfaces: {},
      labels: {},
      metadata: {},
    };
    componentSpecs.set(c.id, spec);
    objects[address] = { kind: "component", spec, state: state(address, c.history) };
  }

  if (componentSpecs.size > 0) {
    const interfaces = await rows<{
      component_id: string;
      name: string;
      node: string | null;
      host: string | null;
      port: number | null;
    }>(
      db,
      sql`select i.component_id, i.name, p.name as node, i.host, i.port
          from component_interface i
          join ${component} on ${component.id} = i.component_id
          left join principal p on p.id = i.node_id
          where ${componentScope} and ${placedIn(sql`${component.path}`)}
          order by i.component_id, i.name`,
    );
    const byComponent = new Map<string, typeof interfaces>();
    for (const i of interfaces) {
      const list = byComponent.get(i.component_id) ?? [];
      list.push(i);
      byComponent.set(i.component_id, list);
    }
    for (const [componentId, list] of byComponent) {
      const spec = componentSpecs.get(componentId);
      if (!spec) continue;
      // The canonical form: one node polling every interface is the component's `node`; an
      // interface is listed only for what differs from that (its own node, host or port).
      const nodes = new Set(list.map((i) => i.node));
      const shared = nodes.size === 1 ? [...nodes][0]! : null;
      if (shared) spec.node = `node.${shared}`;
      for (const i of list) {
        const entry: InterfaceSpec = {
          ...optional("node", i.node && i.node !== shared ? `node.${i.node}` : null),
          ...optional("host", i.host),
          ...optional("port", i.port),
        };
        if (Object.keys(entry).length > 0) spec.interfaces[i.name] = entry;
      }
    }
  }
}
