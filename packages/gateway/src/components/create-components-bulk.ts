import { asc, eq, inArray, sql } from "drizzle-orm";
import type { ComponentDetail, CreateComponentInput } from "@omniglass/contracts";
import { OmniglassError, signalsOf } from "@omniglass/domain";
import type { TemplateDocument } from "@omniglass/contracts";
import { v7 as uuidv7 } from "uuid";
import { writeAudits } from "../audit";
import { resolveTemplate, type TemplateRow } from "../catalog/resolve-template";
import type { Transaction } from "../db";
import { recomputeHealth } from "../health/recompute-health";
import { authorize, nameTaken, type GatewayContext } from "../kit";
import { notFound, resolveLocation } from "../locations/resolve-location";
import { locationScopeCondition } from "../locations/scope";
import {
  component,
  componentInterface,
  location,
  principal,
  signal,
  system,
  systemMember,
  systemRole,
  template,
} from "../schema";
import { bindInterfaces } from "./bind-interfaces";
import { componentQuery, toComponent, type ComponentRow } from "./resolve-component";

/** What the bulk writer creates: a component as `createComponent` takes it, without a system. */
export type BulkComponentInput = Omit<CreateComponentInput, "system" | "role">;

/**
 * Creates many components in the caller's transaction, set-based: the same validation as
 * `createComponent` (location in read scope, template pin, interfaces and their nodes, name free
 * in its location), the same authorization (`component:create` where each is placed — every
 * check made before anything is written), the same rows and the same audit entries (one per
 * component, its read-back as `after`), in a number of statements that does not grow with the
 * number of components: one lookup per distinct template and node, one for the locations, one
 * insert per table, one read-back per table, one audit insert. For a whole estate apply; a single
 * component through the API stays on `createComponent`. Answers the details in input order.
 */
export async function createComponentsBulk(
  tx: Transaction,
  { actor, meta }: Omit<GatewayContext, "db">,
  inputs: readonly BulkComponentInput[],
): Promise<ComponentDetail[]> {
  if (inputs.length === 0) return [];
  // Resolve: locations (by path in one query; an id or a bare name as createComponent does).
  const places = new Map<string, { id: string; path: string }>();
  const refs = [...new Set(inputs.map((i) => i.location))];
  const paths = refs.filter((ref) => ref.includes(".") && !UUID_LIKE.test(ref));
  if (paths.length > 0) {
    const rows = await tx
      .select({ id: location.id, path: location.path })
      .from(location)
      .where(
        sql`${location.path} = any(${sql.raw(`array[${paths.map(quote).join(",")}]::text[]`)}) and ${
          locationScopeCondition(actor, "location:read") ?? sql`true`
        }`,
      );
    for (const row of rows) places.set(row.path, row);
  }
  for (const ref of refs) {
    if (places.has(ref)) continue;
    if (paths.includes(ref)) throw notFound();
    const found = await resolveLocation(tx, actor, ref);
    places.set(ref, { id: found.id, path: found.path });
  }
  const templates = new Map<string, TemplateRow>();
  for (const ref of new Set(inputs.map((i) => i.template)))
    templates.set(ref, await resolveTemplate(tx, ref, { field: "template" }));

  // Authorize every component before anything is written.
  authorize(
    actor,
    [...new Set(inputs.map((i) => places.get(i.location)!.path))].map((path) => ({
      capability: "component:create",
      location: path,
      action: "create components",
    })),
  );

  // Rows: interfaces bound as createComponent binds them (node lookups shared).
  const nodeIds = new Map<string, string>();
  const componentRows = [];
  const interfaceRows = [];
  for (const input of inputs) {
    const place = places.get(input.location)!;
    const pinned = templates.get(input.template)!;
    const interfaces = await bindInterfaces(
      tx,
      actor,
      pinned.document,
      input.interfaces,
      input.node,
      nodeIds,
    );
    const id = uuidv7();
    componentRows.push({
      id,
      name: input.name,
      label: input.label ?? null,
      location_id: place.id,
      path: `${place.path}.${input.name}`,
      template_id: pinned.id,
      vendor: input.vendor ?? pinned.vendor,
      model: input.model ?? pinned.model,
      serial: input.serial ?? null,
      mac: input.mac ?? null,
      address: input.address ?? null,
    });
    for (const i of interfaces)
      interfaceRows.push({
        id: uuidv7(),
        component_id: id,
        name: i.name,
        protocol: i.protocol,
        node_id: i.nodeId,
        host: i.host,
        port: i.port,
      });
  }

  const inserted = await tx.execute(sql`
    insert into component (id, name, label, location_id, path, template_id, vendor, model, serial, mac, address)
    select x.id, x.name, x.label, x.location_id, x.path, x.template_id, x.vendor, x.model, x.serial, x.mac, x.address
    from rows from (jsonb_to_recordset(${JSON.stringify(componentRows)}::jsonb)
      as (id uuid, name text, label text, location_id uuid, path text, template_id uuid,
        vendor text, model text, serial text, mac text, address text)) with ordinality
      as x(id, name, label, location_id, path, template_id, vendor, model, serial, mac, address, ord)
    order by x.ord
    on conflict do nothing
    returning id`);
  if (inserted.rows.length < componentRows.length) {
    const made = new Set((inserted.rows as { id: string }[]).map((r) => r.id));
    const first = componentRows.find((row) => !made.has(row.id))!;
    const at = first.path.slice(0, first.path.lastIndexOf("."));
    throw nameTaken("component", first.name, `in ${at}`);
  }
  if (interfaceRows.length > 0)
    await tx.execute(sql`
      insert into component_interface (id, component_id, name, protocol, node_id, host, port)
      select x.id, x.component_id, x.name, x.protocol, x.node_id, x.host, x.port
      from rows from (jsonb_to_recordset(${JSON.stringify(interfaceRows)}::jsonb)
        as (id uuid, component_id uuid, name text, protocol text, node_id uuid, host text,
          port integer)) with ordinality
        as x(id, component_id, name, protocol, node_id, host, port, ord)
      order by x.ord`);
  const ids = componentRows.map((row) => row.id);
  await recomputeHealth(tx, { componentIds: ids });

  const details = await readComponentsBack(tx, ids);
  await writeAudits(
    tx,
    meta,
    details.map((after) => ({
      verb: "create",
      resource: "component",
      resourceId: after.id,
      after,
    })),
  );
  return details;
}

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The details of components `ids` as they are now, in that order (`readComponentBack` for many). */
export async function readComponentsBack(
  tx: Transaction,
  ids: readonly string[],
): Promise<ComponentDetail[]> {
  if (ids.length === 0) return [];
  const list = sql.raw(`array[${ids.map(quote).join(",")}]::uuid[]`);
  const rows = await componentQuery(tx).where(sql`${component.id} = any(${list})`);
  return componentDetails(tx, rows, ids);
}

