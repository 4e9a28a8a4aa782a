import { and, asc, count, eq, gt, ilike, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type {
  CreateGrantInput,
  CreatePrincipalInput,
  CreateTokenInput,
  Grant,
  ListInput,
  Principal,
  PrincipalDetail,
  RequestMeta,
  Token,
  UpdatePrincipalInput,
} from "@omniglass/contracts";
import { canDelegate, OmniglassError, type Actor, type ActorGrant } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import { assertFreshVersion } from "../kit";
import type { Database, Transaction } from "../db";
import { hashPassword, newSecret } from "../identity/secrets";
import { readCursor, toPage, type Page } from "../list";
import { resolveLocation } from "../locations/resolve-location";
import { apiToken, location, principal, role, roleGrant, session, system } from "../schema";
import { resolveSystem } from "../systems/resolve-system";
import { requireEverywhere } from "../kit";
import { alias } from "drizzle-orm/pg-core";

const systemLocation = alias(location, "system_location");

const toPrincipal = (row: typeof principal.$inferSelect): Principal => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  label: row.label,
  email: row.email,
  hasPassword: row.passwordHash !== null,
  disabled: row.disabledAt !== null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  version: row.version,
});

const toToken = (row: typeof apiToken.$inferSelect): Token => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const notFound = () => new OmniglassError("NOT_FOUND", "No principal with that id.");

async function principalRow(db: Database | Transaction, id: string, { forUpdate = false } = {}) {
  const query = db.select().from(principal).where(eq(principal.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound();
  return row;
}

async function grantsOf(
  db: Database | Transaction,
  principalIds: string[],
): Promise<Map<string, Grant[]>> {
  const rows =
    principalIds.length === 0
      ? []
      : await db
          .select({
            grant: roleGrant,
            roleName: role.name,
            path: location.path,
            systemPath: system.path,
            systemLocationPath: systemLocation.path,
          })
          .from(roleGrant)
          .innerJoin(role, eq(role.id, roleGrant.roleId))
          .leftJoin(location, eq(location.id, roleGrant.locationId))
          .leftJoin(system, eq(system.id, roleGrant.systemId))
          .leftJoin(systemLocation, eq(systemLocation.id, system.locationId))
          .where(inArray(roleGrant.principalId, principalIds))
          .orderBy(asc(roleGrant.createdAt));
  const byPrincipal = new Map<string, Grant[]>();
  for (const r of rows) {
    const scope: Grant["scope"] =
      r.grant.scopeKind === "location" && r.grant.locationId && r.path
        ? {
            kind: "location",
            locationId: r.grant.locationId,
            path: r.path,
            operator: r.grant.scopeOperator,
          }
        : r.grant.scopeKind === "system" && r.grant.systemId && r.systemPath && r.systemLocationPath
          ? {
              kind: "system",
              systemId: r.grant.systemId,
              path: r.systemPath,
              locationPath: r.systemLocationPath,
            }
          : { kind: "all" };
    const list = byPrincipal.get(r.grant.principalId) ?? [];
    list.push({
      id: r.grant.id,
      role: r.roleName,
      scope,
      createdAt: r.grant.createdAt.toISOString(),
    });
    byPrincipal.set(r.grant.principalId, list);
  }
  return byPrincipal;
}

async function detail(db: Database | Transaction, id: string): Promise<PrincipalDetail> {
  const row = await principalRow(db, id);
  const [grants, tokens] = await Promise.all([
    grantsOf(db, [id]),
    db.select().from(apiToken).where(eq(apiToken.principalId, id)).orderBy(asc(apiToken.createdAt)),
  ]);
  return { ...toPrincipal(row), grants: grants.get(id) ?? [], tokens: tokens.map(toToken) };
}

export async function listPrincipals({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: ListInput & { kind?: "human" | "service" | "node"; q?: string };
}): Promise<Page<Principal>> {
  requireEverywhere(actor, "principal:read");
  const cursor = readCursor(input, 1);
  const rows = await db
    .select()
    .from(principal)
    .where(
      and(
        input.kind ? eq(principal.kind, input.kind) : undefined,
        input.q
          ? or(ilike(principal.name, `%${input.q}%`), ilike(principal.label, `%${input.q}%`))
          : undefined,
        cursor ? gt(principal.name, String(cursor[0])) : undefined,
      ),
    )
    .orderBy(asc(principal.name))
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.name], toPrincipal);
}

