import { sql } from "drizzle-orm";
import type {
  CreateEstatePlanInput,
  EstateFileInput,
  EstatePlanDetail,
  EstatePlanResource,
  EstateValidation,
  ListEstatePlansInput,
} from "@omniglass/contracts";
import {
  decodeCursor,
  encodeCursor,
  locationScope,
  OmniglassError,
  type Actor,
} from "@omniglass/domain";
import {
  digestEstate,
  loadEstate,
  planEstate,
  readerOf,
  renderPlan,
  type EstateFile,
  type EstatePlan,
  type LoadedEstate,
} from "@omniglass/estate";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { authorize, type GatewayContext } from "../kit";
import type { Page } from "../list";
import { estateRevision } from "./lock";
import { readEstateModel } from "./read-model";
import { assertGrantsReadable } from "./read-model-grants";

type Db = Database | Transaction;

const ENTRY = "estate.yaml";

/** The files as the estate loader reads them; the entry is `estate.yaml`, else the first. */
export function loadEstateFiles(files: readonly EstateFileInput[]): LoadedEstate {
  const list: EstateFile[] = files.map((f) => ({ path: f.path, text: f.content }));
  const entry = list.some((f) => f.path === ENTRY || f.path === `./${ENTRY}`)
    ? ENTRY
    : list[0]!.path;
  return loadEstate(entry, readerOf(list));
}

/** Validate: the files alone, no state read. */
export function validateEstate(files: readonly EstateFileInput[]): EstateValidation {
  const loaded = loadEstateFiles(files);
  return {
    ok: loaded.ok,
    desiredDigest: digestEstate(loaded.files),
    objects: Object.keys(loaded.model.objects).length,
    diagnostics: loaded.diagnostics,
  };
}

/** Whether the actor reads estate state everywhere (sees every plan, not only its own). */
const readsEverywhere = (actor: Actor) => locationScope(actor, "estate:read").kind === "all";

export interface PlanRow {
  id: string;
  planner_id: string;
  planner: string;
  created_at: Date | string;
  desired_digest: string;
  base_revision: string;
  base_count: string;
  status: EstatePlanResource["status"];
  subtree: string | null;
  summary: string;
  ok: boolean;
  changes: number;
  approvals_required: number;
  approvals: { approver: string; at: string; comment: string | null }[];
}

const PLAN_COLUMNS = sql`p.id, p.planner_id, pr.name as planner, p.created_at, p.desired_digest,
  p.base_revision::text as base_revision, p.base_count::text as base_count, p.status, p.subtree,
  p.summary, (p.plan->>'ok')::boolean as ok, jsonb_array_length(p.plan->'changes') as changes,
  coalesce((select sum(jsonb_array_length(a->'addresses')) from jsonb_array_elements(p.plan->'approvalsRequired') a), 0)::int as approvals_required,
  coalesce((select jsonb_agg(jsonb_build_object('approver', ap.name, 'at', to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'comment', x.comment) order by x.at)
    from estate_approval x join principal ap on ap.id = x.approver_id where x.plan_id = p.id), '[]') as approvals`;

function toResource(row: PlanRow, revision: bigint, count: bigint): EstatePlanResource {
  // A pending or approved plan whose base is no longer the state is stale (shown so, refused).
  const fresh = BigInt(row.base_revision) === revision && BigInt(row.base_count) === count;
  const status =
    (row.status === "pending" || row.status === "approved") && !fresh ? "stale" : row.status;
  return {
    id: row.id,
    status,
    planner: row.planner,
    createdAt: new Date(row.created_at).toISOString(),
    desiredDigest: row.desired_digest,
    baseRevision: row.base_revision,
    subtree: row.subtree,
    ok: row.ok,
    changes: row.changes,
    approvalsRequired: row.approvals_required,
    approvals: row.approvals,
    summary: row.summary,
  };
}

