import { and, eq, sql } from "drizzle-orm";
import type { CreateTokenInput, Token } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import type { Transaction } from "../db";
import { newSecret } from "../identity/secrets";
import { mutate, UNCHANGED, type GatewayContext } from "../kit";
import { apiToken } from "../schema";
import { principalRow, toToken } from "./principal-detail";

async function tokenById(tx: Transaction, id: string): Promise<Token> {
  const [row] = await tx.select().from(apiToken).where(eq(apiToken.id, id));
  return toToken(row!);
}

/** A new token for a principal; the secret is in this answer only. Anyone may make tokens for themselves. */
export async function createToken({
  input,
  ...ctx
}: GatewayContext & { input: CreateTokenInput }): Promise<Token & { token: string }> {
  const secret = newSecret("og_");
  const token = await mutate(ctx, {
    verb: "create",
    resource: "token",
    requires: [{ capability: "token:create", everywhere: true, unlessSelf: input.id }],
    resolve: (tx) => principalRow(tx, input.id),
    read: (tx, id) => tokenById(tx, id),
    apply: async (tx, owner) => {
      if (owner.disabledAt)
        throw new OmniglassError("CONFLICT", `${owner.name} is disabled; enable it first.`);
      if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) {
        throw new OmniglassError("INVALID", "expiresAt is in the past.", {
          fieldErrors: [{ field: "expiresAt", message: "in the past" }],
        });
      }
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
      return { id: row!.id, after: { ...toToken(row!), principalId: owner.id } };
    },
  });
  return { ...token, token: secret.secret };
}

/** Revokes one of a principal's tokens (anyone may revoke their own); revoking twice is a no-op. */
export async function revokeToken({
  principalId,
  tokenId,
  ...ctx
}: GatewayContext & { principalId: string; tokenId: string }): Promise<Token> {
  return mutate(ctx, {
    verb: "revoke",
    resource: "token",
    requires: [{ capability: "token:delete", everywhere: true, unlessSelf: principalId }],
    resolve: async (tx) => {
      const [current] = await tx
        .select()
        .from(apiToken)
        .where(and(eq(apiToken.id, tokenId), eq(apiToken.principalId, principalId)))
        .for("update");
      if (!current) throw new OmniglassError("NOT_FOUND", "No such token for this principal.");
      return current;
    },
    id: (current) => current.id,
    read: (tx, id) => tokenById(tx, id),
    apply: async (tx, current) => {
      if (current.revokedAt) return UNCHANGED;
      await tx
        .update(apiToken)
        .set({ revokedAt: sql`now()` })
        .where(eq(apiToken.id, tokenId));
    },
  });
}
