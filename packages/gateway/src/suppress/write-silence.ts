import { eq } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type {
  CreateSilenceInput,
  ExpireSilenceInput,
  Silence,
  UpdateSilenceInput,
} from "@omniglass/contracts";
import { OmniglassError, validateSilence, type Silence as DomainSilence } from "@omniglass/domain";
import type { Transaction } from "../db";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { silence } from "../schema";
import { auditPlacement, PLATFORM, resolvePlacement, type Placement } from "./placement";
import {
  ownerPathOf,
  resolveSilence,
  silenceById,
  silencePlacement,
  type StoredMatchers,
} from "./read-silence";

/** How long a silence may last: the deployment's `OMNIGLASS_SILENCE_MAX_DAYS` (default 7). */
export interface SilenceLimits {
  maxMs?: number;
}

const ACTION = "set silences";

async function ownerOf(
  tx: Transaction,
  ctx: GatewayContext,
  ref: string | undefined,
): Promise<Placement> {
  if (ref === undefined) return PLATFORM;
  return resolvePlacement(tx, ctx.actor, "any", ref, "matchers.owner");
}

/** The domain's validation with the owner's resolved path (errors name the field). */
function validated(
  input: {
    matchers: CreateSilenceInput["matchers"];
    reason: string;
    startsAt?: string;
    expiresAt?: string | null;
  },
  owner: Placement,
  author: string,
  limits: SilenceLimits,
): DomainSilence {
  const { owner: _ref, ...rest } = input.matchers;
  return validateSilence(
    {
      matchers: { ...rest, ...(owner.path ? { owner: owner.path } : {}) },
      author,
      reason: input.reason,
      ...(input.startsAt ? { startsAt: input.startsAt } : {}),
      expiresAt: input.expiresAt,
    },
    { now: new Date(), ...(limits.maxMs ? { maxMs: limits.maxMs } : {}) },
  );
}

function ownerColumns(owner: Placement) {
  return {
    ownerKind: owner.kind === "platform" ? null : owner.kind,
    ownerLocationId: owner.kind === "location" ? owner.id : null,
    ownerSystemId: owner.kind === "system" ? owner.id : null,
    ownerComponentId: owner.kind === "component" ? owner.id : null,
  };
}

function stored(matchers: DomainSilence["matchers"]): StoredMatchers {
  const { owner: _owner, ...rest } = matchers;
  return rest;
}

/**
 * Sets a silence at its owner (`silence:write` there; without an owner matcher, on scope all).
 * The expiry is mandatory and at most the configured maximum away: a missing one is a 400
 * naming `expiresAt`.
 */
export async function createSilence({
  input,
  limits = {},
  ...ctx
}: GatewayContext & { input: CreateSilenceInput; limits?: SilenceLimits }): Promise<Silence> {
  // The expiry first: a silence without one is refused whatever else it says.
  if (input.expiresAt === undefined || input.expiresAt === null)
    validateSilence({ expiresAt: null }, { now: new Date() });
  return mutate(ctx, {
    verb: "create",
    resource: "silence",
    resolve: async (tx) => {
      const owner = await ownerOf(tx, ctx, input.matchers.owner);
      return { owner, valid: validated(input, owner, ctx.actor.name, limits) };
    },
    needs: ({ owner }) => [owner.check("silence:write", ACTION)],
    read: (tx, id) => silenceById(tx, id),
    placement: ({ owner }) => auditPlacement(owner),
    apply: async (tx, { owner, valid }) => {
      const id = uuidv7();
      await tx.insert(silence).values({
        id,
        matchers: stored(valid.matchers),
        ...ownerColumns(owner),
        authorId: ctx.actor.id,
        authorName: valid.author,
        reason: valid.reason,
        startsAt: valid.startsAt,
        expiresAt: valid.expiresAt,
      });
      return { id };
    },
  });
}

const ended = () =>
  new OmniglassError("CONFLICT", "This silence has ended; set a new one instead.", {
    fieldErrors: [{ field: "expiresAt", message: "already expired" }],
  });