/**
 * Plan: validate, read the state in the caller's read scope (the revision and the model from
 * one snapshot), plan, and store the plan. The same files against the same state give the same
 * plan id: planning again returns the stored plan.
 */
export async function createEstatePlan({
  db,
  actor,
  meta,
  input,
}: GatewayContext & { input: CreateEstatePlanInput }): Promise<EstatePlanDetail> {
  const loaded = loadEstateFiles(input.files);
  assertGrantsReadable(actor, "plan", loaded.model);
  const subtree = input.subtree?.replace(/^location\./, "");
  // The revision and the model from one snapshot: the plan's base is what it was made against.
  const { plan, count } = await db.transaction(
    async (tx) => {
      const { revision, count } = await estateRevision(tx);
      const current = await readEstateModel(tx, actor, subtree ? { subtree } : {});
      const made = planEstate(loaded, current.model, {
        baseRevision: revision.toString(),
        planner: actor.name,
      });
      await addStateImpact(tx, made, current.ids);
      return { plan: made, count };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  await db.transaction(async (tx) => {
    const inserted = await tx.execute(sql`
      insert into estate_plan (id, planner_id, desired_digest, base_revision, base_count, plan,
        desired, summary, status, subtree, created_at)
      values (${plan.planId}, ${actor.id}, ${plan.desiredDigest}, ${plan.baseRevision}::bigint,
        ${count.toString()}::bigint, ${JSON.stringify(plan)}::jsonb,
        ${JSON.stringify(loaded.model)}::jsonb, ${renderPlan(plan)}, 'pending', ${subtree ?? null},
        -- Millisecond precision, like every timestamp on the wire: page cursors compare exactly.
        date_trunc('milliseconds', now()))
      on conflict (id) do nothing returning id`);
    if (inserted.rows.length > 0)
      await writeAudit(tx, meta, {
        verb: "plan",
        resource: "estate-plan",
        resourceId: plan.planId,
        after: { planId: plan.planId, baseRevision: plan.baseRevision, summary: plan.summary },
      });
  });
  return getEstatePlan({ db, actor, meta, id: plan.planId });
}

/**
 * The blast radius's database part (the pure plan leaves it to the gateway): per change, the
 * open alarms and the health verdicts on the object and its listed dependents that exist in the
 * state — one statement for the whole plan. Not part of the plan id (the same files at the same
 * revision have the same id whatever alarms are open).
 */
async function addStateImpact(tx: Db, plan: EstatePlan, ids: Map<string, string>) {
  const wanted = new Set<string>();
  for (const change of plan.changes)
    for (const address of [change.address, ...change.blastRadius.dependents]) {
      const id = ids.get(address);
      if (id) wanted.add(id);
    }
  if (wanted.size === 0) return;
  const result = await tx.execute(sql`
    with ids as (select value::uuid as id from jsonb_array_elements_text(${JSON.stringify([...wanted])}::jsonb))
    select ids.id,
      (select count(*)::int from alarm a where a.lifecycle = 'open'
        and coalesce(a.component_id, a.system_id, a.location_id, a.node_id) = ids.id) as alarms,
      (select count(*)::int from health h where h.owner_id = ids.id) as health
    from ids`);
  const byId = new Map(
    (result.rows as { id: string; alarms: number; health: number }[]).map((r) => [r.id, r]),
  );
  for (const change of plan.changes) {
    let alarms = 0;
    let health = 0;
    for (const address of [change.address, ...change.blastRadius.dependents]) {
      const found = byId.get(ids.get(address) ?? "");
      alarms += found?.alarms ?? 0;
      health += found?.health ?? 0;
    }
    change.blastRadius.alarms = alarms;
    change.blastRadius.health = health;
  }
}

/** Plans the caller may see: its own, or every plan with `estate:read` on scope all. */
function visible(actor: Actor) {
  return readsEverywhere(actor) ? sql`true` : sql`p.planner_id = ${actor.id}`;
}

export async function findEstatePlanRow(db: Db, actor: Actor, id: string): Promise<PlanRow> {
  const result = await db.execute(sql`select ${PLAN_COLUMNS} from estate_plan p
    join principal pr on pr.id = p.planner_id where p.id = ${id} and ${visible(actor)}`);
  const row = result.rows[0] as PlanRow | undefined;
  if (!row) throw new OmniglassError("NOT_FOUND", "No plan matches that id.");
  return row;
}

export async function getEstatePlan({
  db,
  actor,
  id,
}: GatewayContext & { id: string }): Promise<EstatePlanDetail> {
  const row = await findEstatePlanRow(db, actor, id);
  const [{ revision, count }, artifact] = await Promise.all([
    estateRevision(db),
    db.execute(sql`select plan from estate_plan where id = ${id}`),
  ]);
  return {
    ...toResource(row, revision, count),
    plan: (artifact.rows[0] as { plan: EstatePlan }).plan as unknown as Record<string, unknown>,
  };
}

/** Plans newest first (keyset on created_at, id). */
export async function findEstatePlans({
  db,
  actor,
  input,
}: GatewayContext & { input: ListEstatePlansInput }): Promise<Page<EstatePlanResource>> {
  const cursor = input.page_token ? decodeCursor(input.page_token, 2) : null;
  const after = cursor
    ? sql`and (p.created_at, p.id) < (${String(cursor[0])}::timestamptz, ${String(cursor[1])})`
    : sql``;
  const status = input.status ? sql`and p.status = ${input.status}` : sql``;
  const [result, { revision, count }] = await Promise.all([
    db.execute(sql`select ${PLAN_COLUMNS} from estate_plan p
      join principal pr on pr.id = p.planner_id
      where ${visible(actor)} ${status} ${after}
      order by p.created_at desc, p.id desc limit ${input.page_size + 1}`),
    estateRevision(db),
  ]);
  const rows = result.rows as unknown as PlanRow[];
  const more = rows.length > input.page_size;
  const page = more ? rows.slice(0, input.page_size) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toResource(r, revision, count)),
    nextPageToken:
      more && last ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
  };
}

