import { and, count, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Silence } from "@omniglass/contracts";
import { OmniglassError, silenceIsIdle, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { component, location, silence, system } from "../schema";
import { placementCondition, placementOf, type Placement } from "./placement";

const ownerLocation = alias(location, "silence_location");
const ownerSystem = alias(system, "silence_system");
const ownerComponent = alias(component, "silence_component");

export const silenceColumns = {
  s: silence,
  locationPath: ownerLocation.path,
  systemPath: ownerSystem.path,
  componentPath: ownerComponent.path,
};

export type SilenceRow = {
  s: typeof silence.$inferSelect;
  locationPath: string | null;
  systemPath: string | null;
  componentPath: string | null;
};

/** The stored matchers: the owner matcher lives in the owner columns. */
export interface StoredMatchers {
  rules?: string[];
  severities?: Silence["matchers"]["severities"];
  templates?: string[];
}

export function silenceQuery(db: Database | Transaction) {
  return db
    .select(silenceColumns)
    .from(silence)
    .leftJoin(ownerLocation, eq(ownerLocation.id, silence.ownerLocationId))
    .leftJoin(ownerSystem, eq(ownerSystem.id, silence.ownerSystemId))
    .leftJoin(ownerComponent, eq(ownerComponent.id, silence.ownerComponentId));
}

export function countSilences(db: Database | Transaction, where: SQL | undefined) {
  return db
    .select({ n: count() })
    .from(silence)
    .leftJoin(ownerLocation, eq(ownerLocation.id, silence.ownerLocationId))
    .leftJoin(ownerSystem, eq(ownerSystem.id, silence.ownerSystemId))
    .leftJoin(ownerComponent, eq(ownerComponent.id, silence.ownerComponentId))
    .where(where);
}

/** Silences within `capability`'s scope: placed at their owner, platform-level without one. */
export const silenceScope = (actor: Actor, capability: string) =>
  placementCondition(actor, capability, {
    kind: silence.ownerKind,
    location: { path: ownerLocation.path },
    system: { path: ownerSystem.path, id: ownerSystem.id },
    component: { path: ownerComponent.path, id: ownerComponent.id },
    values: { location: "location", system: "system", component: "component", platform: null },
  });

export const silenceNotFound = () => new OmniglassError("NOT_FOUND", "No silence has that id.");

export const ownerPathOf = (row: SilenceRow) =>
  row.locationPath ?? row.systemPath ?? row.componentPath ?? null;

export function silencePlacement(tx: Transaction, row: SilenceRow): Promise<Placement> {
  const s = row.s;
  return placementOf(
    tx,
    s.ownerKind,
    s.ownerLocationId ?? s.ownerSystemId ?? s.ownerComponentId,
    ownerPathOf(row),
  );
}

export function silenceState(s: SilenceRow["s"], now: Date): Silence["state"] {
  if (now < s.startsAt) return "pending";
  return now < s.expiresAt ? "active" : "expired";
}

export function toSilence(row: SilenceRow, now = new Date()): Silence {
  const s = row.s;
  const ownerPath = ownerPathOf(row);
  const ownerId = s.ownerLocationId ?? s.ownerSystemId ?? s.ownerComponentId;
  const stored = s.matchers as StoredMatchers;
  return {
    id: s.id,
    matchers: { ...stored, ...(ownerPath ? { owner: ownerPath } : {}) },
    owner:
      s.ownerKind && ownerId && ownerPath
        ? { kind: s.ownerKind, id: ownerId, path: ownerPath }
        : null,
    author: { id: s.authorId, name: s.authorName },
    reason: s.reason,
    startsAt: s.startsAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    expiredEarly: s.expiredEarlyAt
      ? { at: s.expiredEarlyAt.toISOString(), by: s.expiredEarlyBy }
      : null,
    state: silenceState(s, now),
    lastMatchedAt: s.lastMatchedAt ? s.lastMatchedAt.toISOString() : null,
    idle: silenceIsIdle(s, s.lastMatchedAt, now),
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** A silence within `silence:read` scope (else 404), optionally locked. */
export async function resolveSilence(
  db: Database | Transaction,
  actor: Actor,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<SilenceRow> {
  const query = silenceQuery(db).where(
    and(eq(silence.id, id), silenceScope(actor, "silence:read")),
  );
  const [row] = forUpdate ? await query.for("update", { of: silence }) : await query;
  if (!row) throw silenceNotFound();
  return row;
}

export async function silenceById(db: Database | Transaction, id: string): Promise<Silence> {
  const [row] = await silenceQuery(db).where(eq(silence.id, id));
  if (!row) throw silenceNotFound();
  return toSilence(row);
}
