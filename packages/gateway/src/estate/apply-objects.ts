import { sql } from "drizzle-orm";
import {
  bodyOf,
  parentPath,
  templateParts,
  type ComponentSpec,
  type EstateModel,
  type PlannedChange,
} from "@omniglass/estate";
import { changeTemplate } from "../components/change-template";
import { createComponent } from "../components/create-component";
import {
  createComponentsBulk,
  type BulkComponentInput,
} from "../components/create-components-bulk";
import { deleteComponent } from "../components/delete-component";
import { updateComponent } from "../components/update-component";
import { createLocation } from "../locations/create-location";
import { deleteLocation } from "../locations/delete-location";
import { updateLocation } from "../locations/update-location";
import { createNode } from "../nodes/create-node";
import { deleteNode } from "../nodes/delete-node";
import { moveNode, updateNode } from "../nodes/update-node";
import { addMember } from "../systems/add-member";
import { createSystem } from "../systems/create-system";
import { deleteSystem } from "../systems/delete-system";
import { removeMember } from "../systems/remove-member";
import { createRole, deleteRole, updateRole } from "../systems/system-roles";
import { updateMember } from "../systems/update-member";
import { updateSystem } from "../systems/update-system";
import type { Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { nameOf, same, specOf, specsOf, type ChangeArgs } from "./apply-model";

/** A location through the locations API. */
export async function writeLocation(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, path, parent, op } = a;
  const want = specOf<"location">(a.desired, a.change.address);
  if (op === "create") {
    const made = await createLocation({
      ...ctx,
      input: {
        name: nameOf(path),
        type: want!.type,
        ...(want!.label ? { label: want!.label } : {}),
        ...(parent ? { parent } : {}),
      },
    });
    return made.id;
  }
  if (op === "update") {
    await updateLocation({
      ...ctx,
      input: { ref: path, label: want!.label ?? null, type: want!.type },
    });
    return;
  }
  await deleteLocation({ ...ctx, ref: path });
  return;
}

/** A node through the nodes API. */
export async function writeNode(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, path, op } = a;
  const name = path;
  const { want, was } = specsOf<"node">(a);
  if (op === "create") {
    // The enrollment token is not kept: issue one through the nodes API when it is installed.
    const made = await createNode({
      ...ctx,
      input: {
        name,
        location: bodyOf(want!.location),
        expiresInHours: 24,
        ...(want!.label ? { label: want!.label } : {}),
      },
    });
    return made.id;
  }
  if (op === "update") {
    if ((want!.label ?? null) !== (was?.label ?? null))
      await updateNode({ ...ctx, input: { ref: name, label: want!.label ?? null } });
    if (was && want!.location !== was.location)
      await moveNode({ ...ctx, input: { ref: name, location: bodyOf(want!.location) } });
    return;
  }
  await deleteNode({ ...ctx, ref: name });
  return;
}

/** A component through the components API (its interfaces' bindings as the state has them). */
export async function writeComponent(a: ChangeArgs): Promise<string | undefined> {
  const { tx, ctx, change, ids, path, parent, op } = a;
  const { want, was } = specsOf<"component">(a);
  if (op === "create") {
    const made = await createComponent({ ...ctx, input: componentInput(want!, path, parent!) });
    return made.id;
  }
  if (op === "update") {
    if (was && want!.template !== was.template) {
      const { name: template, version } = templateParts(want!.template);
      await changeTemplate({
        ...ctx,
        input: { ref: path, template: version === null ? template : `${template}@${version}` },
      });
    }
    const bindingsChanged =
      !was || want!.node !== was.node || !same(want!.interfaces, was.interfaces);
    let interfaces:
      { name: string; node: string | null; host: string | null; port: number | null }[] | undefined;
    if (bindingsChanged) {
      const names = await tx.execute(
        sql`select name from component_interface where component_id = ${ids.get(change.address)!} order by name`,
      );
      interfaces = (names.rows as { name: string }[]).map(({ name }) => {
        const i = want!.interfaces[name] ?? {};
        const node = i.node ?? want!.node;
        return {
          name,
          node: node ? bodyOf(node) : null,
          host: i.host ?? null,
          port: i.port ?? null,
        };
      });
    }
    await updateComponent({
      ...ctx,
      input: {
        ref: path,
        label: want!.label ?? null,
        vendor: want!.vendor ?? null,
        model: want!.model ?? null,
        serial: want!.serial ?? null,
        mac: want!.mac ?? null,
        address: want!.address ?? null,
        ...(interfaces ? { interfaces } : {}),
      },
    });
    return;
  }
  await deleteComponent({ ...ctx, ref: path });
  return;
}

