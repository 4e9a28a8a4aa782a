import { sql } from "drizzle-orm";
import type { EstateApplyResult } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import {
  bindingKey,
  bindingTarget,
  bodyOf,
  parentPath,
  templateParts,
  type Address,
  type ComponentSpec,
  type EstateModel,
  type EstatePlan,
  type LocationSpec,
  type NodeSpec,
  type PlannedChange,
  type RuleSpec,
  type WindowSpec,
  type SystemSpec,
  type TagSpec,
  type VariableSpec,
} from "@omniglass/estate";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import { deleteBinding, setBinding } from "../bindings/bindings";
import { changeTemplate } from "../components/change-template";
import { createComponent } from "../components/create-component";
import { deleteComponent } from "../components/delete-component";
import { updateComponent } from "../components/update-component";
import type { Database, Transaction } from "../db";
import { unsafeDeferHealth } from "../health/defer";
import { recomputeHealth } from "../health/recompute-health";
import type { HealthSeeds } from "../health/types";
import { authorize, type Check, type GatewayContext } from "../kit";
import { createLocation } from "../locations/create-location";
import { deleteLocation } from "../locations/delete-location";
import { updateLocation } from "../locations/update-location";
import { createNode } from "../nodes/create-node";
import { deleteNode } from "../nodes/delete-node";
import { moveNode, updateNode } from "../nodes/update-node";
import { addMember } from "../systems/add-member";
import { createSystem } from "../systems/create-system";
import { deleteSystem } from "../systems/delete-system";
import { removeMember } from "../systems/remove-member";
import { createRule } from "../rules/create-rule";
import { deleteRule } from "../rules/delete-rule";
import { updateRule } from "../rules/update-rule";
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  updateMaintenanceWindow,
} from "../suppress/write-window";
import { createRole, deleteRole, updateRole } from "../systems/system-roles";
import { updateMember } from "../systems/update-member";
import { updateSystem } from "../systems/update-system";
import { acquireEstateLock, estateRevision, releaseEstateLock } from "./lock";
import { findEstatePlanRow } from "./plans";
import { readEstateModel } from "./read-model";

/** Kinds an apply writes today; a plan changing any other kind is refused before anything. */
export const APPLIED_KINDS = new Set([
  "location",
  "system",
  "component",
  "node",
  "tag",
  "variable",
  "rule",
  "window",
]);

/** The capability resource of each applied kind (as its API writers check). */
const RESOURCE: Record<string, string> = {
  location: "location",
  system: "system",
  component: "component",
  node: "node",
  tag: "tag",
  variable: "variable",
  rule: "rule",
  window: "maintenance",
};

/** Tags and variables are set (`<kind>:update`, create or change) or deleted, as PUT/DELETE do. */
const BINDING_VERB: Record<PlannedChange["operation"], string> = {
  create: "update",
  update: "update",
  replace: "update",
  delete: "delete",
};

const VERB: Record<PlannedChange["operation"], string> = {
  create: "create",
  update: "update",
  replace: "update",
  delete: "delete",
};

export interface ApplyHooks {
  /** Test hook: called before each change, inside the transaction (throw to fail midway). */
  beforeChange?: (index: number, change: PlannedChange) => void | Promise<void>;
}

const nameOf = (path: string) => path.slice(path.lastIndexOf(".") + 1);

/**
 * What the same change would need through the API, in that object's scope: the capability
 * `<resource>:<create|update|delete>` at the location it sits in (a location: its own path),
 * and for a system's members `component:update` where each member is placed. Checked for every
 * change before anything is written (403 naming the first refused).
 */
