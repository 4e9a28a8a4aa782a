import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type {
  CreateNodeInput,
  IssueEnrollmentInput,
  ListNodesInput,
  MoveInput,
  Node,
  NodeWithEnrollmentToken,
  RequestMeta,
  UpdateNodeInput,
} from "@omniglass/contracts";
import { OmniglassError, parseFilter, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { forbidden, listSome } from "../kit";
import { newSecret } from "../identity/secrets";
import { keysetOrder, toPage, type Page } from "../list";
import { inScope, resolveLocation } from "../locations/resolve-location";
import { escapeLike } from "../locations/scope";
import { component, componentInterface, location, node, principal } from "../schema";
import { assertFreshVersion } from "../kit";
import { nodeQuery, nodeScope, resolveNode, toNode, type NodeRow } from "./resolve-node";

const ORDER = {
  name: { column: principal.name, unique: true, value: (r: NodeRow) => r.name },
  created_at: { column: node.id, unique: true, value: (r: NodeRow) => r.row.id },
};
const ID = { column: node.id, value: (r: NodeRow) => r.row.id };

/** Nodes in read scope, filtered by `location` (placed in it or below), searched by name or label. */
export async function findNodes({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: ListNodesInput;
}): Promise<Page<Node>> {
  const filter = parseFilter(input.filter, ["location"] as const);
  const place = filter.location ? await resolveLocation(db, actor, filter.location) : null;
  const where = and(
    nodeScope(actor, "node:read"),
    place
      ? or(
          eq(location.path, place.path),
          sql`${location.path} like ${`${escapeLike(place.path)}.%`}`,
        )
      : undefined,
    input.q
      ? or(
          ilike(principal.name, `%${escapeLike(input.q)}%`),
          ilike(principal.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const [rows, [total]] = await Promise.all([
    nodeQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    db
      .select({ n: count() })
      .from(node)
      .innerJoin(principal, eq(principal.id, node.id))
      .innerJoin(location, eq(location.id, node.locationId))
      .where(where),
  ]);
  const now = new Date();
  const page = toPage(rows, input, order.cursorOf, (r) => toNode(r, now));
  return { ...page, totalSize: total?.n ?? 0 };
}

export async function getNode({
  db,
  actor,
  ref,
}: {
  db: Database | Transaction;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<Node> {
  return toNode(await resolveNode(db, actor, ref));
}

async function readBack(tx: Transaction, id: string): Promise<Node> {
  const [row] = await nodeQuery(tx).where(eq(node.id, id));
  return toNode(row!);
}

const expiryIn = (hours: number) => new Date(Date.now() + hours * 3_600_000);

/**
 * Creates a node in a location (`node:create` there): the principal of kind node, its node row and
 * a one-time enrollment token, in one transaction with one audit row. Only the token's SHA-256 and
 * prefix are stored; the secret is in this answer only (and never in the audit row).
 */
export async function createNode({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: CreateNodeInput;
}): Promise<NodeWithEnrollmentToken> {
  return db.transaction(async (tx) => {
    const place = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "node:create", place.path)) throw forbidden("create nodes", place.path);
    const id = uuidv7();
    const [created] = await tx
      .insert(principal)
      .values({ id, kind: "node", name: input.name, label: input.label ?? null })
      .onConflictDoNothing()
      .returning({ id: principal.id });
    if (!created)
      throw new OmniglassError("CONFLICT", `A principal named ${input.name} exists.`, {
        fieldErrors: [{ field: "name", message: "already taken by a principal" }],
      });
    const secret = newSecret("og_");
    await tx.insert(node).values({
      id,
      locationId: place.id,
      enrollmentHash: secret.hash,
      enrollmentPrefix: secret.display,
      enrollmentExpiresAt: expiryIn(input.expiresInHours),
    });
    const after = await readBack(tx, id);
    await writeAudit(tx, meta, { verb: "create", resource: "node", resourceId: id, after });
    return { ...after, enrollmentToken: secret.secret };
  });
}

/** Locks the node, checks the action's scope (its location) and the caller's version. */
async function forChange(
  tx: Transaction,
  actor: Actor,
  ref: string,
  capability: string,
  action: string,
  version?: number,
) {
  const current = await resolveNode(tx, actor, ref, { forUpdate: true });
  if (!inScope(actor, capability, current.locationPath))
    throw forbidden(`${action} ${current.name}`, current.locationPath);
  assertFreshVersion(current.name, version, current.row.version);
  return current;
}

const bump = () => ({ updatedAt: sql`now()`, version: sql`${node.version} + 1` });

export async function updateNode({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: UpdateNodeInput;
}): Promise<Node> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "node:update", "update", input.version);
    const before = toNode(current);
    if (input.label === undefined || input.label === current.label) return before;
    await tx
      .update(principal)
      .set({ label: input.label, updatedAt: sql`now()`, version: sql`${principal.version} + 1` })
      .where(eq(principal.id, current.row.id));
    await tx.update(node).set(bump()).where(eq(node.id, current.row.id));
    const after = await readBack(tx, current.row.id);
    await writeAudit(tx, meta, {
      verb: "update",
      resource: "node",
      resourceId: current.row.id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Issues a fresh enrollment token (`node:update`), replacing the previous one, which can no longer
 * be claimed. Allowed after enrollment too: that is how a node re-enrolls.
 */
export async function issueEnrollment({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: IssueEnrollmentInput;
}): Promise<NodeWithEnrollmentToken> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "node:update", "enroll");
    if (current.disabledAt)
      throw new OmniglassError("CONFLICT", `${current.name} is disabled; enable it first.`);
    const before = toNode(current);
    const secret = newSecret("og_");
    await tx
      .update(node)
      .set({
        enrollmentHash: secret.hash,
        enrollmentPrefix: secret.display,
        enrollmentExpiresAt: expiryIn(input.expiresInHours),
        ...bump(),
      })
      .where(eq(node.id, current.row.id));
    const after = await readBack(tx, current.row.id);
    await writeAudit(tx, meta, {
      verb: "issue-enrollment",
      resource: "node",
      resourceId: current.row.id,
      before,
      after,
    });
    return { ...after, enrollmentToken: secret.secret };
  });
}

/** Moves a node to another location (`node:move` at both ends). */
export async function moveNode({
  db,
  actor,
  meta,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: MoveInput;
}): Promise<Node> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, input.ref, "node:move", "move", input.version);
    const target = await resolveLocation(tx, actor, input.location);
    if (!inScope(actor, "node:move", target.path)) throw forbidden("move nodes", target.path);
    const before = toNode(current);
    if (target.id === current.row.locationId) return before;
    await tx
      .update(node)
      .set({ locationId: target.id, ...bump() })
      .where(eq(node.id, current.row.id));
    const after = await readBack(tx, current.row.id);
    await writeAudit(tx, meta, {
      verb: "move",
      resource: "node",
      resourceId: current.row.id,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a node that no component interface names any more (409 listing the components), with its principal. */
export async function deleteNode({
  db,
  actor,
  meta,
  ref,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<{ id: string; deleted: true }> {
  return db.transaction(async (tx) => {
    const current = await forChange(tx, actor, ref, "node:delete", "delete");
    const polled = await tx
      .selectDistinct({ path: component.path })
      .from(componentInterface)
      .innerJoin(component, eq(component.id, componentInterface.componentId))
      .where(eq(componentInterface.nodeId, current.row.id))
      .orderBy(asc(component.path))
      .limit(6);
    if (polled.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `${current.name} still polls interfaces of ${listSome(polled.map((p) => p.path))}. Bind them to another node first.`,
      );
    const before = toNode(current);
    // The node row goes with its principal (on delete cascade), and so do its grants and tokens.
    await tx.delete(principal).where(eq(principal.id, current.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "node",
      resourceId: current.row.id,
      before,
    });
    return { id: current.row.id, deleted: true as const };
  });
}
