import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type {
  ListInput,
  ListTemplatesInput,
  RequestMeta,
  TemplateChanges,
  TemplateDocument,
  TemplateSummary,
  TemplateVersion,
} from "@omniglass/contracts";
import { compareTemplates, OmniglassError, parseFilter, signalsOf } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { componentScope } from "../components/resolve-component";
import {
  describeDependents,
  listSome,
  readableColumn,
  requireRegistryWrite,
  type GatewayContext,
} from "../kit";
import { readCursor, toPage, type Page } from "../list";
import { escapeLike } from "../locations/scope";
import { component, signal, template, templateSignal } from "../schema";
import { resolveTemplate, templateRef, type TemplateRow } from "./resolve-template";
import { unsafeMaterialiseTemplateRules } from "../rules/template-rules";

/**
 * The outer row's column, written out in full: drizzle prints a single-table select's columns
 * unqualified, so inside a subquery `${template.id}` would read as the subquery's own `id`.
 */
const outerTemplate = (column: "id" | "name") =>
  sql`${sql.identifier("template")}.${sql.identifier(column)}`;

const pinning = sql<number>`(select count(*)::int from ${component} as pin where pin.template_id = ${outerTemplate("id")})`;

function toVersion(row: TemplateRow, components: number): TemplateVersion {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    label: row.label,
    kind: row.kind,
    vendor: row.vendor,
    model: row.model,
    description: row.description,
    official: row.official,
    components,
    createdAt: row.createdAt.toISOString(),
    document: row.document,
  };
}

/** Template families (one row per name, described by its latest version), by name. */
export async function findTemplates({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListTemplatesInput;
}): Promise<Page<TemplateSummary>> {
  const filter = parseFilter(input.filter, ["kind"] as const);
  const cursor = readCursor(input, 1);
  const latest = <T>(column: AnyPgColumn) =>
    sql<T>`(array_agg(${column} order by ${template.version} desc))[1]`;
  const family = {
    name: template.name,
    label: latest<string>(template.label),
    kind: latest<string>(template.kind),
    vendor: latest<string | null>(template.vendor),
    model: latest<string | null>(template.model),
    latestVersion: sql<number>`max(${template.version})::int`,
    versions: sql<number>`count(*)::int`,
    official: sql<boolean>`bool_or(${template.official})`,
    components: sql<number>`coalesce(sum((select count(*) from ${component} as pin where pin.template_id = ${outerTemplate("id")})), 0)::int`,
  };
  const having = and(
    filter.kind ? sql`${family.kind} = ${filter.kind}` : undefined,
    input.q
      ? or(
          ilike(template.name, `%${escapeLike(input.q)}%`),
          sql`${family.label} ilike ${`%${escapeLike(input.q)}%`}`,
        )
      : undefined,
  );
  const families = db
    .select(family)
    .from(template)
    .groupBy(template.name)
    .having(having ?? sql`true`);
  const [rows, [total]] = await Promise.all([
    db
      .select(family)
      .from(template)
      .where(cursor ? gt(template.name, String(cursor[0])) : undefined)
      .groupBy(template.name)
      .having(having ?? sql`true`)
      .orderBy(asc(template.name))
      .limit(input.page_size + 1),
    db.select({ n: count() }).from(families.as("families")),
  ]);
  const page = toPage(
    rows,
    input,
    (r) => [r.name],
    (r) => r,
  );
  return { ...page, totalSize: total?.n ?? 0 };
}

/** One version: `<name>` (the latest), `<name>@<version>` or an id. */
export async function getTemplate({
  db,
  ref,
}: {
  db: Database;
  meta: RequestMeta;
  ref: string;
}): Promise<TemplateVersion> {
  const row = await resolveTemplate(db, ref);
  const [pins] = await db.select({ n: pinning }).from(template).where(eq(template.id, row.id));
  return toVersion(row, pins?.n ?? 0);
}

/** Every version of a template, newest first. */
export async function listTemplateVersions({
  db,
  ref,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  ref: string;
  input: ListInput;
}): Promise<Page<TemplateVersion>> {
  const family = await resolveTemplate(db, ref.split("@")[0]!);
  const cursor = readCursor(input, 1);
  const rows = await db
    .select({ row: template, components: pinning })
    .from(template)
    .where(
      and(
        eq(template.name, family.name),
        cursor ? sql`${template.version} < ${Number(cursor[0])}` : undefined,
      ),
    )
    .orderBy(desc(template.version))
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.row.version],
    (r) => toVersion(r.row as TemplateRow, r.components),
  );
}

