import { and, eq, sql } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database } from "../db";
import { apiToken, principal, role, roleGrant } from "../schema";
import { hashPassword, newSecret } from "./secrets";

const BOOTSTRAP_LOCK = 72_001_338;

export interface BootstrapResult {
  principalId: string;
  createdPrincipal: boolean;
  createdGrant: boolean;
  passwordSet: boolean;
  token: string;
}

/**
 * Ensures `username` is a human owner on scope all (creating the principal and the grant only when
 * missing), optionally sets its password, and issues a new API token. Idempotent apart from the new
 * token; concurrent runs take turns. For the CLI's bootstrap only: no actor, hence unsafe.
 */
export async function unsafeBootstrapOwner({
  db,
  meta,
  username,
  password,
}: {
  db: Database;
  meta: RequestMeta;
  username: string;
  password?: string;
}): Promise<BootstrapResult> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(username) || username.length > 100) {
    throw new OmniglassError(
      "INVALID",
      "username must match ^[a-z0-9][a-z0-9-]*$ (at most 100 characters)",
      {
        fieldErrors: [
          {
            field: "username",
            message: "lowercase letters, digits and dashes, starting with a letter or digit",
          },
        ],
      },
    );
  }
  const passwordHash = password === undefined ? undefined : await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [owner] = await tx.select({ id: role.id }).from(role).where(eq(role.name, "owner"));
    if (!owner)
      throw new OmniglassError(
        "UNAVAILABLE",
        "the official roles are not seeded yet; run migrate first",
      );

    let [existing] = await tx.select().from(principal).where(eq(principal.name, username));
    const createdPrincipal = !existing;
    if (existing && existing.kind !== "human") {
      throw new OmniglassError(
        "CONFLICT",
        `${username} exists and is a ${existing.kind}, not a human`,
      );
    }
    const audited = (p: typeof principal.$inferSelect) => ({
      ...p,
      passwordHash: p.passwordHash ? "set" : null,
    });
    if (!existing) {
      [existing] = await tx
        .insert(principal)
        .values({ id: uuidv7(), kind: "human", name: username, passwordHash: passwordHash ?? null })
        .returning();
      await writeAudit(tx, meta, {
        verb: "create",
        resource: "principal",
        resourceId: existing!.id,
        after: audited(existing!),
      });
    } else if (passwordHash) {
      const before = existing;
      [existing] = await tx
        .update(principal)
        .set({ passwordHash, updatedAt: sql`now()`, version: sql`${principal.version} + 1` })
        .where(eq(principal.id, before.id))
        .returning();
      await writeAudit(tx, meta, {
        verb: "update",
        resource: "principal",
        resourceId: before.id,
        before: audited(before),
        after: audited(existing!),
      });
    }
    const principalId = existing!.id;

    const [grant] = await tx
      .select({ id: roleGrant.id })
      .from(roleGrant)
      .where(
        and(
          eq(roleGrant.principalId, principalId),
          eq(roleGrant.roleId, owner.id),
          eq(roleGrant.scopeKind, "all"),
        ),
      );
    if (!grant) {
      const [created] = await tx
        .insert(roleGrant)
        .values({
          id: uuidv7(),
          principalId,
          roleId: owner.id,
          scopeKind: "all",
          scopeOperator: "subtree",
        })
        .returning();
      await writeAudit(tx, meta, {
        verb: "create",
        resource: "grant",
        resourceId: created!.id,
        after: created,
      });
    }

    const secret = newSecret("og_");
    const [token] = await tx
      .insert(apiToken)
      .values({
        id: uuidv7(),
        principalId,
        name: "bootstrap",
        prefix: secret.display,
        secretHash: secret.hash,
      })
      .returning({
        id: apiToken.id,
        name: apiToken.name,
        prefix: apiToken.prefix,
        principalId: apiToken.principalId,
      });
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "token",
      resourceId: token!.id,
      after: token,
    });

    return {
      principalId,
      createdPrincipal,
      createdGrant: !grant,
      passwordSet: passwordHash !== undefined,
      token: secret.secret,
    };
  });
}
