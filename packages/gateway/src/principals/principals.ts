import { and, asc, eq, gt, ilike, isNull, or, sql } from "drizzle-orm";
import type {
  CreatePrincipalInput,
  ListInput,
  Principal,
  PrincipalDetail,
  RequestMeta,
  UpdatePrincipalInput,
} from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database } from "../db";
import { hashPassword } from "../identity/secrets";
import { assertFreshVersion, bumpVersion, requireEverywhere, type GatewayContext } from "../kit";
import { readCursor, toPage, type Page } from "../list";
import { apiToken, principal, session } from "../schema";
import { isOwner, lastOwner, otherActiveOwners } from "./owners";
import { detail, principalRow, toPrincipal } from "./principal-detail";

export async function listPrincipals({
  db,
  actor,
  input,
}: GatewayContext & {
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
}: GatewayContext & { input: CreatePrincipalInput }): Promise<PrincipalDetail> {
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
}: GatewayContext & { input: UpdatePrincipalInput }): Promise<PrincipalDetail> {
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
      .set({ ...changes, ...bumpVersion(principal) })
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

/** Disabling ends the principal's sessions and revokes its tokens at once; enabling restores neither. */
export async function setPrincipalDisabled({
  db,
  actor,
  meta,
  id,
  disabled,
}: GatewayContext & { id: string; disabled: boolean }): Promise<PrincipalDetail> {
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
        ...bumpVersion(principal),
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
