import { and, eq, isNull, sql } from "drizzle-orm";
import type { EnrollNodeInput, NodeCredential, RequestMeta } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database } from "../db";
import { hashSecret, newSecret } from "../identity/secrets";
import { apiToken, node, principal, role, roleGrant } from "../schema";

/** The one answer to every refused claim: it tells nothing about which tokens exist. */
const refused = () =>
  new OmniglassError(
    "UNAUTHENTICATED",
    "This enrollment token cannot be claimed: ask an administrator to issue a new one.",
  );

/**
 * A node claims its one-time enrollment token (the token is the credential: no session, no
 * grant needed). In one transaction: the token is spent, the node is enrolled, its earlier API
 * tokens are revoked and a new one made, it holds the official `node` role on its location, and
 * one audit row (never a secret) is written as the node. An unknown, expired or spent token, or a
 * disabled node, is the same 401.
 */
export async function enrollNode({
  db,
  meta,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: EnrollNodeInput;
}): Promise<NodeCredential> {
  const hash = hashSecret(input.token);
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ row: node, name: principal.name, disabledAt: principal.disabledAt })
      .from(node)
      .innerJoin(principal, eq(principal.id, node.id))
      .where(eq(node.enrollmentHash, hash))
      .for("update", { of: node });
    if (
      !found ||
      found.disabledAt !== null ||
      !found.row.enrollmentExpiresAt ||
      found.row.enrollmentExpiresAt.getTime() <= Date.now()
    )
      throw refused();
    const id = found.row.id;
    const as = {
      ...meta,
      actor: { id, kind: "node" as const },
      realActor: { id, kind: "node" as const },
    };
    await tx
      .update(node)
      .set({
        enrollmentHash: null,
        enrollmentPrefix: null,
        enrollmentExpiresAt: null,
        enrolledAt: sql`now()`,
        updatedAt: sql`now()`,
        version: sql`${node.version} + 1`,
      })
      .where(eq(node.id, id));
    const revoked = await tx
      .update(apiToken)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiToken.principalId, id), isNull(apiToken.revokedAt)))
      .returning({ id: apiToken.id });
    const secret = newSecret("og_");
    const tokenId = uuidv7();
    await tx.insert(apiToken).values({
      id: tokenId,
      principalId: id,
      name: "node-credential",
      prefix: secret.display,
      secretHash: secret.hash,
    });
    const [nodeRole] = await tx.select({ id: role.id }).from(role).where(eq(role.name, "node"));
    if (!nodeRole)
      throw new OmniglassError("UNAVAILABLE", "The official node role is missing; run the seed.");
    const [held] = await tx
      .select({ id: roleGrant.id })
      .from(roleGrant)
      .where(and(eq(roleGrant.principalId, id), eq(roleGrant.roleId, nodeRole.id)))
      .limit(1);
    if (!held)
      await tx.insert(roleGrant).values({
        id: uuidv7(),
        principalId: id,
        roleId: nodeRole.id,
        scopeKind: "location",
        locationId: found.row.locationId,
        scopeOperator: "subtree",
      });
    await writeAudit(tx, as, {
      verb: "enroll",
      resource: "node",
      resourceId: id,
      after: {
        tokenId,
        prefix: secret.display,
        revokedTokens: revoked.map((r) => r.id),
        roleGranted: !held,
      },
    });
    return { nodeId: id, name: found.name, token: secret.secret };
  });
}
