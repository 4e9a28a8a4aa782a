import { eq, inArray } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { ComponentDetail, TemplateChangeInput, TemplateChanges } from "@omniglass/contracts";
import { compareTemplates, OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { resolveTemplate, templateRef, type TemplateRow } from "../catalog/resolve-template";
import type { Database, Transaction } from "../db";
import { bumpVersion, listSome, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { component, componentInterface, system, systemMember, systemRole } from "../schema";
import { readComponentBack } from "./component-detail";
import { componentVersion, lockComponent, placedChecks } from "./lock-component";
import { resolveComponent, type ComponentRow } from "./resolve-component";

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
}: GatewayContext & { input: TemplateChangeInput }): Promise<TemplateChanges> {
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
  input,
  ...ctx
}: GatewayContext & { input: TemplateChangeInput }): Promise<ComponentDetail> {
  let changes: TemplateChanges | undefined;
  return mutate(ctx, {
    verb: "change-template",
    resource: "component",
    resolve: (tx) => lockComponent(tx, ctx.actor, input.ref),
    needs: (current) => placedChecks(current, "component:update", "change the template of"),
    version: componentVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, current, before) => {
      const from = await pinnedTemplate(tx, current);
      const to = await targetVersion(tx, from, input.template);
      if (to.id === from.id) return UNCHANGED;
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
        .set({ templateId: to.id, ...bumpVersion(component) })
        .where(eq(component.id, current.row.id));
      await recomputeHealth(tx, { componentIds: [current.row.id] });
      changes = changesBetween(from, to);
      const after = await readComponentBack(tx, current.row.id);
      return { before, after: { ...after, changes } };
    },
  });
}