/** A component create as the components API takes it, from its spec in the files. */
function componentInput(want: ComponentSpec, path: string, parent: string): BulkComponentInput {
  const { name: template, version } = templateParts(want.template);
  return {
    name: nameOf(path),
    location: parent,
    template: version === null ? template : `${template}@${version}`,
    ...(want.label ? { label: want.label } : {}),
    ...(want.node ? { node: bodyOf(want.node) } : {}),
    ...(Object.keys(want.interfaces).length > 0
      ? {
          interfaces: Object.entries(want.interfaces).map(([name, i]) => ({
            name,
            ...(i.node ? { node: bodyOf(i.node) } : {}),
            ...(i.host ? { host: i.host } : {}),
            ...(i.port ? { port: i.port } : {}),
          })),
        }
      : {}),
    ...(want.vendor ? { vendor: want.vendor } : {}),
    ...(want.model ? { model: want.model } : {}),
    ...(want.serial ? { serial: want.serial } : {}),
    ...(want.mac ? { mac: want.mac } : {}),
    ...(want.address ? { address: want.address } : {}),
  };
}

/**
 * Component creates in a row of the plan (creates come in dependency order: components after
 * locations and nodes, before systems), set-based (`createComponentsBulk`: the same
 * validation, authorization, rows and audit entries as one `createComponent` each, in a number
 * of statements that does not grow with theirs). Answers their ids in order.
 */
export async function writeComponentCreates(
  tx: Transaction,
  ctx: GatewayContext,
  changes: readonly PlannedChange[],
  desired: EstateModel,
): Promise<string[]> {
  if (changes.length === 0) return [];
  const made = await createComponentsBulk(
    tx,
    ctx,
    changes.map((change) => {
      const path = bodyOf(change.address);
      return componentInput(specOf<"component">(desired, change.address)!, path, parentPath(path)!);
    }),
  );
  return made.map((detail) => detail.id);
}

/** Whether a planned change is a component create (what `writeComponentCreates` writes). */
export const isComponentCreate = (change: PlannedChange) =>
  change.kind === "component" && change.operation === "create";

/** A system, its roles and its members through the systems API. */
export async function writeSystem(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, path, parent, op } = a;
  const { want, was } = specsOf<"system">(a);
  if (op === "delete") {
    for (const member of Object.keys(was?.members ?? {}))
      await removeMember({ ...ctx, ref: path, component: bodyOf(member) });
    await deleteSystem({ ...ctx, ref: path });
    return;
  }
  let madeId: string | undefined;
  if (op === "create") {
    const made = await createSystem({
      ...ctx,
      input: {
        name: nameOf(path),
        type: want!.type,
        location: parent!,
        ...(want!.label ? { label: want!.label } : {}),
      },
    });
    madeId = made.id;
  } else if (was && (want!.type !== was.type || (want!.label ?? null) !== (was.label ?? null))) {
    await updateSystem({
      ...ctx,
      input: { ref: path, label: want!.label ?? null, type: want!.type },
    });
  }
  const roles = was?.roles ?? {};
  for (const [role, spec] of Object.entries(want!.roles)) {
    const had = roles[role];
    if (!had)
      await createRole({
        ...ctx,
        input: {
          ref: path,
          name: role,
          accepts: spec.accepts,
          quorum: spec.quorum,
          impact: spec.impact,
          ...(spec.label ? { label: spec.label } : {}),
        },
      });
    else if (!same(had, spec))
      await updateRole({
        ...ctx,
        input: {
          ref: path,
          role,
          label: spec.label ?? null,
          accepts: spec.accepts,
          quorum: spec.quorum,
          impact: spec.impact,
        },
      });
  }
  const members = was?.members ?? {};
  for (const member of Object.keys(members))
    if (!want!.members[member])
      await removeMember({ ...ctx, ref: path, component: bodyOf(member) });
  for (const [member, spec] of Object.entries(want!.members)) {
    const had = members[member];
    const input = {
      ref: path,
      component: bodyOf(member),
      primary: spec.primary,
      role: spec.role ?? null,
    };
    if (!had) await addMember({ ...ctx, input });
    else if (!same(had, spec)) await updateMember({ ...ctx, input });
  }
  for (const role of Object.keys(roles))
    if (!want!.roles[role]) await deleteRole({ ...ctx, ref: path, role });
  return madeId;
}
