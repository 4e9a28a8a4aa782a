import { sql } from "drizzle-orm";
import type { EstateApplyResult, EstateDrift, EstateStatus } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import {
  diffFields,
  estateJsonSchema,
  exportEstate,
  isExisting,
  modelOf,
  type Address,
  type EstateObject,
} from "@omniglass/estate";
import { resolveComponent } from "../components/resolve-component";
import type { GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { resolveNode } from "../nodes/resolve-node";
import { resolveSystem } from "../systems/resolve-system";
import { estateRevision, readEstateLock } from "./lock";
import { readEstateModel } from "./read-model";

const iso = (value: Date | string) => new Date(value).toISOString();

interface ApplyRow {
  id: string;
  plan_id: string;
  by: string;
  at: Date;
  revision_after: string;
  counts: EstateApplyResult["counts"];
  duration_ms: number;
}

/** Status: the revision, the lock, the last apply, managed objects by kind, pending plans. */
export async function readEstateStatus({ db }: GatewayContext): Promise<EstateStatus> {
  const [{ revision }, lock, last, managed, pending] = await Promise.all([
    estateRevision(db),
    readEstateLock(db),
    db.execute(sql`select a.id, a.plan_id, p.name as by, a.at, a.revision_after::text as revision_after,
      a.counts, a.duration_ms from estate_apply a join principal p on p.id = a.by_id
      order by a.at desc, a.id desc limit 1`),
    db.execute(
      sql`select kind, count(*)::int as n from estate_managed group by kind order by kind`,
    ),
    db.execute(
      sql`select count(*)::int as n from estate_plan where status in ('pending', 'approved')`,
    ),
  ]);
  const a = last.rows[0] as ApplyRow | undefined;
  return {
    revision: revision.toString(),
    lock,
    lastApply: a
      ? {
          applyId: a.id,
          planId: a.plan_id,
          by: a.by,
          at: iso(a.at),
          revisionAfter: a.revision_after,
          counts: a.counts,
          durationMs: a.duration_ms,
        }
      : null,
    managed: Object.fromEntries(
      (managed.rows as { kind: string; n: number }[]).map((r) => [r.kind, r.n]),
    ),
    pendingPlans: (pending.rows[0] as { n: number }).n,
  };
}

/**
 * Refresh: per managed object the caller may read, the fields that differ from what the last
 * apply wrote (an edit through the API or the console), or that it is gone; and those objects
 * as they are now, written as estate files (a patch to merge into the files).
 */
export async function readEstateDrift({ db, actor }: GatewayContext): Promise<EstateDrift> {
  const [{ revision }, current, managed] = await Promise.all([
    estateRevision(db),
    readEstateModel(db, actor),
    db.execute(sql`select address, kind, spec from estate_managed order by address`),
  ]);
  const drifted: EstateDrift["drifted"] = [];
  const now: Record<Address, EstateObject> = {};
  const rows = managed.rows as { address: string; kind: string; spec: unknown }[];
  let readable = 0;
  const missing: typeof rows = [];
  for (const row of rows) {
    const object = current.model.objects[row.address];
    // Outside the caller's read scope, or gone: a managed object absent from the state is only
    // reported as deleted when the caller reads everything its kind lives in.
    if (!object) {
      missing.push(row);
      continue;
    }
    readable++;
    if (!("spec" in object)) continue;
    const fields = diffFields(row.spec, object.spec);
    if (fields.length === 0) continue;
    drifted.push({
      address: row.address,
      kind: row.kind,
      status: "changed",
      fields: fields.map((f) => ({ path: f.path, applied: f.before, now: f.after })),
    });
    now[row.address] = { kind: object.kind, spec: object.spec } as EstateObject;
  }
  // Absent from the caller's model: gone (deleted outside the files), or outside its read scope
  // (left out). One statement over every table a managed object lives in.
  if (missing.length > 0) {
    const gone = await db.execute(sql`
      select m.address from estate_managed m
      where m.address in (select value from jsonb_array_elements_text(${JSON.stringify(missing.map((m) => m.address))}::jsonb))
        and m.object_id is not null
        and not exists (select 1 from location where id = m.object_id)
        and not exists (select 1 from system where id = m.object_id)
        and not exists (select 1 from component where id = m.object_id)
        and not exists (select 1 from node where id = m.object_id)
        and not exists (select 1 from estate_binding where id = m.object_id)
        and not exists (select 1 from event_rule where id = m.object_id)
        and not exists (select 1 from maintenance_window where id = m.object_id)
        and not exists (select 1 from webhook_endpoint where id = m.object_id)
        and not exists (select 1 from action_rule where id = m.object_id)
        and not exists (select 1 from role_grant where id = m.object_id)`);
    for (const { address } of gone.rows as { address: string }[]) {
      const row = missing.find((m) => m.address === address)!;
      drifted.push({ address, kind: row.kind, status: "deleted", fields: [] });
    }
  }
  const patch =
    drifted.length > 0
      ? exportEstate(modelOf(now), { entry: "drift.yaml" }).map((f) => ({
          path: f.path,
          content: f.text,
        }))
      : [];
  return { revision: revision.toString(), drifted, managed: readable, patch };
}

/** Import: today's state (or a location's subtree), in the caller's read scope, as estate files. */
export async function exportEstateFiles({
  db,
  actor,
  subtree,
}: GatewayContext & { subtree?: string }) {
  const root = subtree?.replace(/^location\./, "");
  const { revision, model } = await db.transaction(
    async (tx) => {
      const { revision } = await estateRevision(tx);
      const { model } = await readEstateModel(tx, actor);
      return { revision, model };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  // An ancestor the caller cannot read is only an `existing` stub: not a subtree to export.
  const rootObject = root ? model.objects[`location.${root}`] : undefined;
  if (root && (!rootObject || isExisting(rootObject)))
    throw new OmniglassError("NOT_FOUND", `No location ${root}.`, {
      fieldErrors: [{ field: "subtree", message: "no such location in your read scope" }],
    });
  const files = exportEstate(model, root ? { subtree: `location.${root}` } : {});
  return {
    revision: revision.toString(),
    files: files.map((f) => ({ path: f.path, content: f.text })),
  };
}

/** Whether an object is managed by the files, and by which apply. */
export async function readManagedBy({ db, actor, address }: GatewayContext & { address: string }) {
  // Only what the caller may read (404 outside read scope, as the object's own GET).
  const kind = address.slice(0, address.indexOf("."));
  const body = address.slice(address.indexOf(".") + 1);
  const resolvers: Record<string, () => Promise<unknown>> = {
    location: () => resolveLocation(db, actor, body),
    system: () => resolveSystem(db, actor, body),
    component: () => resolveComponent(db, actor, body),
    node: () => resolveNode(db, actor, body),
  };
  const resolve = resolvers[kind];
  if (!resolve)
    throw new OmniglassError("INVALID", "Give a location, system, component or node address.", {
      fieldErrors: [
        { field: "address", message: "a location., system., component. or node. address" },
      ],
    });
  await resolve();
  const result = await db.execute(
    sql`select apply_id, plan_id, at from estate_managed where address = ${address}`,
  );
  const row = result.rows[0] as { apply_id: string; plan_id: string; at: Date } | undefined;
  return {
    address,
    managedBy: row ? { applyId: row.apply_id, planId: row.plan_id, at: iso(row.at) } : null,
  };
}

/** The estate file JSON Schema, from the code (docs/reference/estate.schema.json is generated from it). */
export const readEstateSchema = (): Record<string, unknown> => estateJsonSchema();
