import { and, eq, ne } from "drizzle-orm";
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
