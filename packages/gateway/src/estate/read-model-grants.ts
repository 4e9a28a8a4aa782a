import { sql } from "drizzle-orm";
import { locationScope, OmniglassError, type Actor } from "@omniglass/domain";
import type { EstateModel, EstatePlan, GrantSpec } from "@omniglass/estate";
import { rows, type ReadContext } from "./read-model-kit";

/** Whether the actor reads every grant (`principal:read` on scope all): the read below needs it. */
export const readsGrants = (actor: Actor): boolean =>
  locationScope(actor, "principal:read").kind === "all";

/**
 * Fails closed for files declaring grants that the actor cannot read: without `principal:read`
 * on scope all no existing grant is read, so each declared one would plan as a create (a second
 * grant of what may exist), and an apply could neither find a grant to delete nor see one it
 * would repeat. 403 naming the permission and the grants (the files' and, for an apply, the
 * plan's grant changes); files without grants pass.
 */
export function assertGrantsReadable(
  actor: Actor,
  doing: "plan" | "apply",
  model: EstateModel,
  plan?: EstatePlan,
): void {
  if (readsGrants(actor)) return;
  const grants = [
    ...new Set([
      ...Object.keys(model.objects).filter((a) => model.objects[a]?.kind === "grant"),
      ...(plan?.changes ?? []).filter((c) => c.kind === "grant").map((c) => c.address),
    ]),
  ];
  if (grants.length === 0) return;
  throw new OmniglassError(
    "FORBIDDEN",
    `Grants need principal:read on scope all to ${doing}: without it the existing grants are not read (${grants.length} grant(s) in the files).`,
    {
      fieldErrors: grants
        .slice(0, 20)
        .map((field) => ({ field, message: `needs principal:read on scope all to ${doing}` })),
    },
  );
}

/**
 * Role grants of humans and services (a node's credentials are the nodes API's), read with
 * `principal:read` on scope all — principals are the platform's, as their API reads them. With
 * a subtree, only grants scoped inside it (a location in it or a system placed in it).
 */
export async function readGrants({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
  placedIn,
  sub,
}: ReadContext): Promise<void> {
  if (!readsGrants(actor)) return;
  const grants = await rows<{
    id: string;
    principal: string;
    role: string;
    scope_kind: "all" | "location" | "system";
    operator: "subtree" | "descendants" | "self";
    location_path: string | null;
    system_path: string | null;
  }>(
    db,
    sql`select g.id, p.name as principal, r.name as role, g.scope_kind,
          g.scope_operator as operator, l.path as location_path, s.path as system_path
        from role_grant g
        join principal p on p.id = g.principal_id
        join role r on r.id = g.role_id
        left join location l on l.id = g.location_id
        left join system s on s.id = g.system_id
        where p.kind <> 'node' and ${
          sub
            ? sql`(l.path is not null and ${locationIn(sql`l.path`)}
                or s.path is not null and ${placedIn(sql`s.path`)})`
            : sql`true`
        }
        order by g.created_at, g.id`,
  );
  for (const g of grants) {
    const scope =
      g.scope_kind === "all"
        ? "all"
        : g.scope_kind === "location"
          ? `location.${g.location_path}`
          : `system.${g.system_path}`;
    const address = `grant.${g.principal}.${g.role}.${scope}`;
    // Two grants of one role on one scope: the first stands for both (the address is the key).
    if (objects[address] !== undefined) continue;
    ids.set(address, g.id);
    const spec: GrantSpec = {
      principal: `principal.${g.principal}`,
      role: `role.${g.role}`,
      scope,
      ...(g.scope_kind === "location" ? { operator: g.operator } : {}),
    };
    objects[address] = { kind: "grant", spec, state: state(address) };
  }
}