export function applyChecks(plan: EstatePlan, desired: EstateModel): Check[] {
  const checks: Check[] = [];
  for (const change of plan.changes) {
    const resource = RESOURCE[change.kind];
    if (!resource) continue;
    if (change.kind === "tag" || change.kind === "variable") {
      const capability = `${resource}:${BINDING_VERB[change.operation]}`;
      // The platform's bindings need the capability on scope all (as the bindings API).
      checks.push(
        bindingTarget(change.address) === "platform"
          ? { capability, everywhere: true }
          : {
              capability,
              location: change.location ?? "",
              action: `${change.operation === "delete" ? "delete" : "set"} ${change.kind}s on ${bindingTarget(change.address)} (${change.address})`,
            },
      );
      continue;
    }
    if (change.kind === "rule") {
      // Rules are a registry: rule:<verb> on scope all. A replace (owner kind changed) is a
      // delete and a create.
      const verbs =
        change.operation === "replace" ? ["delete", "create"] : [VERB[change.operation]];
      for (const verb of verbs) checks.push({ capability: `rule:${verb}`, registry: true });
      continue;
    }
    if (change.kind === "window") {
      // maintenance:write where the window is placed (a template scope: the platform's, scope
      // all). A delete or a move is also checked by the writer on the window's current scope
      // (inside the transaction: a refusal there rolls everything back).
      const scope = (desired.objects[change.address] as { spec?: WindowSpec } | undefined)?.spec
        ?.scope;
      if (scope === undefined)
        // A delete: where the plan placed the window from the state (null: a template scope).
        checks.push(
          change.location === null
            ? { capability: "maintenance:write", everywhere: true }
            : {
                capability: "maintenance:write",
                location: change.location,
                action: `delete maintenance windows (${change.address})`,
              },
        );
      else
        checks.push(
          scope.startsWith("template.")
            ? { capability: "maintenance:write", everywhere: true }
            : {
                capability: "maintenance:write",
                location: scope.startsWith("location.")
                  ? bodyOf(scope)
                  : (parentPath(bodyOf(scope)) ?? ""),
                action: `change maintenance windows (${change.address})`,
              },
        );
      continue;
    }
    const where = change.location ?? "";
    checks.push({
      capability: `${resource}:${VERB[change.operation]}`,
      location: where,
      action: `${VERB[change.operation]} ${change.kind}s (${change.address})`,
    });
    if (change.kind === "system") {
      const object = desired.objects[change.address];
      const members =
        object && "spec" in object ? Object.keys((object.spec as SystemSpec).members) : [];
      for (const member of members) {
        const placed = parentPath(bodyOf(member));
        if (placed !== null)
          checks.push({
            capability: "component:update",
            location: placed,
            action: `add members to ${change.address} (${member})`,
          });
      }
    }
  }
  return checks;
}