/**
 * Changes a silence's reason, matchers or expiry (still at most the maximum away). Moving its
 * owner needs `silence:write` at both the old and the new owner. An ended silence is not edited.
 */
export async function updateSilence({
  input,
  limits = {},
  ...ctx
}: GatewayContext & { input: UpdateSilenceInput; limits?: SilenceLimits }): Promise<Silence> {
  return mutate(ctx, {
    verb: "update",
    resource: "silence",
    resolve: async (tx) => {
      const row = await resolveSilence(tx, ctx.actor, input.id, { forUpdate: true });
      const current = await silencePlacement(tx, row);
      const ownerRef = input.matchers ? input.matchers.owner : (ownerPathOf(row) ?? undefined);
      const next = input.matchers ? await ownerOf(tx, ctx, ownerRef) : current;
      return { row, current, next };
    },
    needs: ({ current, next }) => [
      current.check("silence:write", ACTION),
      ...(next !== current ? [next.check("silence:write", ACTION)] : []),
    ],
    id: ({ row }) => row.s.id,
    version: ({ row }) => ["This silence", input.version, row.s.version],
    read: (tx, id) => silenceById(tx, id),
    placement: ({ next }) => auditPlacement(next),
    apply: async (tx, { row, next }) => {
      const s = row.s;
      if (s.expiresAt <= new Date()) throw ended();
      const matchers = input.matchers ?? {
        ...(s.matchers as StoredMatchers),
        ...(next.path ? { owner: next.path } : {}),
      };
      const reason = input.reason ?? s.reason;
      const expiresAt = input.expiresAt ?? s.expiresAt.toISOString();
      const valid = validated(
        { matchers, reason, startsAt: s.startsAt.toISOString(), expiresAt },
        next,
        s.authorName,
        limits,
      );
      const same =
        JSON.stringify(stored(valid.matchers)) === JSON.stringify(s.matchers) &&
        next.id === (s.ownerLocationId ?? s.ownerSystemId ?? s.ownerComponentId) &&
        valid.reason === s.reason &&
        valid.expiresAt.getTime() === s.expiresAt.getTime();
      if (same) return UNCHANGED;
      await tx
        .update(silence)
        .set({
          matchers: stored(valid.matchers),
          ...ownerColumns(next),
          reason: valid.reason,
          expiresAt: valid.expiresAt,
          ...bumpVersion(silence),
        })
        .where(eq(silence.id, s.id));
    },
  });
}

/**
 * Ends a silence now (who and when are kept). A silence not started yet ends before it starts
 * (its start moves to just before now, so it is never in force). Ending an ended one changes
 * nothing and writes no audit row.
 */
export async function expireSilence({
  input,
  ...ctx
}: GatewayContext & { input: ExpireSilenceInput }): Promise<Silence> {
  return mutate(ctx, {
    verb: "expire",
    resource: "silence",
    resolve: async (tx) => {
      const row = await resolveSilence(tx, ctx.actor, input.id, { forUpdate: true });
      return { row, current: await silencePlacement(tx, row) };
    },
    needs: ({ current }) => [current.check("silence:write", ACTION)],
    id: ({ row }) => row.s.id,
    version: ({ row }) => ["This silence", input.version, row.s.version],
    read: (tx, id) => silenceById(tx, id),
    placement: ({ current }) => auditPlacement(current),
    apply: async (tx, { row }) => {
      const now = new Date();
      if (row.s.expiresAt <= now) return UNCHANGED;
      const startsAt = row.s.startsAt < now ? row.s.startsAt : new Date(now.getTime() - 1);
      await tx
        .update(silence)
        .set({
          startsAt,
          expiresAt: now,
          expiredEarlyAt: now,
          expiredEarlyBy: ctx.actor.id,
          ...bumpVersion(silence),
        })
        .where(eq(silence.id, row.s.id));
    },
  });
}
