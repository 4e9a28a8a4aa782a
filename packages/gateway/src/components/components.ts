import { and, asc, count, eq, ilike, inArray, or, sql } from "drizzle-orm";
import type {
  Component,
  ComponentDetail,
  CreateComponentInput,
  ListComponentsInput,
  MoveInput,
  RenameInput,
  RequestMeta,
  TemplateChangeInput,
  TemplateChanges,
  TemplateDocument,
  UpdateComponentInput,
} from "@omniglass/contracts";
import {
  compareTemplates,
  OmniglassError,
  parseFilter,
  signalsOf,
  type Actor,
} from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { assertPlacedInScope, forbidden, listSome } from "../estate/refs";
import { keysetOrder, toPage, type Page } from "../list";
import { inScope, resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { resolveNode } from "../nodes/resolve-node";
import {
  component,
  componentInterface,
  principal,
  signal,
  system,
  systemMember,
  systemRole,
  template,
} from "../schema";
import { resolveSystem } from "../systems/resolve-system";
import { resolveTemplate, templateRef, type TemplateRow } from "../catalog/resolve-template";
import { assertFreshVersion } from "../versions";
import {
  componentQuery,
  componentScope,
  resolveComponent,
  systemIdsOf,
  toComponent,
  type ComponentRow,
} from "./resolve-component";

const ORDER = {
  path: { column: component.path, unique: true, value: (r: ComponentRow) => r.row.path },
  name: { column: component.name, value: (r: ComponentRow) => r.row.name },
  created_at: { column: component.id, unique: true, value: (r: ComponentRow) => r.row.id },
};
const ID = { column: component.id, value: (r: ComponentRow) => r.row.id };

const FILTERS = ["location", "system", "template", "kind", "node"] as const;

/**
 * Components in read scope, one page in one statement plus one count, whatever the page size.
 * Filters: `location` (placed in it or below), `system` (serving it), `template`, `kind`, `node`.
 */
export async function findComponents({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: ListComponentsInput;
}): Promise<Page<Component>> {
  const filter = parseFilter(input.filter, FILTERS);
  const [place, serving, pinned, poller] = await Promise.all([
    filter.location ? resolveLocation(db, actor, filter.location) : null,
    filter.system ? resolveSystem(db, actor, filter.system) : null,
    filter.template ? resolveTemplate(db, filter.template, { field: "filter" }) : null,
    filter.node ? resolveNode(db, actor, filter.node) : null,
  ]);
  const where = and(
    componentScope(actor, "component:read"),
    place ? sql`${component.path} like ${`${escapeLike(place.path)}.%`}` : undefined,
    serving
      ? sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${component.id} and ${systemMember.systemId} = ${serving.row.id})`
      : undefined,
    pinned
      ? filter.template!.includes("@")
        ? eq(component.templateId, pinned.id)
        : sql`${component.templateId} in (select ${template.id} from ${template} where ${template.name} = ${pinned.name})`
      : undefined,
    filter.kind
      ? sql`${component.templateId} in (select ${template.id} from ${template} where ${template.kind} = ${filter.kind})`
      : undefined,
    poller
      ? sql`exists (select 1 from ${componentInterface} where ${componentInterface.componentId} = ${component.id} and ${componentInterface.nodeId} = ${poller.row.id})`
      : undefined,
    input.q
      ? or(
          ilike(component.name, `%${escapeLike(input.q)}%`),
          ilike(component.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const [rows, [total]] = await Promise.all([
    componentQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db.select({ n: count() }).from(component).where(where),
  ]);
  const page = toPage(rows, input, order.cursorOf, toComponent);
  return { ...page, totalSize: total?.n ?? 0 };
}

export async function getComponent({
  db,
  actor,
  ref,
}: {
  db: Database | Transaction;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<ComponentDetail> {
  return componentDetail(db, await resolveComponent(db, actor, ref));
}

/** The component with its interfaces (and the nodes polling them), systems and the signals its template produces. */
async function componentDetail(
  db: Database | Transaction,
  found: ComponentRow,
): Promise<ComponentDetail> {
  const [interfaces, systems, [pinned]] = await Promise.all([
    db
      .select({ row: componentInterface, nodeName: principal.name })
      .from(componentInterface)
      .leftJoin(principal, eq(principal.id, componentInterface.nodeId))
      .where(eq(componentInterface.componentId, found.row.id))
      .orderBy(asc(componentInterface.name)),
    db
      .select({
        id: system.id,
        path: system.path,
        primary: systemMember.isPrimary,
        role: systemRole.name,
      })
      .from(systemMember)
      .innerJoin(system, eq(system.id, systemMember.systemId))
      .leftJoin(systemRole, eq(systemRole.id, systemMember.roleId))
      .where(eq(systemMember.componentId, found.row.id))
      .orderBy(asc(system.path)),
    db
      .select({ document: template.document })
      .from(template)
      .where(eq(template.id, found.row.templateId)),
  ]);
  const produced = signalsOf(pinned!.document as TemplateDocument);
  const catalog =
    produced.length === 0
      ? []
      : await db
          .select()
          .from(signal)
          .where(
            inArray(
              signal.name,
              produced.map((p) => p.signal),
            ),
          );
  const byName = new Map(catalog.map((s) => [s.name, s]));
  return {
    ...toComponent(found),
    interfaces: interfaces.map(({ row, nodeName }) => ({
      name: row.name,
      protocol: row.protocol,
      host: row.host,
      port: row.port,
      node: row.nodeId && nodeName ? { id: row.nodeId, name: nodeName } : null,
    })),
    systems: systems.map((s) => ({ id: s.id, path: s.path, primary: s.primary, role: s.role })),
    signals: produced.map((p) => {
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
}

type InterfaceBindings = CreateComponentInput["interfaces"];

/** The interface rows a template version asks for, bound as the input says (node, host, port). */
async function bindInterfaces(
  tx: Transaction,
  actor: Actor,
  document: TemplateDocument,
  bindings: InterfaceBindings,
  defaultNode: string | null | undefined,
) {
  const declared = new Map(document.interfaces.map((i) => [i.name, i]));
  (bindings ?? []).forEach((b, index) => {
    if (!declared.has(b.name))
      throw new OmniglassError(
        "INVALID",
        `${document.name}@${document.version} has no interface ${b.name}.`,
        {
          fieldErrors: [
            {
              field: `interfaces.${index}.name`,
              message: `expected one of ${[...declared.keys()].join(", ")}`,
            },
          ],
        },
      );
  });
  const nodeIds = new Map<string, string>();
  const nodeId = async (ref: string | null | undefined, field: string) => {
    if (!ref) return null;
    if (!nodeIds.has(ref)) {
      const found = await resolveNode(tx, actor, ref).catch((error: unknown) => {
        if (error instanceof OmniglassError && error.code === "NOT_FOUND")
          throw new OmniglassError("INVALID", `No node ${ref}.`, {
            fieldErrors: [{ field, message: "no such node" }],
          });
        throw error;
      });
      nodeIds.set(ref, found.row.id);
    }
    return nodeIds.get(ref)!;
  };
  const rows = [];
  for (const declaredInterface of document.interfaces) {
    const index = (bindings ?? []).findIndex((b) => b.name === declaredInterface.name);
    const binding = index >= 0 ? bindings![index] : undefined;
    rows.push({
      name: declaredInterface.name,
      protocol: declaredInterface.protocol,
      nodeId:
        binding?.node !== undefined
          ? await nodeId(binding.node, `interfaces.${index}.node`)
          : await nodeId(defaultNode, "node"),
      host: binding?.host ?? null,
      port: binding?.port ?? null,
    });
  }
  return rows;
}

const nameTaken = (name: string, where: string) =>
  new OmniglassError("CONFLICT", `A component named ${name} already exists in ${where}.`, {
    fieldErrors: [{ field: "name", message: "already taken here" }],
  });

async function readBack(tx: Transaction, id: string) {
  const [row] = await componentQuery(tx).where(eq(component.id, id));
  return row!;
}

/**
 * Creates a component from a template version in a location (`component:create` there), binds the
 * template's interfaces (to the node that polls them), and makes it a member of `system` (which
 * needs `system:update` on it) — all in one transaction with one audit row.
 */
export async function createComponent({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateComponentInput;
}): Promise<ComponentDetail> {
  return db.transaction(async (tx) => {
    const place = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "component:create", place.path))
      throw forbidden("create components", place.path);
    const pinned = await resolveTemplate(tx, input.template, { field: "template" });
    const serving = input.system ? await resolveSystem(tx, actor, input.system) : null;
    if (serving)
      assertPlacedInScope(
        actor,
        "system:update",
        { locationPath: serving.locationPath, systemIds: [serving.row.id], path: serving.row.path },
        "add members to",
      );
    if (input.role && !serving)
      throw new OmniglassError("INVALID", "A role needs the system it belongs to.", {
        fieldErrors: [{ field: "role", message: "give `system` too" }],
      });
    const interfaces = await bindInterfaces(
      tx,
      actor,
      pinned.document,
      input.interfaces,
      input.node,
    );
    const id = uuidv7();
    const [created] = await tx
      .insert(component)
      .values({
        id,
        name: input.name,
        label: input.label ?? null,
        locationId: place.id,
        path: `${place.path}.${input.name}`,
        templateId: pinned.id,
        vendor: input.vendor ?? pinned.vendor,
        model: input.model ?? pinned.model,
        serial: input.serial ?? null,
        mac: input.mac ?? null,
        address: input.address ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: component.id });
    if (!created) throw nameTaken(input.name, place.path);
    if (interfaces.length > 0)
      await tx
        .insert(componentInterface)
        .values(interfaces.map((i) => ({ ...i, id: uuidv7(), componentId: id })));
    if (serving) {
      let roleId: string | null = null;
      if (input.role) {
        const [role] = await tx
          .select()
          .from(systemRole)
          .where(and(eq(systemRole.systemId, serving.row.id), eq(systemRole.name, input.role)));
        if (!role)
          throw new OmniglassError("INVALID", `${serving.row.path} has no role ${input.role}.`, {
            fieldErrors: [{ field: "role", message: "no such role in this system" }],
          });
        if (!role.accepts.includes(pinned.kind))
          throw new OmniglassError(
            "INVALID",
            `Role ${role.name} accepts ${role.accepts.join(", ")}, not ${pinned.kind}.`,
            { fieldErrors: [{ field: "role", message: `does not accept ${pinned.kind}` }] },
          );
        roleId = role.id;
      }
      await tx
        .insert(systemMember)
        .values({ systemId: serving.row.id, componentId: id, isPrimary: true, roleId });
    }
    const after = await componentDetail(tx, await readBack(tx, id));
    await writeAudit(tx, meta, { verb: "create", resource: "component", resourceId: id, after });
    return after;
  });
}

/** Locks the component, checks the action's scope (its location or a system it serves) and the version. */
async function forChange(
  tx: Transaction,
  actor: Actor,
  ref: string,
  capability: string,
  action: string,
  version?: number,
) {
  const current = await resolveComponent(tx, actor, ref, { forUpdate: true });
  assertPlacedInScope(
    actor,
    capability,
    {
      locationPath: current.locationPath,
      systemIds: await systemIdsOf(tx, current.row.id),
      path: current.row.path,
    },
    action,
  );
  assertFreshVersion(current.row.path, version, current.row.version);
  return current;
}

export async function updateComponent({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateComponentInput;
}): Promise<ComponentDetail> {
  return db.transaction(async (tx) => {
    const current = await forChange(
      tx,
      actor,
      input.ref,
      "component:update",
      "update",
      input.version,
    );
    const fields = ["label", "vendor", "model", "serial", "mac", "address"] as const;
    const changes: Partial<Record<(typeof fields)[number], string | null>> = {};
    for (const field of fields) {
      const value = input[field];
      if (value !== undefined && value !== current.row[field]) changes[field] = value;
    }
    const before = await componentDetail(tx, current);
    let interfacesChanged = false;
    if (input.interfaces) {
      const [pinned] = await tx
        .select()
        .from(template)
        .where(eq(template.id, current.row.templateId));
      const wanted = await bindInterfaces(
        tx,
        actor,
        pinned!.document as TemplateDocument,
        input.interfaces,
        undefined,
      );
      for (const binding of input.interfaces) {
        const row = wanted.find((w) => w.name === binding.name)!;
        const was = before.interfaces.find((i) => i.name === binding.name);
        const set = {
          ...(binding.node !== undefined ? { nodeId: row.nodeId } : {}),
          ...(binding.host !== undefined ? { host: row.host } : {}),
          ...(binding.port !== undefined ? { port: row.port } : {}),
        };
        const same =
          (set.nodeId === undefined || set.nodeId === (was?.node?.id ?? null)) &&
          (set.host === undefined || set.host === was?.host) &&
          (set.port === undefined || set.port === was?.port);
        if (same) continue;
        interfacesChanged = true;
        await tx
          .update(componentInterface)
          .set(set)
          .where(
            and(
              eq(componentInterface.componentId, current.row.id),
              eq(componentInterface.name, binding.name),
            ),
          );
      }
    }
    if (Object.keys(changes).length === 0 && !interfacesChanged) return before;
    await tx
      .update(component)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${component.version} + 1` })
      .where(eq(component.id, current.row.id));
    const after = await componentDetail(tx, await readBack(tx, current.row.id));
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "component",
      resourceId: current.row.id,
      before,
      after,
    });
    return after;
  });
}