/** Refuses what an apply cannot write yet, before anything is written. */
function assertApplicable(plan: EstatePlan, desired: EstateModel): void {
  const unsupported = plan.changes.filter((c) => !APPLIED_KINDS.has(c.kind));
  if (unsupported.length > 0)
    throw new OmniglassError(
      "INVALID",
      `This release applies locations, systems, components, nodes, tags, plain variables, custom rules and maintenance windows; the plan changes ${unsupported.length} other object(s), first ${unsupported[0]!.address}.`,
      {
        fieldErrors: unsupported.slice(0, 20).map((c) => ({
          field: c.address,
          message: `${c.operation} of a ${c.kind} is not applied yet`,
        })),
      },
    );
  // A secret variable is a reference the server cannot resolve (`${env:…}` names the applying
  // user's environment, not the server's): refused, never stored as given (decision 0012).
  const secrets = plan.changes.filter(
    (c) =>
      c.kind === "variable" &&
      c.operation !== "delete" &&
      "secret" in ((desired.objects[c.address] as { spec?: object } | undefined)?.spec ?? {}),
  );
  if (secrets.length > 0)
    throw new OmniglassError(
      "INVALID",
      `Secret variables are not applied from files in this release (${secrets.length}, first ${secrets[0]!.address}): set them through the variables API (secret: true).`,
      {
        fieldErrors: secrets.slice(0, 20).map((c) => ({
          field: c.address,
          message: "a secret variable is set through the API, not applied from a reference",
        })),
      },
    );
  const bucket = plan.changes.flatMap((c) =>
    c.fields
      .filter((f) => /^(labels|metadata)([.[]|$)/.test(f.path))
      .map((f) => ({
        field: `${c.address}.${f.path}`,
        message: "labels and metadata have no columns yet",
      })),
  );
  if (bucket.length > 0)
    throw new OmniglassError("INVALID", "labels and metadata are not stored yet.", {
      fieldErrors: bucket.slice(0, 20),
    });
}

/** Who changed what since the plan's base: the stale-plan refusal lists these. */
async function changesSince(db: Database | Transaction, base: bigint, since: Date | string) {
  const result = await db.execute(sql`
    select c.revision::text as revision, c.table_name, c.object_id, c.op, c.at,
      coalesce(p.name, (
        -- A writer that did not say who it is: the actor of that object's audit row, written in
        -- the same transaction (at or after its start).
        select ap.name from audit_log a join principal ap on ap.id = a.actor_id
        where a.resource_id = c.object_id::text and a.at >= c.at
        order by a.at limit 1)) as actor
    from estate_change c left join principal p on p.id = c.actor_id
    where c.revision > ${base.toString()}::bigint or c.at >= ${new Date(since).toISOString()}::timestamptz
    order by c.revision limit 100`);
  return result.rows as {
    revision: string;
    table_name: string;
    object_id: string;
    op: string;
    at: Date | string;
    actor: string | null;
  }[];
}

export function stalePlanError(
  planId: string,
  base: string,
  rows: Awaited<ReturnType<typeof changesSince>>,
): OmniglassError {
  return new OmniglassError(
    "STALE_PLAN",
    `Plan ${planId} was made at revision ${base}; the estate changed since (${rows.length} change(s)${rows.length === 100 ? " or more" : ""}). Plan again.`,
    {
      fieldErrors: rows.map((r) => ({
        field: `${r.table_name}.${r.object_id}`,
        message: `${r.op} at ${new Date(r.at).toISOString()} by ${r.actor ?? "unknown"} (revision ${r.revision})`,
      })),
    },
  );
}

/** A rule's scope address as the rules API takes it. */
function ruleScope(scope: Address): {
  kind: "all" | "template" | "system-type" | "location" | "owner" | "system";
  ref: string | null;
} {
  if (scope === "all") return { kind: "all", ref: null };
  const body = bodyOf(scope);
  if (scope.startsWith("template.")) return { kind: "template", ref: body };
  if (scope.startsWith("system-type.")) return { kind: "system-type", ref: body };
  if (scope.startsWith("location.")) return { kind: "location", ref: body };
  if (scope.startsWith("component.")) return { kind: "owner", ref: body };
  return { kind: "system", ref: body };
}

/** A window's scope address as the maintenance API takes it. */
function windowScope(scope: Address): {
  kind: "location" | "system" | "template" | "owner";
  ref: string;
} {
  const body = bodyOf(scope);
  if (scope.startsWith("template.")) return { kind: "template", ref: body };
  if (scope.startsWith("location.")) return { kind: "location", ref: body };
  if (scope.startsWith("component.")) return { kind: "owner", ref: body };
  return { kind: "system", ref: body };
}

type Specs = {
  window: WindowSpec;
  rule: RuleSpec;
  location: LocationSpec;
  system: SystemSpec;
  component: ComponentSpec;
  node: NodeSpec;
};
const specOf = <K extends keyof Specs>(
  model: EstateModel,
  address: Address,
): Specs[K] | undefined => {
  const object = model.objects[address];
  return object && "spec" in object ? (object.spec as Specs[K]) : undefined;
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a stored plan: fresh (its base is the state's revision, else 409 stale-plan listing
 * what changed), approved when it needs approvals, every change authorized before anything is
 * written, under the lease lock, and all in one transaction through the API's own writers (the
 * same validation and one audit row per change) plus one `apply` audit row and the managed set.
 */
export async function applyEstatePlan({
  db,
  actor,
  meta,
  id,
  hooks = {},
}: GatewayContext & { id: string; hooks?: ApplyHooks }): Promise<EstateApplyResult> {
  const row = await findEstatePlanRow(db, actor, id);
  if (row.status === "applied" || row.status === "discarded")
    throw new OmniglassError("CONFLICT", `Plan ${id} is ${row.status}.`, {
      fieldErrors: [{ field: "id", message: `plan is ${row.status}` }],
    });
  const stored = await db.execute(
    sql`select plan, desired, created_at from estate_plan where id = ${id}`,
  );
  const { plan, desired, created_at } = stored.rows[0] as {
    plan: EstatePlan;
    desired: EstateModel;
    created_at: Date;
  };
  if (!plan.ok)
    throw new OmniglassError("INVALID", "The files of this plan have errors; it is not applied.", {
      fieldErrors: plan.diagnostics
        .filter((d) => d.severity === "error")
        .slice(0, 20)
        .map((d) => ({ field: `${d.file}:${d.line}:${d.column}`, message: d.message })),
    });
  assertApplicable(plan, desired);
  if (plan.approvalsRequired.length > 0) {
    const approved = row.approvals.length > 0;
    if (!approved)
      throw new OmniglassError(
        "CONFLICT",
        `Plan ${id} needs an approval by someone other than ${row.planner} (${plan.approvalsRequired.map((a) => `${a.reason}: ${a.addresses.length}`).join(", ")}).`,
        {
          fieldErrors: plan.approvalsRequired.flatMap((a) =>
            a.addresses
              .slice(0, 20)
              .map((address) => ({ field: address, message: `${a.reason}: needs approval` })),
          ),
        },
      );
  }
  // Authorization of every change, before the lock and before anything is written.
  authorize(actor, applyChecks(plan, desired));
  // A fast refusal of a stale plan without taking the lock (checked again under it).
  const base = BigInt(row.base_revision);
  const baseCount = BigInt(row.base_count);
  const before = await estateRevision(db);
  if (before.revision !== base || before.count !== baseCount)
    await refuseStale(db, id, row.base_revision, base, created_at);

  const lock = await acquireEstateLock(db, actor, `apply ${id}`);
  const started = performance.now();
  try {
    const applyId = uuidv7();
    const result = await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('omniglass.actor', ${actor.id}, true)`);
      // Writers of managed tables wait until this commits: the freshness check holds to the end.
      await tx.execute(sql`lock table estate_change in exclusive mode`);
      const now = await estateRevision(tx);
      if (now.revision !== base || now.count !== baseCount)
        throw stalePlanError(id, row.base_revision, await changesSince(tx, base, created_at));
      const current = await readEstateModel(tx, actor, row.subtree ? { subtree: row.subtree } : {});
      const ids = current.ids;
      const inner: GatewayContext = { db: withoutSavepoints(tx), actor, meta };
      // The writers' health recomputes are deferred and done once for everything the apply
      // touched, after its writes (recomputeHealth's rule: once per transaction, at the end):
      // otherwise each of 1,000 new components re-judges the same room, floor and building.
      await unsafeDeferHealth(async () => {
        for (const [index, change] of plan.changes.entries()) {
          await hooks.beforeChange?.(index, change);
          const created = await runChange(tx, inner, change, desired, current.model, ids);
          if (created) ids.set(change.address, created);
        }
      });
      await recomputeHealth(tx, healthSeeds(plan, desired, current.model, ids));
      // The managed set: what the files now declare and the apply wrote or adopted.
      const owned = [
        ...plan.changes.filter((c) => c.operation !== "delete").map((c) => c.address),
        ...plan.adopt,
      ];
      const released = [
        ...plan.changes.filter((c) => c.operation === "delete").map((c) => c.address),
        ...plan.release,
      ];
      if (released.length > 0)
        await tx.execute(
          sql`delete from estate_managed where address = any(${sql.raw(`array[${released.map(quoteLiteral).join(",")}]::text[]`)})`,
        );
      for (let i = 0; i < owned.length; i += 1000) {
        const slice = owned.slice(i, i + 1000).map((address) => ({
          address,
          kind: desired.objects[address]?.kind ?? "unknown",
          object_id: ids.get(address) ?? null,
          spec: (desired.objects[address] as { spec?: unknown } | undefined)?.spec ?? {},
        }));
        await tx.execute(sql`
          insert into estate_managed (address, kind, object_id, spec, apply_id, plan_id, at)
          select x.address, x.kind, x.object_id, x.spec, ${applyId}, ${id}, now()
          from jsonb_to_recordset(${JSON.stringify(slice)}::jsonb)
            as x(address text, kind text, object_id uuid, spec jsonb)
          on conflict (address) do update set kind = excluded.kind, object_id = excluded.object_id,
            spec = excluded.spec, apply_id = excluded.apply_id, plan_id = excluded.plan_id, at = now()`);
      }
      const after = await estateRevision(tx);
      const counts = {
        create: plan.summary.create,
        update: plan.summary.update,
        replace: plan.summary.replace,
        delete: plan.summary.delete,
        adopt: plan.adopt.length,
        release: plan.release.length,
      };
      const durationMs = Math.round(performance.now() - started);
      const inserted = await tx.execute(sql`
        insert into estate_apply (id, plan_id, by_id, revision_after, counts, duration_ms)
        values (${applyId}, ${id}, ${actor.id}, ${after.revision.toString()}::bigint,
          ${JSON.stringify(counts)}::jsonb, ${durationMs}) returning at`);
      await tx.execute(sql`update estate_plan set status = 'applied' where id = ${id}`);
      await writeAudit(tx, meta, {
        verb: "apply",
        resource: "estate-plan",
        resourceId: id,
        after: { applyId, planId: id, counts, revisionAfter: after.revision.toString() },
      });
      return {
        applyId,
        planId: id,
        by: actor.name,
        at: new Date((inserted.rows[0] as { at: Date }).at).toISOString(),
        revisionAfter: after.revision.toString(),
        counts,
        durationMs,
      };
    });
    return result;
  } catch (error) {
    // A concurrent API write to a row this apply also changes: one of the two is PostgreSQL's
    // deadlock victim (it waited on the log's table lock while holding the row). If it is the
    // apply, it is a typed conflict, not a 500; everything rolled back.
    if (isDeadlock(error))
      throw new OmniglassError(
        "CONFLICT",
        "A write made at the same time touched the same objects; nothing was applied. Plan again.",
        { cause: error },
      );
    if (error instanceof OmniglassError && error.code === "STALE_PLAN")
      await db.execute(
        sql`update estate_plan set status = 'stale' where id = ${id} and status in ('pending', 'approved')`,
      );
    throw error;
  } finally {
    await releaseEstateLock(db, lock.lockId);
  }
}

async function refuseStale(db: Database, id: string, baseText: string, base: bigint, since: Date) {
  const rows = await changesSince(db, base, since);
  await db.execute(
    sql`update estate_plan set status = 'stale' where id = ${id} and status in ('pending', 'approved')`,
  );
  throw stalePlanError(id, baseText, rows);
}

/**
 * Whose health the apply changed: what it created or updated (and a system's members, before
 * and after), and for what it deleted, the location it was in (and a deleted system's members).
 */
function healthSeeds(
  plan: EstatePlan,
  desired: EstateModel,
  current: EstateModel,
  ids: Map<Address, string>,
): HealthSeeds {
  const components = new Set<string>();
  const systems = new Set<string>();
  const locations = new Set<string>();
  const add = (address: Address) => {
    const id = ids.get(address);
    if (!id) return;
    if (address.startsWith("component.")) components.add(id);
    else if (address.startsWith("system.")) systems.add(id);
    else if (address.startsWith("location.")) locations.add(id);
  };
  for (const change of plan.changes) {
    if (change.kind !== "location" && change.kind !== "system" && change.kind !== "component")
      continue;
    const deleted = change.operation === "delete";
    if (!deleted) add(change.address);
    else {
      const parent = parentPath(bodyOf(change.address));
      if (parent) add(`location.${parent}`);
    }
    if (change.kind === "system") {
      const members = [
        ...Object.keys(specOf<"system">(desired, change.address)?.members ?? {}),
        ...Object.keys(specOf<"system">(current, change.address)?.members ?? {}),
      ];
      for (const member of members) add(member);
    }
  }
  // Deleted components are gone: seeding them would judge nothing.
  for (const change of plan.changes)
    if (change.operation === "delete") {
      const id = ids.get(change.address);
      if (id) {
        components.delete(id);
        systems.delete(id);
        locations.delete(id);
      }
    }
  return {
    componentIds: [...components],
    systemIds: [...systems],
    locationIds: [...locations],
  };
}

/**
 * The apply's transaction as the writers' `db`: their own `transaction(fn)` runs `fn` in it
 * directly instead of opening a savepoint (two statements per writer call). Nothing catches a
 * writer's error to carry on — any error aborts the whole apply — so a savepoint would never be
 * rolled back to on its own.
 */
function withoutSavepoints(tx: Transaction): Database {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === "transaction")
        return <T>(fn: (inner: Transaction) => Promise<T>) => fn(target);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  }) as unknown as Database;
}

function isDeadlock(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (e.code === "40P01") return true;
    e = e.cause as typeof e;
  }
  return false;
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** One change through the API's writer (nested in the apply's transaction as a savepoint). */
async function runChange(
  tx: Transaction,
  ctx: GatewayContext,
  change: PlannedChange,
  desired: EstateModel,
  current: EstateModel,
  ids: Map<Address, string>,
): Promise<string | undefined> {
  const path = bodyOf(change.address);
  const parent = parentPath(path);
  const op = change.operation === "replace" ? "update" : change.operation;
  switch (change.kind) {
    case "location": {
      const want = specOf<"location">(desired, change.address);
      if (op === "create") {
        const made = await createLocation({
          ...ctx,
          input: {
            name: nameOf(path),
            type: want!.type,
            ...(want!.label ? { label: want!.label } : {}),
            ...(parent ? { parent } : {}),
          },
        });
        return made.id;
      }
      if (op === "update") {
        await updateLocation({
          ...ctx,
          input: { ref: path, label: want!.label ?? null, type: want!.type },
        });
        return;
      }
      await deleteLocation({ ...ctx, ref: path });
      return;
    }
    case "node": {
      const name = path;
      const want = specOf<"node">(desired, change.address);
      const was = specOf<"node">(current, change.address);
      if (op === "create") {
        // The enrollment token is not kept: issue one through the nodes API when it is installed.
        const made = await createNode({
          ...ctx,
          input: {
            name,
            location: bodyOf(want!.location),
            expiresInHours: 24,
            ...(want!.label ? { label: want!.label } : {}),
          },
        });
        return made.id;
      }
      if (op === "update") {
        if ((want!.label ?? null) !== (was?.label ?? null))
          await updateNode({ ...ctx, input: { ref: name, label: want!.label ?? null } });
        if (was && want!.location !== was.location)
          await moveNode({ ...ctx, input: { ref: name, location: bodyOf(want!.location) } });
        return;
      }
      await deleteNode({ ...ctx, ref: name });
      return;
    }
    case "component": {
      const want = specOf<"component">(desired, change.address);
      const was = specOf<"component">(current, change.address);
      if (op === "create") {
        const { name: template, version } = templateParts(want!.template);
        const made = await createComponent({
          ...ctx,
          input: {
            name: nameOf(path),
            location: parent!,
            template: version === null ? template : `${template}@${version}`,
            ...(want!.label ? { label: want!.label } : {}),
            ...(want!.node ? { node: bodyOf(want!.node) } : {}),
            ...(Object.keys(want!.interfaces).length > 0
              ? {
                  interfaces: Object.entries(want!.interfaces).map(([name, i]) => ({
                    name,
                    ...(i.node ? { node: bodyOf(i.node) } : {}),
                    ...(i.host ? { host: i.host } : {}),
                    ...(i.port ? { port: i.port } : {}),
                  })),
                }
              : {}),
            ...(want!.vendor ? { vendor: want!.vendor } : {}),
            ...(want!.model ? { model: want!.model } : {}),
            ...(want!.serial ? { serial: want!.serial } : {}),
            ...(want!.mac ? { mac: want!.mac } : {}),
            ...(want!.address ? { address: want!.address } : {}),
          },
        });
        return made.id;
      }
      if (op === "update") {
        if (was && want!.template !== was.template) {
          const { name: template, version } = templateParts(want!.template);
          await changeTemplate({
            ...ctx,
            input: { ref: path, template: version === null ? template : `${template}@${version}` },
          });
        }
        const bindingsChanged =
          !was || want!.node !== was.node || !same(want!.interfaces, was.interfaces);
        let interfaces:
          | { name: string; node: string | null; host: string | null; port: number | null }[]
          | undefined;
        if (bindingsChanged) {
          const names = await tx.execute(
            sql`select name from component_interface where component_id = ${ids.get(change.address)!} order by name`,
          );
          interfaces = (names.rows as { name: string }[]).map(({ name }) => {
            const i = want!.interfaces[name] ?? {};
            const node = i.node ?? want!.node;
            return {
              name,
              node: node ? bodyOf(node) : null,
              host: i.host ?? null,
              port: i.port ?? null,
            };
          });
        }
        await updateComponent({
          ...ctx,
          input: {
            ref: path,
            label: want!.label ?? null,
            vendor: want!.vendor ?? null,
            model: want!.model ?? null,
            serial: want!.serial ?? null,
            mac: want!.mac ?? null,
            address: want!.address ?? null,
            ...(interfaces ? { interfaces } : {}),
          },
        });
        return;
      }
      await deleteComponent({ ...ctx, ref: path });
      return;
    }
    case "system": {
      const want = specOf<"system">(desired, change.address);
      const was = specOf<"system">(current, change.address);
      if (op === "delete") {
        for (const member of Object.keys(was?.members ?? {}))
          await removeMember({ ...ctx, ref: path, component: bodyOf(member) });
        await deleteSystem({ ...ctx, ref: path });
        return;
      }
      let madeId: string | undefined;
      if (op === "create") {
        const made = await createSystem({
          ...ctx,
          input: {
            name: nameOf(path),
            type: want!.type,
            location: parent!,
            ...(want!.label ? { label: want!.label } : {}),
          },
        });
        madeId = made.id;
      } else if (
        was &&
        (want!.type !== was.type || (want!.label ?? null) !== (was.label ?? null))
      ) {
        await updateSystem({
          ...ctx,
          input: { ref: path, label: want!.label ?? null, type: want!.type },
        });
      }
      const roles = was?.roles ?? {};
      for (const [role, spec] of Object.entries(want!.roles)) {
        const had = roles[role];
        if (!had)
          await createRole({
            ...ctx,
            input: {
              ref: path,
              name: role,
              accepts: spec.accepts,
              quorum: spec.quorum,
              impact: spec.impact,
              ...(spec.label ? { label: spec.label } : {}),
            },
          });
        else if (!same(had, spec))
          await updateRole({
            ...ctx,
            input: {
              ref: path,
              role,
              label: spec.label ?? null,
              accepts: spec.accepts,
              quorum: spec.quorum,
              impact: spec.impact,
            },
          });
      }
      const members = was?.members ?? {};
      for (const member of Object.keys(members))
        if (!want!.members[member])
          await removeMember({ ...ctx, ref: path, component: bodyOf(member) });
      for (const [member, spec] of Object.entries(want!.members)) {
        const had = members[member];
        if (!had)
          await addMember({
            ...ctx,
            input: {
              ref: path,
              component: bodyOf(member),
              primary: spec.primary,
              role: spec.role ?? null,
            },
          });
        else if (!same(had, spec))
          await updateMember({
            ...ctx,
            input: {
              ref: path,
              component: bodyOf(member),
              primary: spec.primary,
              role: spec.role ?? null,
            },
          });
      }
      for (const role of Object.keys(roles))
        if (!want!.roles[role]) await deleteRole({ ...ctx, ref: path, role });
      return madeId;
    }
    case "rule": {
      const name = path;
      const want = specOf<"rule">(desired, change.address);
      const was = specOf<"rule">(current, change.address);
      if (change.operation === "delete" || change.operation === "replace")
        await deleteRule({ ...ctx, ref: name });
      if (change.operation === "delete") return;
      const fields = {
        severity: want!.severity,
        fire: want!.fire,
        sustainSeconds: want!.sustainSeconds,
        scope: ruleScope(want!.scope),
        enabled: want!.enabled,
        flapWindowSeconds: want!.flapWindowSeconds,
        flapThreshold: want!.flapThreshold,
      };
      if (change.operation === "update" && was) {
        await updateRule({
          ...ctx,
          input: {
            ref: name,
            ...fields,
            label: want!.label ?? null,
            description: want!.description ?? "",
            clear: want!.clear ?? null,
          },
        });
        return;
      }
      const made = await createRule({
        ...ctx,
        input: {
          name,
          ownerKind: want!.ownerKind,
          ...fields,
          ...(want!.label ? { label: want!.label } : {}),
          ...(want!.description ? { description: want!.description } : {}),
          ...(want!.clear ? { clear: want!.clear } : {}),
        },
      });
      return made.id;
    }
    case "window": {
      const want = specOf<"window">(desired, change.address);
      if (op === "delete") {
        await deleteMaintenanceWindow({ ...ctx, ref: path });
        return;
      }
      const fields = {
        scope: windowScope(want!.scope),
        dtstart: want!.dtstart,
        timeZone: want!.timeZone,
        duration: want!.duration,
        enabled: want!.enabled,
      };
      if (op === "update") {
        await updateMaintenanceWindow({
          ...ctx,
          input: {
            ref: path,
            ...fields,
            rrule: want!.rrule ?? null,
            label: want!.label ?? null,
            description: want!.description ?? "",
          },
        });
        return;
      }
      const made = await createMaintenanceWindow({
        ...ctx,
        input: {
          name: path,
          ...fields,
          ...(want!.rrule ? { rrule: want!.rrule } : {}),
          ...(want!.label ? { label: want!.label } : {}),
          ...(want!.description ? { description: want!.description } : {}),
        },
      });
      return made.id;
    }
    case "tag":
    case "variable": {
      const target = bindingTarget(change.address);
      const key = bindingKey(change.address);
      if (op === "delete") {
        await deleteBinding({ ...ctx, kind: change.kind, input: { target, key } });
        return;
      }
      const want = desired.objects[change.address] as { spec: TagSpec | VariableSpec };
      if (!("value" in want.spec)) throw new Error("secret variables are refused (checked before)");
      const value = want.spec.value;
      const made =
        change.kind === "tag"
          ? await setBinding({
              ...ctx,
              kind: "tag",
              input: { target, key, value: value as string },
            })
          : await setBinding({
              ...ctx,
              kind: "variable",
              input: { target, key, value: value as never },
            });
      return made.id;
    }
    default:
      throw new Error(`${change.kind} is not applied (checked before)`);
  }
}