/** A principal with its grants and tokens (never a secret). Anyone may read themselves. */
export async function getPrincipal({
  db,
  actor,
  id,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  id: string;
}) {
  if (id !== actor.id) requireEverywhere(actor, "principal:read");
  return detail(db, id);
}

export async function createPrincipal({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreatePrincipalInput;
}): Promise<PrincipalDetail> {
  requireEverywhere(actor, "principal:create");
  if (input.password && input.kind !== "human") {
    throw new OmniglassError("INVALID", "Only humans have a password; services use tokens.", {
      fieldErrors: [{ field: "password", message: "not allowed for a service" }],
    });
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(principal)
      .values({
        id: uuidv7(),
        kind: input.kind,
        name: input.name,
        label: input.label ?? null,
        email: input.email ?? null,
        passwordHash,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      throw new OmniglassError("CONFLICT", `A principal named ${input.name} exists.`, {
        fieldErrors: [{ field: "name", message: "already taken" }],
      });
    }
    const after = await detail(tx, created.id);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "principal",
      resourceId: created.id,
      after,
    });
    return after;
  });
}

export async function updatePrincipal({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdatePrincipalInput;
}): Promise<PrincipalDetail> {
  if (input.id !== actor.id) requireEverywhere(actor, "principal:update");
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const current = await principalRow(tx, input.id, { forUpdate: true });
    assertFreshVersion(current.name, input.version, current.version);
    if (passwordHash && current.kind !== "human") {
      throw new OmniglassError("INVALID", "Only humans have a password.", {
        fieldErrors: [{ field: "password", message: "not allowed" }],
      });
    }
    const changes = {
      ...(input.label !== undefined && input.label !== current.label ? { label: input.label } : {}),
      ...(input.email !== undefined && input.email !== current.email ? { email: input.email } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    };
    const before = await detail(tx, current.id);
    if (Object.keys(changes).length === 0) return before;
    await tx
      .update(principal)
      .set({ ...changes, updatedAt: sql`now()`, version: sql`${principal.version} + 1` })
      .where(eq(principal.id, current.id));
    const after = await detail(tx, current.id);
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "principal",
      resourceId: current.id,
      before,
      after,
    });
    return after;
  });
}

/** Active owners (on scope all) other than `exceptPrincipal`: at least one must remain. */
async function otherActiveOwners(
  tx: Transaction,
  except: { principalId?: string; grantId?: string },
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(roleGrant)
    .innerJoin(role, eq(role.id, roleGrant.roleId))
    .innerJoin(principal, eq(principal.id, roleGrant.principalId))
    .where(
      and(
        eq(role.name, "owner"),
        eq(roleGrant.scopeKind, "all"),
        isNull(principal.disabledAt),
        except.principalId ? ne(roleGrant.principalId, except.principalId) : undefined,
        except.grantId ? ne(roleGrant.id, except.grantId) : undefined,
      ),
    );
  return row?.n ?? 0;
}

const lastOwner = () =>
  new OmniglassError(
    "CONFLICT",
    "This would leave no active owner; make someone else an owner first.",
  );

/** Disabling ends the principal's sessions and revokes its tokens at once; enabling restores neither. */
export async function setPrincipalDisabled({
  db,
  actor,
  meta,
  id,
  disabled,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  id: string;
  disabled: boolean;
}): Promise<PrincipalDetail> {
  requireEverywhere(actor, disabled ? "principal:disable" : "principal:enable");
  return db.transaction(async (tx) => {
    const current = await principalRow(tx, id, { forUpdate: true });
    if ((current.disabledAt !== null) === disabled) return detail(tx, id);
    if (
      disabled &&
      (await otherActiveOwners(tx, { principalId: id })) === 0 &&
      (await isOwner(tx, id))
    )
      throw lastOwner();
    const before = await detail(tx, id);
    await tx
      .update(principal)
      .set({
        disabledAt: disabled ? sql`now()` : null,
        updatedAt: sql`now()`,
        version: sql`${principal.version} + 1`,
      })
      .where(eq(principal.id, id));
    if (disabled) {
      await tx
        .update(session)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(session.principalId, id), isNull(session.revokedAt)));
      await tx
        .update(apiToken)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(apiToken.principalId, id), isNull(apiToken.revokedAt)));
    }
    const after = await detail(tx, id);
    await writeAudit(tx, meta, {
      verb: disabled ? "disable" : "enable",
      resource: "principal",
      resourceId: id,
      before,
      after,
    });
    return after;
  });
}

