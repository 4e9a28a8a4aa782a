import { and, asc, count, eq, gt, ilike, or, sql } from "drizzle-orm";
import type { ListSignalsInput, RequestMeta, Signal, SignalDefinition } from "@omniglass/contracts";
import { OmniglassError, parseFilter } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { listSome, requireRegistryWrite, type GatewayContext } from "../kit";
import { readCursor, toPage, type Page } from "../list";
import { escapeLike } from "../locations/scope";
import { signal, template, templateSignal } from "../schema";

/**
 * The template versions producing the outer signal. Aliases inside, and the outer column written
 * out in full: drizzle prints a single-table select's columns unqualified, which inside this
 * subquery would compare with the template's own `id`.
 */
const producers = sql<
  string[]
>`coalesce((select array_agg(t.name || '@' || t.version order by t.name, t.version) from ${templateSignal} as ts join ${template} as t on t.id = ts.template_id where ts.signal_id = ${sql.identifier("signal")}.${sql.identifier("id")}), '{}')`;

function toSignal(row: typeof signal.$inferSelect, templates: string[]): Signal {
  return {
    id: row.id,
    name: row.name,
    lane: row.lane,
    label: row.label,
    description: row.description,
    unit: row.unit,
    precision: row.precision,
    valueType: row.valueType,
    schema: (row.schema ?? null) as SignalDefinition["schema"],
    official: row.official,
    templates,
    createdAt: row.createdAt.toISOString(),
  } as Signal;
}

/** The signal catalog, both lanes in one namespace, by name. */
export async function findSignals({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListSignalsInput;
}): Promise<Page<Signal>> {
  const filter = parseFilter(input.filter, ["lane"] as const);
  if (filter.lane && filter.lane !== "metric" && filter.lane !== "property")
    throw new OmniglassError("INVALID", "filter: lane is metric or property.", {
      fieldErrors: [{ field: "filter", message: "lane=metric or lane=property" }],
    });
  const cursor = readCursor(input, 1);
  const where = and(
    filter.lane ? eq(signal.lane, filter.lane as "metric" | "property") : undefined,
    input.q
      ? or(
          ilike(signal.name, `%${escapeLike(input.q)}%`),
          ilike(signal.label, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ row: signal, templates: producers })
      .from(signal)
      .where(and(where, cursor ? gt(signal.name, String(cursor[0])) : undefined))
      .orderBy(asc(signal.name))
      .limit(input.page_size + 1),
    db.select({ n: count() }).from(signal).where(where),
  ]);
  const page = toPage(
    rows,
    input,
    (r) => [r.row.name],
    (r) => toSignal(r.row, r.templates),
  );
  return { ...page, totalSize: total?.n ?? 0 };
}

async function signalByName(db: Database | Transaction, name: string) {
  const [found] = await db
    .select({ row: signal, templates: producers })
    .from(signal)
    .where(eq(signal.name, name));
  if (!found) throw new OmniglassError("NOT_FOUND", "No signal with that name.");
  return found;
}

export async function getSignal({
  db,
  name,
}: {
  db: Database;
  meta: RequestMeta;
  name: string;
}): Promise<Signal> {
  const found = await signalByName(db, name);
  return toSignal(found.row, found.templates);
}

/** Registers an operator's own signal (`signal:create`, platform-wide). */
export async function createSignal({
  actor,
  db,
  meta,
  input,
}: GatewayContext & { input: SignalDefinition }): Promise<Signal> {
  requireRegistryWrite(actor, "signal:create");
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(signal)
      .values({ id: uuidv7(), ...signalColumns(input), official: false })
      .onConflictDoNothing()
      .returning();
    if (!created)
      throw new OmniglassError("CONFLICT", `A signal named ${input.name} already exists.`, {
        fieldErrors: [{ field: "name", message: "already taken (both lanes share one namespace)" }],
      });
    const after = toSignal(created, []);
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "signal",
      resourceId: created.id,
      after,
    });
    return after;
  });
}

export function signalColumns(input: SignalDefinition) {
  return {
    name: input.name,
    lane: input.lane,
    label: input.label,
    description: input.description ?? "",
    unit: input.unit ?? null,
    precision: input.precision ?? null,
    valueType: input.valueType,
    schema: input.schema ?? null,
  };
}

/** Deletes an operator's signal that no template produces (409 naming them); official ones are read-only. */
export async function deleteSignal({
  actor,
  db,
  meta,
  name,
}: GatewayContext & { name: string }): Promise<{ id: string; deleted: true }> {
  requireRegistryWrite(actor, "signal:delete");
  return db.transaction(async (tx) => {
    const found = await signalByName(tx, name);
    if (found.row.official)
      throw new OmniglassError("FORBIDDEN", `${name} is an official signal and read-only.`);
    if (found.templates.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `${name} is produced by ${listSome(found.templates)}; delete those versions first.`,
      );
    await tx.delete(signal).where(eq(signal.id, found.row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "signal",
      resourceId: found.row.id,
      before: toSignal(found.row, []),
    });
    return { id: found.row.id, deleted: true as const };
  });
}
