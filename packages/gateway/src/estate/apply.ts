import { sql } from "drizzle-orm";
import type { EstateApplyResult } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { EstateModel, EstatePlan, PlannedChange } from "@omniglass/estate";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { unsafeDeferHealth } from "../health/defer";
import { recomputeHealth } from "../health/recompute-health";
import { noSecretKey, type SecretKey } from "../secrets";
import { authorize, type GatewayContext } from "../kit";
import { runChange } from "./apply-change";
import { isComponentCreate, writeComponentCreates } from "./apply-objects";
import { applyChecks, assertApplicable, secretsNeeded } from "./apply-checks";
import { grantChecks } from "./apply-grant-checks";
import { healthSeeds, type ApplySecrets } from "./apply-model";
import { changesSince, markStale, refuseStale, stalePlanError } from "./apply-stale";
import { acquireEstateLock, estateRevision, releaseEstateLock } from "./lock";
import { findEstatePlanRow } from "./plans";
import { readEstateModel } from "./read-model";
import { assertGrantsReadable } from "./read-model-grants";

export { APPLIED_KINDS, applyChecks } from "./apply-checks";

/** What an apply needs besides the plan: the secrets the request carried and the server's settings. */
export interface ApplySecretsInput {
  /** `${env:NAME}` values by NAME, as the CLI read them from its environment: used, never kept. */
  secrets?: Record<string, string>;
  /** The master key sealing secret variables and endpoint secrets (null: they fail closed, 503). */
  secretKey?: SecretKey | null;
  /** Accept loopback webhook URLs (tests and development), as the endpoints API does. */
  allowLoopback?: boolean;
}

export interface ApplyHooks {
  /** Test hook: called before each change, inside the transaction (throw to fail midway). */
  beforeChange?: (index: number, change: PlannedChange) => void | Promise<void>;
}

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
  secrets: given = {},
  secretKey = null,
  allowLoopback = false,
}: GatewayContext & {
  id: string;
  hooks?: ApplyHooks;
} & ApplySecretsInput): Promise<EstateApplyResult> {
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
  const supplied = new Map(Object.entries(given));
  assertApplicable(plan, desired, supplied);
  // Sealing needs the server's key: a new (or moved) endpoint's secret, any secret supplied.
  const sealing =
    plan.changes.some(
      (c) => c.kind === "endpoint" && (c.operation === "create" || c.operation === "replace"),
    ) || secretsNeeded(plan, desired).length > 0;
  if (sealing && !secretKey) throw noSecretKey();
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
  assertGrantsReadable(actor, "apply", desired, plan);
  authorize(actor, [...applyChecks(plan, desired), ...(await grantChecks(db, plan, desired))]);
  // A fast refusal of a stale plan without taking the lock (checked again under it).
  const base = BigInt(row.base_revision);
  const baseCount = BigInt(row.base_count);
  const before = await estateRevision(db);
  if (before.revision !== base || before.count !== baseCount)
    await refuseStale(db, id, row.base_revision, base, created_at);

  const lock = await acquireEstateLock(db, actor, `apply ${id}`);
  // Secrets generated for new endpoints: answered this once, never stored elsewhere or logged.
  const generated: ApplySecrets["generated"] = [];
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
      const secrets: ApplySecrets = { supplied, secretKey, allowLoopback, generated };
      // The writers' health recomputes are deferred and done once for everything the apply
      // touched, after its writes (recomputeHealth's rule: once per transaction, at the end):
      // otherwise each of 1,000 new components re-judges the same room, floor and building.
      await unsafeDeferHealth(async () => {
        const changes = plan.changes;
        for (let index = 0; index < changes.length; index++) {
          const change = changes[index]!;
          if (isComponentCreate(change)) {
            // A row of component creates: set-based, each authorized and audited as one.
            let end = index;
            while (end < changes.length && isComponentCreate(changes[end]!)) end++;
            const run = changes.slice(index, end);
            for (const [i, c] of run.entries()) await hooks.beforeChange?.(index + i, c);
            const made = await writeComponentCreates(tx, inner, run, desired);
            run.forEach((c, i) => ids.set(c.address, made[i]!));
            index = end - 1;
            continue;
          }
          await hooks.beforeChange?.(index, change);
          const created = await runChange(tx, inner, change, desired, current.model, ids, secrets);
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
        ...(generated.length > 0 ? { generatedSecrets: generated } : {}),
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
    if (error instanceof OmniglassError && error.code === "STALE_PLAN") await markStale(db, id);
    throw error;
  } finally {
    await releaseEstateLock(db, lock.lockId);
  }
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