async function isOwner(tx: Transaction, principalId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(roleGrant)
    .innerJoin(role, eq(role.id, roleGrant.roleId))
    .where(
      and(
        eq(roleGrant.principalId, principalId),
        eq(role.name, "owner"),
        eq(roleGrant.scopeKind, "all"),
      ),
    );
  return (row?.n ?? 0) > 0;
}

/** A new token for a principal; the secret is in this answer only. Anyone may make tokens for themselves. */
export async function createToken({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateTokenInput;
}): Promise<Token & { token: string }> {
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
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  principalId: string;
  tokenId: string;
}): Promise<Token> {
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

/** Gives a role on a scope. The granter needs `grant:create` there and must hold everything it gives. */
export async function createGrant({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateGrantInput;
}): Promise<Grant> {
  return db.transaction(async (tx) => {
    const grantee = await principalRow(tx, input.id);
    const [roleRow] = await tx.select().from(role).where(eq(role.name, input.role));
    if (!roleRow)
      throw new OmniglassError("INVALID", `No role ${input.role}.`, {
        fieldErrors: [{ field: "role", message: "unknown role" }],
      });
    let scope: ActorGrant["scope"];
    let locationId: string | null = null;
    let systemId: string | null = null;
    if (input.scope.kind === "system") {
      const target = await resolveSystem(tx, actor, input.scope.system);
      systemId = target.row.id;
      scope = {
        kind: "system",
        systemId: target.row.id,
        path: target.row.path,
        locationPath: target.locationPath,
      };
    } else if (input.scope.kind === "location") {
      const place = await resolveLocation(tx, actor, input.scope.location);
      locationId = place.id;
      scope = {
        kind: "location",
        locationId: place.id,
        path: place.path,
        operator: input.scope.operator,
      };
    } else {
      scope = { kind: "all" };
    }
    if (!canDelegate(actor, ["grant:create"], scope)) {
      throw new OmniglassError("FORBIDDEN", "You may not grant roles on that scope.");
    }
    if (!canDelegate(actor, roleRow.permissions, scope)) {
      throw new OmniglassError(
        "FORBIDDEN",
        `You cannot grant ${roleRow.name} there: it carries permissions you do not hold on that scope.`,
      );
    }
    const [created] = await tx
      .insert(roleGrant)
      .values({
        id: uuidv7(),
        principalId: grantee.id,
        roleId: roleRow.id,
        scopeKind: scope.kind,
        locationId,
        systemId,
        scopeOperator: scope.kind === "location" ? scope.operator : "subtree",
        createdBy: actor.id,
      })
      .returning();
    const grant: Grant = {
      id: created!.id,
      role: roleRow.name,
      scope,
      createdAt: created!.createdAt.toISOString(),
    };
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "grant",
      resourceId: grant.id,
      after: { ...grant, principalId: grantee.id },
    });
    return grant;
  });
}

/** Removes a grant, unless it is the last active owner's. The remover must be able to give it. */
export async function deleteGrant({
  db,
  actor,
  meta,
  principalId,
  grantId,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  principalId: string;
  grantId: string;
}): Promise<{ id: string; deleted: true }> {
  return db.transaction(async (tx) => {
    const grants = await grantsOf(tx, [principalId]);
    const grant = grants.get(principalId)?.find((g) => g.id === grantId);
    if (!grant) throw new OmniglassError("NOT_FOUND", "No such grant for this principal.");
    const [roleRow] = await tx.select().from(role).where(eq(role.name, grant.role));
    if (
      !canDelegate(actor, ["grant:delete"], grant.scope) ||
      !canDelegate(actor, roleRow!.permissions, grant.scope)
    ) {
      throw new OmniglassError("FORBIDDEN", "You may not remove that grant.");
    }
    if (
      grant.role === "owner" &&
      grant.scope.kind === "all" &&
      (await otherActiveOwners(tx, { grantId })) === 0
    )
      throw lastOwner();
    await tx.delete(roleGrant).where(eq(roleGrant.id, grantId));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "grant",
      resourceId: grantId,
      before: { ...grant, principalId },
    });
    return { id: grantId, deleted: true as const };
  });
}