/** What changes between two versions of one template (the console's "what changed"). */
export async function compareTemplateVersions({
  db,
  from,
  to,
}: {
  db: Database;
  meta: RequestMeta;
  from: string;
  to: string;
}): Promise<TemplateChanges> {
  const [a, b] = await Promise.all([
    resolveTemplate(db, from, { field: "from" }),
    resolveTemplate(db, to, { field: "to" }),
  ]);
  return { from: templateRef(a), to: templateRef(b), ...compareTemplates(a.document, b.document) };
}

/**
 * Publishes a template version (`template:create`; templates are platform-wide, so on scope all).
 * The version must be the next one of its name (1 for a new name): versions are never rewritten.
 * Every signal it produces must be in the catalog, with the lane its use needs.
 */
export async function publishTemplate({
  db,
  actor,
  meta,
  document,
}: GatewayContext & { document: TemplateDocument }): Promise<TemplateVersion> {
  requireRegistryWrite(actor, "template:create");
  return db.transaction(async (tx) => {
    const row = await insertTemplate(tx, document, { official: false, createdBy: actor.id });
    const after = toVersion(row, 0);
    await writeAudit(tx, meta, { verb: "create", resource: "template", resourceId: row.id, after });
    return after;
  });
}

/** Inserts one version after the checks `publishTemplate` describes; shared with seeding. */
export async function insertTemplate(
  tx: Transaction,
  document: TemplateDocument,
  { official, createdBy }: { official: boolean; createdBy: string | null },
): Promise<TemplateRow> {
  // One publisher of a name at a time: the next version is decided under this lock.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`template:${document.name}`}))`);
  const [latest] = await tx
    .select({ version: template.version, official: template.official })
    .from(template)
    .where(eq(template.name, document.name))
    .orderBy(desc(template.version))
    .limit(1);
  if (latest?.official && !official)
    throw new OmniglassError(
      "CONFLICT",
      `${document.name} is an official template; publish yours under another name.`,
      { fieldErrors: [{ field: "name", message: "official template" }] },
    );
  const next = (latest?.version ?? 0) + 1;
  if (document.version !== next)
    throw new OmniglassError(
      "CONFLICT",
      latest
        ? `${document.name}@${document.version} cannot be published: the next version is ${next} (versions are immutable).`
        : `${document.name} is new: its first version is 1.`,
      { fieldErrors: [{ field: "version", message: `expected ${next}` }] },
    );
  const produced = signalsOf(document);
  const names = produced.map((p) => p.signal);
  const known =
    names.length === 0
      ? []
      : await tx
          .select({ id: signal.id, name: signal.name })
          .from(signal)
          .where(inArray(signal.name, names));
  const missing = names.filter((n) => !known.some((k) => k.name === n));
  if (missing.length > 0)
    throw new OmniglassError(
      "INVALID",
      `Signals not in the catalog: ${listSome(missing)}. Register them first (POST /signals).`,
      {
        fieldErrors: missing.map((name) => ({
          field: "document.functions",
          message: `unknown signal ${name}`,
        })),
      },
    );
  const [row] = await tx
    .insert(template)
    .values({
      id: uuidv7(),
      name: document.name,
      version: document.version,
      label: document.label,
      kind: document.kind,
      vendor: document.vendor ?? null,
      model: document.model ?? null,
      description: document.description ?? "",
      document,
      official,
      createdBy,
    })
    .returning();
  if (known.length > 0)
    await tx
      .insert(templateSignal)
      .values(known.map((k) => ({ templateId: row!.id, signalId: k.id })));
  await unsafeMaterialiseTemplateRules(tx, { id: row!.id, document }); // its rules, active at once
  return row as TemplateRow;
}

/** Deletes a version no component pins; official versions are read-only. */
export async function deleteTemplate({
  actor,
  db,
  meta,
  ref,
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  requireRegistryWrite(actor, "template:delete");
  return db.transaction(async (tx) => {
    if (!ref.includes("@") && !/^[0-9a-f-]{36}$/i.test(ref))
      throw new OmniglassError("INVALID", "Name the version to delete: `<name>@<version>`.", {
        fieldErrors: [{ field: "ref", message: "expected <name>@<version>" }],
      });
    const row = await resolveTemplate(tx, ref);
    if (row.official)
      throw new OmniglassError("FORBIDDEN", `${templateRef(row)} is official and read-only.`);
    const users = await tx
      .select({
        name: component.path,
        readable: readableColumn(componentScope(actor, "component:read")),
      })
      .from(component)
      .where(eq(component.templateId, row.id))
      .orderBy(asc(component.path));
    if (users.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `${templateRef(row)} is pinned by ${describeDependents(users)}. Move them to another version first.`,
      );
    await tx.delete(template).where(eq(template.id, row.id));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "template",
      resourceId: row.id,
      before: toVersion(row, 0),
    });
    return { id: row.id, deleted: true as const };
  });
}
