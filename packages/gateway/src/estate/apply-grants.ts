import { and, eq, ne, sql } from "drizzle-orm";
import { OmniglassError } from "@omniglass/domain";
import { bodyOf } from "@omniglass/estate";
import { createGrant, deleteGrant } from "../principals/grants";
import { principal } from "../schema";
import { specsOf, type ChangeArgs } from "./apply-model";

/**
 * A role grant through the principals API: created, deleted, or replaced (a changed `operator`:
 * the old grant deleted, the new one created). The writers run the API's delegation checks
 * again inside the transaction (a refusal there rolls everything back); the apply ran them
 * before anything was written (`grantChecks`).
 */
export async function writeGrant(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, change, ids } = a;
  const { want, was } = specsOf<"grant">(a);
  const spec = want ?? was!;
  const principalId = await principalIdOf(a, bodyOf(spec.principal));
  if (change.operation === "delete" || change.operation === "replace") {
    const grantId = ids.get(change.address);
    if (!grantId) throw new Error(`no grant id for ${change.address} (read with the model)`);
    await deleteGrant({ ...ctx, principalId, grantId });
  }
  if (change.operation === "delete") return;
  const scope = want!.scope;
  await refuseRepeat(a, principalId, bodyOf(want!.role), scope);
  const made = await createGrant({
    ...ctx,
    input: {
      id: principalId,
      role: bodyOf(want!.role),
      scope:
        scope === "all"
          ? { kind: "all" }
          : scope.startsWith("location.")
            ? { kind: "location", location: bodyOf(scope), operator: want!.operator ?? "subtree" }
            : { kind: "system", system: bodyOf(scope) },
    },
  });
  return made.id;
}

/**
 * A grant of the same role on the same scope to the same principal (any operator: the address
 * is the key, so a second one would be a grant the files cannot name) is not made twice: the
 * table does not prevent it, and a plan that did not read it (a subtree plan of a grant outside
 * the subtree) would repeat it. 409, nothing written (the apply rolls back).
 */
async function refuseRepeat(
  { tx, change }: ChangeArgs,
  principalId: string,
  roleName: string,
  scope: string,
): Promise<void> {
  const target = scope === "all" ? null : bodyOf(scope);
  const kind = scope === "all" ? "all" : scope.startsWith("location.") ? "location" : "system";
  const found = await tx.execute(sql`select g.id from role_grant g
    join role r on r.id = g.role_id
    left join location l on l.id = g.location_id
    left join system s on s.id = g.system_id
    where g.principal_id = ${principalId} and r.name = ${roleName} and g.scope_kind = ${kind}
      and (${kind} = 'all' or coalesce(l.path, s.path) = ${target})
    limit 1`);
  const existing = (found.rows[0] as { id: string } | undefined)?.id;
  if (existing)
    throw new OmniglassError(
      "CONFLICT",
      `${change.address}: the principal already holds that role on that scope (grant ${existing}); nothing was applied. Plan again (without a subtree, so the grant is read).`,
      { fieldErrors: [{ field: change.address, message: "grant exists" }] },
    );
}

async function principalIdOf({ tx, change }: ChangeArgs, name: string): Promise<string> {
  const [row] = await tx
    .select({ id: principal.id })
    .from(principal)
    .where(and(eq(principal.name, name), ne(principal.kind, "node")));
  if (!row)
    throw new OmniglassError("INVALID", `${change.address}: no principal ${name}.`, {
      fieldErrors: [{ field: change.address, message: `unknown principal ${name}` }],
    });
  return row.id;
}
