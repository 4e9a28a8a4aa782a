import { eq } from "drizzle-orm";
import type {
  IssueEnrollmentInput,
  MoveInput,
  Node,
  NodeWithEnrollmentToken,
  UpdateNodeInput,
} from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { newSecret } from "../identity/secrets";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { node, principal } from "../schema";
import { expiryIn, lockNode, nodeVersion, onNode, readNodeBack } from "./lock-node";

/** Changes a node's label (`node:update`). */
export async function updateNode({
  input,
  ...ctx
}: GatewayContext & { input: UpdateNodeInput }): Promise<Node> {
  return mutate(ctx, {
    verb: "update",
    resource: "node",
    resolve: (tx) => lockNode(tx, ctx.actor, input.ref),
    needs: (current) => [onNode(current, "node:update", "update")],
    version: nodeVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readNodeBack(tx, id),
    apply: async (tx, current) => {
      if (input.label === undefined || input.label === current.label) return UNCHANGED;
      await tx
        .update(principal)
        .set({ label: input.label, ...bumpVersion(principal) })
        .where(eq(principal.id, current.row.id));
      await tx.update(node).set(bumpVersion(node)).where(eq(node.id, current.row.id));
    },
  });
}

/**
 * Issues a fresh enrollment token (`node:update`), replacing the previous one, which can no longer
 * be claimed. Allowed after enrollment too: that is how a node re-enrolls.
 */
export async function issueEnrollment({
  input,
  ...ctx
}: GatewayContext & { input: IssueEnrollmentInput }): Promise<NodeWithEnrollmentToken> {
  const secret = newSecret("og_");
  const after = await mutate(ctx, {
    verb: "issue-enrollment",
    resource: "node",
    resolve: (tx) => lockNode(tx, ctx.actor, input.ref),
    needs: (current) => [onNode(current, "node:update", "enroll")],
    id: (current) => current.row.id,
    read: (tx, id) => readNodeBack(tx, id),
    apply: async (tx, current) => {
      if (current.disabledAt)
        throw new OmniglassError("CONFLICT", `${current.name} is disabled; enable it first.`);
      await tx
        .update(node)
        .set({
          enrollmentHash: secret.hash,
          enrollmentPrefix: secret.display,
          enrollmentExpiresAt: expiryIn(input.expiresInHours),
          ...bumpVersion(node),
        })
        .where(eq(node.id, current.row.id));
    },
  });
  return { ...after, enrollmentToken: secret.secret };
}

/** Moves a node to another location (`node:move` at both ends). */
export async function moveNode({
  input,
  ...ctx
}: GatewayContext & { input: MoveInput }): Promise<Node> {
  return mutate(ctx, {
    verb: "move",
    resource: "node",
    resolve: async (tx) => ({
      current: await lockNode(tx, ctx.actor, input.ref),
      target: await resolveLocation(tx, ctx.actor, input.location),
    }),
    needs: ({ current, target }) => [
      onNode(current, "node:move", "move"),
      { capability: "node:move", location: target.path, action: "move nodes" },
    ],
    version: ({ current }) => nodeVersion(input.version)(current),
    id: ({ current }) => current.row.id,
    read: (tx, id) => readNodeBack(tx, id),
    apply: async (tx, { current, target }) => {
      if (target.id === current.row.locationId) return UNCHANGED;
      await tx
        .update(node)
        .set({ locationId: target.id, ...bumpVersion(node) })
        .where(eq(node.id, current.row.id));
    },
  });
}
