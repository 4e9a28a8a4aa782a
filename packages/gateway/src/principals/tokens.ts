import { and, eq, sql } from "drizzle-orm";
import type { CreateTokenInput, Token } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";

import { newSecret } from "../identity/secrets";
import { requireEverywhere, type GatewayContext } from "../kit";
import { apiToken } from "../schema";
import { principalRow, toToken } from "./principal-detail";

/** A new token for a principal; the secret is in this answer only. Anyone may make tokens for themselves. */
export async function createToken({
  db,
  actor,
  meta,
  input,
}: GatewayContext & { input: CreateTokenInput }): Promise<Token & { token: string }> {
  if (input.id !== actor.id) requireEverywhere(actor, "token:create");
  return db.transaction(async (tx) => {
    const owner = await principalRow(tx, input.id);
    if (owner.disabledAt)
      throw new OmniglassError("CONFLICT", `${owner.name} is disabled; enable it first.`);
    if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) {
      throw new OmniglassError("INVALID", "expiresAt is in the past.", {
        fieldErrors: [{ field: "expiresAt", message: "in the past" }],
      });
    }
    const secret = newSecret("og_");
    const [row] = await tx
      .insert(apiToken)
      .values({
        id: uuidv7(),
        principalId: owner.id,
        name: input.name,
        prefix: secret.display,
        secretHash: secret.hash,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning();
    const token = toToken(row!);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "token",
      resourceId: token.id,
      after: { ...token, principalId: owner.id },
    });
    return { ...token, token: secret.secret };
  });
}

export async function revokeToken({
  db,
  actor,
  meta,
  principalId,
  tokenId,
}: GatewayContext & { principalId: string; tokenId: string }): Promise<Token> {
  if (principalId !== actor.id) requireEverywhere(actor, "token:delete");
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(apiToken)
      .where(and(eq(apiToken.id, tokenId), eq(apiToken.principalId, principalId)))
      .for("update");
    if (!current) throw new OmniglassError("NOT_FOUND", "No such token for this principal.");
    if (current.revokedAt) return toToken(current);
    const [revoked] = await tx
      .update(apiToken)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiToken.id, tokenId))
      .returning();
    await writeAudit(tx, meta, {
      verb: "revoke",
      resource: "token",
      resourceId: tokenId,
      before: toToken(current),
      after: toToken(revoked!),
    });
    return toToken(revoked!);
  });
}