/**
 * Approve a plan (`estate:update` on scope all): someone other than its planner, while it is
 * pending (an applied, discarded or stale plan is 409). Audited.
 */
export async function approveEstatePlan({
  db,
  actor,
  meta,
  id,
  comment,
}: GatewayContext & { id: string; comment?: string }): Promise<EstatePlanDetail> {
  authorize(actor, [{ capability: "estate:update", everywhere: true }]);
  await db.transaction(async (tx) => {
    const row = await findEstatePlanRow(tx, actor, id);
    if (row.planner_id === actor.id)
      throw new OmniglassError(
        "FORBIDDEN",
        "A plan is approved by someone other than its planner; ask another approver.",
      );
    const { revision, count } = await estateRevision(tx);
    const plan = toResource(row, revision, count);
    if (plan.status !== "pending" && plan.status !== "approved")
      throw new OmniglassError("CONFLICT", `The plan is ${plan.status}; plan again.`, {
        fieldErrors: [{ field: "id", message: `plan is ${plan.status}` }],
      });
    const inserted =
      await tx.execute(sql`insert into estate_approval (id, plan_id, approver_id, comment)
      values (${uuidv7()}, ${id}, ${actor.id}, ${comment ?? null})
      on conflict (plan_id, approver_id) do nothing returning id`);
    // A repeated approval by the same approver changes nothing: no second audit row.
    if (inserted.rows.length === 0) return;
    await tx.execute(sql`update estate_plan set status = 'approved' where id = ${id}`);
    await writeAudit(tx, meta, {
      verb: "approve",
      resource: "estate-plan",
      resourceId: id,
      after: { planId: id, comment: comment ?? null },
    });
  });
  return getEstatePlan({ db, actor, meta, id });
}