async function relocate(
  tx: Transaction,
  meta: RequestMeta,
  current: ComponentRow,
  verb: "rename" | "move",
  to: { name: string; locationId: string; locationPath: string },
): Promise<ComponentDetail> {
  const path = `${to.locationPath}.${to.name}`;
  const [clash] = await tx
    .select({ id: component.id })
    .from(component)
    .where(eq(component.path, path));
  if (clash) throw nameTaken(to.name, to.locationPath);
  const before = toComponent(current);
  await tx
    .update(component)
    .set({
      name: to.name,
      locationId: to.locationId,
      path,
      updatedAt: sql`now()`,
      version: sql`${component.version} + 1`,
    })
    .where(eq(component.id, current.row.id));
  const after = await componentDetail(tx, await readBack(tx, current.row.id));
  await writeAudit(tx, meta, {
    verb,
    resource: "component",
    resourceId: current.row.id,
    before,
    after,
  });
  return after;
}

/** Renames a component within its location (`component:rename`). */
export async function renameComponent({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: RenameInput;
}): Promise<ComponentDetail> {
  return db.transaction(async (tx) => {
    const current = await forChange(
      tx,
      actor,
      input.ref,
      "component:rename",
      "rename",
      input.version,
    );
    if (current.row.name === input.name) return componentDetail(tx, current);
    return relocate(tx, meta, current, "rename", {
      name: input.name,
      locationId: current.row.locationId,
      locationPath: current.locationPath,
    });
  });
}

