import type { CreateNodeInput, NodeWithEnrollmentToken } from "@omniglass/contracts";
import { v7 as uuidv7 } from "uuid";
import { newSecret } from "../identity/secrets";
import { mutate, nameTaken, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { node, principal } from "../schema";
import { expiryIn, readNodeBack } from "./lock-node";

/**
 * Creates a node in a location (`node:create` there): the principal of kind node, its node row and
 * a one-time enrollment token, in one transaction with one audit row. Only the token's SHA-256 and
 * prefix are stored; the secret is in this answer only (and never in the audit row).
 */
export async function createNode({
  input,
  ...ctx
}: GatewayContext & { input: CreateNodeInput }): Promise<NodeWithEnrollmentToken> {
  const secret = newSecret("og_");
  const after = await mutate(ctx, {
    verb: "create",
    resource: "node",
    resolve: (tx) => resolveLocation(tx, ctx.actor, input.location),
    needs: (place) => [{ capability: "node:create", location: place.path, action: "create nodes" }],
    read: (tx, id) => readNodeBack(tx, id),
    apply: async (tx, place) => {
      const id = uuidv7();
      const [created] = await tx
        .insert(principal)
        .values({ id, kind: "node", name: input.name, label: input.label ?? null })
        .onConflictDoNothing()
        .returning({ id: principal.id });
      if (!created) throw nameTaken("principal", input.name, undefined, "name");
      await tx.insert(node).values({
        id,
        locationId: place.id,
        enrollmentHash: secret.hash,
        enrollmentPrefix: secret.display,
        enrollmentExpiresAt: expiryIn(input.expiresInHours),
      });
      return { id };
    },
  });
  return { ...after, enrollmentToken: secret.secret };
}
