/**
 * Tags and variables: one module for both, parametrised by kind. They differ only in their value
 * (a tag is a string, a variable any JSON, both validated by the contracts) and in their
 * capabilities (`tag:*`, `variable:*`).
 */
import { and, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type {
  BindingKind,
  BindingLevel,
  BindingOf,
  DeleteBindingInput,
  ExplainBindingsInput,
  ExplanationOf,
  ListBindingsInput,
  RequestMeta,
  SetInputOf,
} from "@omniglass/contracts";
import { cascadeFrames, OmniglassError, resolveCascade, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { keysetOrder, pageWithTotal, type Page } from "../list";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { component, estateBinding, location, system } from "../schema";
import { noSecretKey, sealSecret, type SecretKey } from "../secrets/envelope";
import { assertFreshVersion, type GatewayContext } from "../kit";
import {
  addressOf,
  arcOf,
  assertTargetWritable,
  boundTo,
  resolveTarget,
  type BindingTarget,
} from "./targets";

interface BindingRow {
  row: typeof estateBinding.$inferSelect;
  locationPath: string | null;
  systemPath: string | null;
  componentPath: string | null;
}

const bindingColumns = {
  row: estateBinding,
  locationPath: location.path,
  systemPath: system.path,
  componentPath: component.path,
};

function bindingQuery(db: Database | Transaction) {
  return db
    .select(bindingColumns)
    .from(estateBinding)
    .leftJoin(location, eq(location.id, estateBinding.locationId))
    .leftJoin(system, eq(system.id, estateBinding.systemId))
    .leftJoin(component, eq(component.id, estateBinding.componentId));
}

const pathOf = (r: BindingRow): string | null =>
  r.row.level === "location"
    ? r.locationPath
    : r.row.level === "system"
      ? r.systemPath
      : r.row.level === "component"
        ? r.componentPath
        : null;

function placementOf(r: BindingRow) {
  const path = pathOf(r);
  return { level: r.row.level as BindingLevel, target: addressOf(r.row.level, path), path };
}

/** A secret variable's value never leaves the gateway: reads show `secret: true` and null. */
function toBinding<K extends BindingKind>(r: BindingRow): BindingOf<K> {
  return {
    id: r.row.id,
    key: r.row.key,
    value: r.row.secret ? null : r.row.value,
    secret: r.row.secret,
    ...placementOf(r),
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  } as BindingOf<K>;
}

/** The bindings of one kind the actor may read: the platform's, and those on things in `<kind>:read` scope. */
function readableBindings(actor: Actor, kind: BindingKind): SQL {
  const capability = `${kind}:read`;
  return and(
    eq(estateBinding.kind, kind),
    or(
      eq(estateBinding.level, "platform"),
      and(
        eq(estateBinding.level, "location"),
        locationScopeCondition(actor, capability, location.path),
      ),
      and(
        eq(estateBinding.level, "system"),
        placedScopeCondition(actor, capability, { path: system.path, systemId: system.id }),
      ),
      and(
        eq(estateBinding.level, "component"),
        placedScopeCondition(actor, capability, {
          path: component.path,
          componentId: component.id,
        }),
      ),
    ),
  )!;
}

const ORDER = {
  key: { column: estateBinding.key, value: (r: BindingRow) => r.row.key },
};
const ID = { column: estateBinding.id, value: (r: BindingRow) => r.row.id };

/**
 * The bindings set directly on a target, or without one every binding the actor may read; in key
 * order, one page in one statement plus one count.
 */
export async function findBindings<K extends BindingKind>({
  db,
  actor,
  kind,
  input,
}: GatewayContext & { kind: K; input: ListBindingsInput }): Promise<Page<BindingOf<K>>> {
  const target = input.target ? await resolveTarget(db, actor, kind, input.target) : null;
  const where = target
    ? and(eq(estateBinding.kind, kind), boundTo(target))
    : readableBindings(actor, kind);
  const order = keysetOrder({ ...input, order_by: "key" }, ORDER, ID);
  return pageWithTotal(
    input,
    order.cursorOf,
    (r) => toBinding<K>(r),
    bindingQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db
      .select({ n: count() })
      .from(estateBinding)
      .leftJoin(location, eq(location.id, estateBinding.locationId))
      .leftJoin(system, eq(system.id, estateBinding.systemId))
      .leftJoin(component, eq(component.id, estateBinding.componentId))
      .where(where),
  );
}

/** JSON with object keys sorted, so that values equal as jsonb compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );
}

const describe = (kind: BindingKind, key: string, target: BindingTarget) =>
  `${kind} ${key} on ${target.address}`;

async function current(tx: Transaction, kind: BindingKind, key: string, target: BindingTarget) {
  const [row] = await bindingQuery(tx)
    .where(and(eq(estateBinding.kind, kind), eq(estateBinding.key, key), boundTo(target)))
    .for("update", { of: estateBinding });
  return row;
}

async function readBack<K extends BindingKind>(tx: Transaction, id: string) {
  const [row] = await bindingQuery(tx).where(eq(estateBinding.id, id));
  return toBinding<K>(row!);
}

/**
 * Sets a key on a target (`<kind>:update` in its scope; the platform needs scope all): creates the
 * binding or replaces its value. The same value again is a no-op without an audit row; a stale
 * `version` is 409.
 */
export async function setBinding<K extends BindingKind>({
  db,
  actor,
  meta,
  kind,
  input,
  secretKey = null,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  kind: K;
  input: SetInputOf<K>;
  /** The master key for secret variables; without it setting a secret fails closed (503). */
  secretKey?: SecretKey | null;
}): Promise<BindingOf<K>> {
  const secret = kind === "variable" && (input as { secret?: boolean }).secret === true;
  if (secret && !secretKey) throw noSecretKey();
  // A secret's value is sealed for its row (the binding's id is the envelope's context).
  const stored = (id: string) =>
    secret
      ? { value: null, secret: true, ciphertext: sealSecret(secretKey!, String(input.value), id) }
      : { value: input.value, secret: false, ciphertext: null };
  return db.transaction(async (tx) => {
    const target = await resolveTarget(tx, actor, kind, input.target);
    assertTargetWritable(actor, `${kind}:update`, target, `set ${kind}s on`);
    const what = describe(kind, input.key, target);
    const existing = await current(tx, kind, input.key, target);
    if (existing) {
      assertFreshVersion(what, input.version, existing.row.version);
      const before = toBinding<K>(existing);
      // A secret cannot be compared without opening it: setting one always writes (and audits).
      if (
        !secret &&
        !existing.row.secret &&
        canonical(existing.row.value) === canonical(input.value)
      )
        return before;
      await tx
        .update(estateBinding)
        .set({
          ...stored(existing.row.id),
          updatedAt: sql`now()`,
          version: sql`${estateBinding.version} + 1`,
        })
        .where(eq(estateBinding.id, existing.row.id));
      const after = await readBack<K>(tx, existing.row.id);
      await writeAudit(tx, meta, {
        verb: "update",
        resource: kind,
        resourceId: existing.row.id,
        before,
        after,
      });
      return after;
    }
    if (input.version !== undefined)
      throw new OmniglassError(
        "CONFLICT",
        `${what} is no longer set (you read version ${input.version}); read it again.`,
        { fieldErrors: [{ field: "version", message: "stale" }] },
      );
    const id = uuidv7();
    const [created] = await tx
      .insert(estateBinding)
      .values({ id, kind, key: input.key, ...stored(id), ...arcOf(target) })
      .onConflictDoNothing()
      .returning({ id: estateBinding.id });
    if (!created)
      throw new OmniglassError("CONFLICT", `${what} was set at the same time; read it again.`);
    const after = await readBack<K>(tx, created.id);
    await writeAudit(tx, meta, { verb: "create", resource: kind, resourceId: created.id, after });
    return after;
  });
}

/** Removes a key from a target (`<kind>:delete` in its scope); 404 when it is not set there. */
export async function deleteBinding({
  db,
  actor,
  meta,
  kind,
  input,
}: GatewayContext & { kind: BindingKind; input: DeleteBindingInput }): Promise<{
  id: string;
  deleted: true;
}> {
  return db.transaction(async (tx) => {
    const target = await resolveTarget(tx, actor, kind, input.target);
    assertTargetWritable(actor, `${kind}:delete`, target, `delete ${kind}s on`);
    const existing = await current(tx, kind, input.key, target);
    if (!existing)
      throw new OmniglassError(
        "NOT_FOUND",
        `No ${describe(kind, input.key, target)}: it is not set there.`,
      );
    await tx.delete(estateBinding).where(eq(estateBinding.id, existing.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: kind,
      resourceId: existing.row.id,
      before: toBinding(existing),
    });
    return { id: existing.row.id, deleted: true as const };
  });
}

/**
 * The effective bindings of a target down the cascade (platform → location tree → system, for a
 * component its primary one → component): for each key the value, the binding that won and the
 * ones it shadowed, most specific first. Reads need read scope on the target only: what it
 * inherits is part of it.
 */
export async function explainBindings<K extends BindingKind>({
  db,
  actor,
  kind,
  input,
}: GatewayContext & { kind: K; input: ExplainBindingsInput }): Promise<ExplanationOf<K>> {
  const target = await resolveTarget(db, actor, kind, input.target);
  const frames = cascadeFrames(target.cascade);
  const pathsAt = (level: BindingLevel) =>
    frames.filter((f) => f.level === level).map((f) => f.path!);
  const [locations, systems, components] = [
    pathsAt("location"),
    pathsAt("system"),
    pathsAt("component"),
  ];
  const rows = await bindingQuery(db).where(
    and(
      eq(estateBinding.kind, kind),
      input.key ? eq(estateBinding.key, input.key) : undefined,
      or(
        eq(estateBinding.level, "platform"),
        locations.length > 0
          ? and(eq(estateBinding.level, "location"), inArray(location.path, locations))
          : undefined,
        systems.length > 0
          ? and(eq(estateBinding.level, "system"), inArray(system.path, systems))
          : undefined,
        components.length > 0
          ? and(eq(estateBinding.level, "component"), inArray(component.path, components))
          : undefined,
      ),
    ),
  );
  const sources = rows.map((r) => ({
    id: r.row.id,
    key: r.row.key,
    value: r.row.secret ? null : r.row.value,
    secret: r.row.secret,
    ...placementOf(r),
    version: r.row.version,
  }));
  const resolved = resolveCascade(frames, sources);
  const source = ({ key: _key, ...rest }: (typeof sources)[number]) => rest;
  return {
    target: { level: target.level, target: target.address, path: target.path },
    items: resolved.map((entry) => ({
      key: entry.key,
      secret: entry.winner.secret,
      value: entry.value,
      winner: source(entry.winner),
      shadowed: entry.shadowed.map(source),
    })),
  } as ExplanationOf<K>;
}