/** Moves a component to another location (`component:move` at both ends); its memberships stay. */
export async function moveComponent({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: MoveInput;
}): Promise<ComponentDetail> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "component:move", "move", input.version);
    const target = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "component:move", target.path))
      throw forbidden("move components", target.path);
    if (target.id === current.row.locationId) return componentDetail(tx, current);
    return relocate(tx, meta, current, "move", {
      name: current.row.name,
      locationId: target.id,
      locationPath: target.path,
    });
  });
}

/** Deletes a component that serves no system any more (409 naming them). */
export async function deleteComponent({
  db,
  actor,
  meta,
  ref,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<{ id: string; deleted: true }> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, ref, "component:delete", "delete");
    const serving = await tx
      .select({ path: system.path })
      .from(systemMember)
      .innerJoin(system, eq(system.id, systemMember.systemId))
      .where(eq(systemMember.componentId, current.row.id))
      .orderBy(asc(system.path))
      .limit(6);
    if (serving.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `${current.row.path} still serves systems: ${listSome(serving.map((s) => s.path))}. Remove it from them first.`,
      );
    const before = await componentDetail(tx, current);
    await tx.delete(component).where(eq(component.id, current.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "component",
      resourceId: current.row.id,
      before,
    });
    return { id: current.row.id, deleted: true as const };
  });
}

