import { and, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { ComponentDetail, TemplateDocument, UpdateComponentInput } from "@omniglass/contracts";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { component, componentInterface, template } from "../schema";
import { bindInterfaces } from "./bind-interfaces";
import { readComponentBack } from "./component-detail";
import { componentVersion, lockComponent, placedChecks } from "./lock-component";

const FIELDS = ["label", "vendor", "model", "serial", "mac", "address"] as const;

/** Changes a component's fields and interface bindings (`component:update`). */
export async function updateComponent({
  input,
  ...ctx
}: GatewayContext & { input: UpdateComponentInput }): Promise<ComponentDetail> {
  const { actor } = ctx;
  return mutate(ctx, {
    verb: "update",
    resource: "component",
    resolve: (tx) => lockComponent(tx, actor, input.ref),
    needs: (current) => placedChecks(current, "component:update", "update"),
    version: componentVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, current, before) => {
      const changes: Partial<Record<(typeof FIELDS)[number], string | null>> = {};
      for (const field of FIELDS) {
        const value = input[field];
        if (value !== undefined && value !== current.row[field]) changes[field] = value;
      }
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
          const was = before!.interfaces.find((i) => i.name === binding.name);
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
      if (Object.keys(changes).length === 0 && !interfacesChanged) return UNCHANGED;
      await tx
        .update(component)
        .set({ ...changes, ...bumpVersion(component) })
        .where(eq(component.id, current.row.id));
      // A node bound or unbound: monitored ↔ not monitored, collector up or down.
      if (interfacesChanged) await recomputeHealth(tx, { componentIds: [current.row.id] });
    },
  });
}