/**
 * `componentDetail` for many rows in five statements whatever their number: interfaces (with
 * their nodes), systems, template documents and signals, each for all of them.
 */
async function componentDetails(
  tx: Transaction,
  rows: readonly ComponentRow[],
  order: readonly string[],
): Promise<ComponentDetail[]> {
  const ids = sql.raw(`array[${order.map(quote).join(",")}]::uuid[]`);
  const interfaces = await tx
    .select({ row: componentInterface, nodeName: principal.name })
    .from(componentInterface)
    .leftJoin(principal, eq(principal.id, componentInterface.nodeId))
    .where(sql`${componentInterface.componentId} = any(${ids})`)
    .orderBy(asc(componentInterface.name));
  const systems = await tx
    .select({
      componentId: systemMember.componentId,
      id: system.id,
      path: system.path,
      primary: systemMember.isPrimary,
      role: systemRole.name,
    })
    .from(systemMember)
    .innerJoin(system, eq(system.id, systemMember.systemId))
    .leftJoin(systemRole, eq(systemRole.id, systemMember.roleId))
    .where(sql`${systemMember.componentId} = any(${ids})`)
    .orderBy(asc(system.path));
  const templateIds = [...new Set(rows.map((r) => r.row.templateId))];
  const documents = new Map(
    (
      await tx
        .select({ id: template.id, document: template.document })
        .from(template)
        .where(inArray(template.id, templateIds))
    ).map((t) => [t.id, t.document as TemplateDocument]),
  );
  const produced = new Map([...documents].map(([id, document]) => [id, signalsOf(document)]));
  const names = [...new Set([...produced.values()].flatMap((p) => p.map((s) => s.signal)))];
  const catalog =
    names.length === 0 ? [] : await tx.select().from(signal).where(inArray(signal.name, names));
  const byName = new Map(catalog.map((s) => [s.name, s]));
  const byId = new Map(rows.map((r) => [r.row.id, r]));
  const group = <T extends { componentId: string }>(items: T[]) => {
    const out = new Map<string, T[]>();
    for (const item of items) {
      const list = out.get(item.componentId) ?? [];
      list.push(item);
      out.set(item.componentId, list);
    }
    return out;
  };
  const interfacesOf = group(interfaces.map((i) => ({ ...i, componentId: i.row.componentId })));
  const systemsOf = group(systems);
  return order.map((id) => {
    const found = byId.get(id);
    if (!found) throw new OmniglassError("NOT_FOUND", "No component matches that reference.");
    return {
      ...toComponent(found),
      interfaces: (interfacesOf.get(id) ?? []).map(({ row, nodeName }) => ({
        name: row.name,
        protocol: row.protocol,
        host: row.host,
        port: row.port,
        node: row.nodeId && nodeName ? { id: row.nodeId, name: nodeName } : null,
      })),
      systems: (systemsOf.get(id) ?? []).map((s) => ({
        id: s.id,
        path: s.path,
        primary: s.primary,
        role: s.role,
      })),
      signals: produced.get(found.row.templateId)!.map((p) => {
        const definition = byName.get(p.signal);
        return {
          name: p.signal,
          lane: definition?.lane ?? "property",
          label: definition?.label ?? p.signal,
          unit: definition?.unit ?? null,
          function: p.function,
          interface: p.interface,
          intervalSeconds: p.intervalMs / 1000,
        };
      }),
    };
  });
}