async function targetVersion(tx: Database | Transaction, current: TemplateRow, ref: string) {
  const target = await resolveTemplate(tx, ref.includes("@") ? ref : `${ref}`, {
    field: "template",
  });
  if (target.name !== current.name)
    throw new OmniglassError(
      "INVALID",
      `${current.name} components move between versions of ${current.name}, not to ${target.name}.`,
      { fieldErrors: [{ field: "template", message: `expected ${current.name}@<version>` }] },
    );
  return target;
}

function changesBetween(from: TemplateRow, to: TemplateRow): TemplateChanges {
  return {
    from: templateRef(from),
    to: templateRef(to),
    ...compareTemplates(from.document, to.document),
  };
}

async function pinnedTemplate(tx: Database | Transaction, row: ComponentRow) {
  return resolveTemplate(tx, row.row.templateId);
}

/** What moving the component to another version of its template would change; changes nothing. */
export async function previewTemplateChange({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: TemplateChangeInput;
}): Promise<TemplateChanges> {
  const current = await resolveComponent(db, actor, input.ref);
  const from = await pinnedTemplate(db, current);
  return changesBetween(from, await targetVersion(db, from, input.template));
}

/**
 * Pins the component to another version of its template (`component:update`): interfaces the new
 * version drops are unbound, new ones are bound to the node that polls the others. Refused (409)
 * when a role it fills would no longer accept its kind.
 */
