import { and, asc, eq, gt, ilike, isNull, or, sql } from "drizzle-orm";
import type {
  CreatePrincipalInput,
  ListInput,
  Principal,
  PrincipalDetail,
  UpdatePrincipalInput,
} from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { hashPassword } from "../identity/secrets";
import {
  authorize,
  bumpVersion,
  mutate,
  nameTaken,
  requireEverywhere,
  UNCHANGED,
  type Check,
  type GatewayContext,
} from "../kit";
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
export async function getPrincipal({ db, actor, id }: GatewayContext & { id: string }) {
  authorize(actor, [{ capability: "principal:read", everywhere: true, unlessSelf: id }]);
  return detail(db, id);
}

export async function createPrincipal({
  input,
  ...ctx
}: GatewayContext & { input: CreatePrincipalInput }): Promise<PrincipalDetail> {
  if (input.password && input.kind !== "human") {
    throw new OmniglassError("INVALID", "Only humans have a password; services use tokens.", {
      fieldErrors: [{ field: "password", message: "not allowed for a service" }],
    });
  }
  // Checked before hashing too (hashing is slow on purpose, and done before the transaction).
  requireEverywhere(ctx.actor, "principal:create");
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return mutate(ctx, {
    verb: "create",
    resource: "principal",
    requires: [{ capability: "principal:create", everywhere: true }],
    resolve: async () => null,
    read: (tx, id) => detail(tx, id),
    apply: async (tx) => {
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
      if (!created) throw nameTaken("principal", input.name);
      return { id: created.id };
    },
  });
}

/** Changes a principal's label, email or password; anyone may change themselves. */
export async function updatePrincipal({
  input,
  ...ctx
}: GatewayContext & { input: UpdatePrincipalInput }): Promise<PrincipalDetail> {
  const needs: Check[] = [
    { capability: "principal:update", everywhere: true, unlessSelf: input.id },
  ];
  authorize(ctx.actor, needs); // before hashing, as for a create
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return mutate(ctx, {
    verb: "update",
    resource: "principal",
    requires: needs,
    resolve: (tx) => principalRow(tx, input.id, { forUpdate: true }),
    version: (current) => [current.name, input.version, current.version],
    id: (current) => current.id,
    read: (tx, id) => detail(tx, id),
    apply: async (tx, current) => {
      if (passwordHash && current.kind !== "human") {
        throw new OmniglassError("INVALID", "Only humans have a password.", {
          fieldErrors: [{ field: "password", message: "not allowed" }],
        });
      }
      const changes = {
        ...(input.label !== undefined && input.label !== current.label
          ? { label: input.label }
          : {}),
        ...(input.email !== undefined && input.email !== current.email
          ? { email: input.email }
          : {}),
        ...(passwordHash ? { passwordHash } : {}),
      };
      if (Object.keys(changes).length === 0) return UNCHANGED;
      await tx
        .update(principal)
        .set({ ...changes, ...bumpVersion(principal) })
        .where(eq(principal.id, current.id));
    },
  });
}

/** Disabling ends the principal's sessions and revokes its tokens at once; enabling restores neither. */
export async function setPrincipalDisabled({
  id,
  disabled,
  ...ctx
}: GatewayContext & { id: string; disabled: boolean }): Promise<PrincipalDetail> {
  return mutate(ctx, {
    verb: disabled ? "disable" : "enable",
    resource: "principal",
    requires: [
      { capability: disabled ? "principal:disable" : "principal:enable", everywhere: true },
    ],
    resolve: (tx) => principalRow(tx, id, { forUpdate: true }),
    id: (current) => current.id,
    read: (tx, id) => detail(tx, id),
    apply: async (tx, current) => {
      if ((current.disabledAt !== null) === disabled) return UNCHANGED;
      if (
        disabled &&
        (await otherActiveOwners(tx, { principalId: id })) === 0 &&
        (await isOwner(tx, id))
      )
        throw lastOwner();
      await tx
        .update(principal)
        .set({ disabledAt: disabled ? sql`now()` : null, ...bumpVersion(principal) })
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
    },
  });
}
