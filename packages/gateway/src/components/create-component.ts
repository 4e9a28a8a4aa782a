import { and, eq } from "drizzle-orm";
import type { ComponentDetail, CreateComponentInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { resolveTemplate } from "../catalog/resolve-template";
import type { Transaction } from "../db";
import { mutate, nameTaken, relationChecks, type Check, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { component, componentInterface, systemMember, systemRole } from "../schema";
import { resolveSystem, type SystemRow } from "../systems/resolve-system";
import { bindInterfaces } from "./bind-interfaces";
import { recomputeHealth } from "../health/recompute-health";
import { readComponentBack } from "./component-detail";

/**
 * Creates a component from a template version in a location (`component:create` there), binds the
 * template's interfaces (to the node that polls them), and makes it a member of `system` (a
 * relation: `system:update` on the system and `component:update` where the component is placed)
 * — all in one transaction with one audit row.
 */
export async function createComponent({
  input,
  ...ctx
}: GatewayContext & { input: CreateComponentInput }): Promise<ComponentDetail> {
  const { actor } = ctx;
  return mutate(ctx, {
    verb: "create",
    resource: "component",
    resolve: async (tx) => {
      const place = await resolveLocation(tx, actor, input.location);
      const pinned = await resolveTemplate(tx, input.template, { field: "template" });
      const serving = input.system ? await resolveSystem(tx, actor, input.system) : null;
      if (input.role && !serving)
        throw new OmniglassError("INVALID", "A role needs the system it belongs to.", {
          fieldErrors: [{ field: "role", message: "give `system` too" }],
        });
      return { place, pinned, serving, path: `${place.path}.${input.name}` };
    },
    needs: ({ place, serving, path }) => [
      { capability: "component:create", location: place.path, action: "create components" },
      ...(serving
        ? relationChecks(
            actor,
            systemEnd(serving),
            { path, locationPath: place.path, memberOf: [] },
            "add members to",
          )
        : ([] as Check[])),
    ],
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, { place, pinned, serving, path }) => {
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
          path,
          templateId: pinned.id,
          vendor: input.vendor ?? pinned.vendor,
          model: input.model ?? pinned.model,
          serial: input.serial ?? null,
          mac: input.mac ?? null,
          address: input.address ?? null,
        })
        .onConflictDoNothing()
        .returning({ id: component.id });
      if (!created) throw nameTaken("component", input.name, `in ${place.path}`);
      if (interfaces.length > 0)
        await tx
          .insert(componentInterface)
          .values(interfaces.map((i) => ({ ...i, id: uuidv7(), componentId: id })));
      if (serving) {
        const roleId = input.role
          ? await roleAccepting(tx, serving, input.role, pinned.kind)
          : null;
        await tx
          .insert(systemMember)
          .values({ systemId: serving.row.id, componentId: id, isPrimary: true, roleId });
      }
      await recomputeHealth(tx, { componentIds: [id] });
      return { id };
    },
  });
}

/** The system end of a relation, for `relationChecks`. */
export const systemEnd = (found: SystemRow) => ({
  id: found.row.id,
  path: found.row.path,
  locationPath: found.locationPath,
});

async function roleAccepting(tx: Transaction, serving: SystemRow, name: string, kind: string) {
  const [role] = await tx
    .select()
    .from(systemRole)
    .where(and(eq(systemRole.systemId, serving.row.id), eq(systemRole.name, name)));
  if (!role)
    throw new OmniglassError("INVALID", `${serving.row.path} has no role ${name}.`, {
      fieldErrors: [{ field: "role", message: "no such role in this system" }],
    });
  if (!role.accepts.includes(kind))
    throw new OmniglassError(
      "INVALID",
      `Role ${role.name} accepts ${role.accepts.join(", ")}, not ${kind}.`,
      { fieldErrors: [{ field: "role", message: `does not accept ${kind}` }] },
    );
  return role.id;
}