export async function changeTemplate({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: TemplateChangeInput;
}): Promise<ComponentDetail> {
  return db.transaction(async (tx) => {
    const current = await forChange(
      tx,
      actor,
      input.ref,
      "component:update",
      "change the template of",
      input.version,
    );
    const from = await pinnedTemplate(tx, current);
    const to = await targetVersion(tx, from, input.template);
    if (to.id === from.id) return componentDetail(tx, current);
    if (to.kind !== from.kind) {
      const roles = await tx
        .select({ name: systemRole.name, path: system.path, accepts: systemRole.accepts })
        .from(systemMember)
        .innerJoin(systemRole, eq(systemRole.id, systemMember.roleId))
        .innerJoin(system, eq(system.id, systemMember.systemId))
        .where(eq(systemMember.componentId, current.row.id));
      const refusing = roles.filter((r) => !r.accepts.includes(to.kind));
      if (refusing.length > 0)
        throw new OmniglassError(
          "CONFLICT",
          `${templateRef(to)} is a ${to.kind}, which ${listSome(refusing.map((r) => `${r.path} role ${r.name}`))} does not accept.`,
        );
    }
    const before = await componentDetail(tx, current);
    const existing = await tx
      .select()
      .from(componentInterface)
      .where(eq(componentInterface.componentId, current.row.id));
    const keep = new Set(to.document.interfaces.map((i) => i.name));
    const dropped = existing.filter((i) => !keep.has(i.name)).map((i) => i.id);
    if (dropped.length > 0)
      await tx.delete(componentInterface).where(inArray(componentInterface.id, dropped));
    const poller = existing.find((i) => i.nodeId)?.nodeId ?? null;
    for (const declared of to.document.interfaces) {
      const was = existing.find((i) => i.name === declared.name);
      if (was && was.protocol === declared.protocol) continue;
      if (was)
        await tx
          .update(componentInterface)
          .set({ protocol: declared.protocol })
          .where(eq(componentInterface.id, was.id));
      else
        await tx.insert(componentInterface).values({
          id: uuidv7(),
          componentId: current.row.id,
          name: declared.name,
          protocol: declared.protocol,
          nodeId: poller,
        });
    }
    await tx
      .update(component)
      .set({ templateId: to.id, updatedAt: sql`now()`, version: sql`${component.version} + 1` })
      .where(eq(component.id, current.row.id));
    const after = await componentDetail(tx, await readBack(tx, current.row.id));
    await writeAudit(tx, meta, {
      verb: "change-template",
      resource: "component",
      resourceId: current.row.id,
      before,
      after: { ...after, changes: changesBetween(from, to) },
    });
    return after;
  });
}
