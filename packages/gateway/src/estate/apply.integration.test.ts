import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import type { Actor } from "@omniglass/domain";
import { exportEstate } from "@omniglass/estate";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { unsafeSeedDemoEstate } from "../demo/demo-estate";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { updateComponent } from "../components/update-component";
import { deleteLocation } from "../locations/delete-location";
import { updateLocation } from "../locations/update-location";
import { unsafeRecordNodeHeartbeat } from "../telemetry/freshness";
import { unsafeWriteSamples } from "../telemetry/ingest";
import { unsafeSeedPolledComponents } from "../telemetry/fixtures";
import {
  createTestDatabase,
  createTestPrincipal,
  unsafeSnapshotTables,
  type TestDatabase,
} from "../testing";
import { applyEstatePlan } from "./apply";
import { acquireEstateLock, estateRevision, readEstateLock, releaseEstateLock } from "./lock";
import { approveEstatePlan, createEstatePlan } from "./plans";
import { readEstateModel } from "./read-model";
import { exportEstateFiles, readEstateDrift, readEstateStatus, readManagedBy } from "./state";

const meta = (actor: Actor) => ({
  requestId: "estate-test",
  source: "rest" as const,
  actor: { id: actor.id, kind: actor.kind },
  realActor: { id: actor.id, kind: actor.kind },
  ip: null,
});

describe("estate apply (gateway)", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let alice: Actor; // admin, plans
  let bob: Actor; // admin, approves
  let scoped: Actor; // admin on one building only
  let files: { path: string; content: string }[];

  const ctx = (actor: Actor) => ({ db: handle.db, actor, meta: meta(actor) });
  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const plan = (actor: Actor, content: { path: string; content: string }[]) =>
    createEstatePlan({ ...ctx(actor), input: { files: content } });
  const withExtra = (extra: string) => [
    { path: "estate.yaml", content: `${files[0]!.content}\n${extra}` },
  ];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 6 });
    await unsafeBootstrapOwner({
      db: handle.db,
      meta: { requestId: "estate", source: "cli", actor: null, realActor: null, ip: null },
      username: "admin",
    });
    await unsafeSeedDemoEstate(handle.db);
    const principal = async (name: string, location?: string) =>
      (await loadActor(
        handle.db,
        (
          await createTestPrincipal(database.url, {
            name,
            kind: "human",
            grants: [{ role: "admin", ...(location ? { location } : {}) }],
          })
        ).id,
      ))!;
    alice = await principal("alice");
    bob = await principal("bob");
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    scoped = await principal("scoped", building!.path);
    const exported = await exportEstateFiles(ctx(alice));
    files = exported.files;
  }, 120_000);
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("import → plan shows no changes; applying it adopts everything, audited as one apply", async () => {
    const made = await plan(alice, files);
    expect(made.ok).toBe(true);
    expect(made.changes).toBe(0);
    const artifact = made.plan as { adopt: string[]; changes: unknown[] };
    expect(artifact.changes).toEqual([]);
    expect(artifact.adopt.length).toBeGreaterThan(100);
    const applied = await applyEstatePlan({ ...ctx(alice), id: made.id });
    expect(applied.counts).toMatchObject({
      create: 0,
      update: 0,
      delete: 0,
      adopt: artifact.adopt.length,
    });
    const [managed] = await rows<{ n: number }>(sql`select count(*)::int as n from estate_managed`);
    expect(managed!.n).toBe(artifact.adopt.length);
    const status = await readEstateStatus(ctx(alice));
    expect(status.lastApply?.applyId).toBe(applied.applyId);
    expect(status.lock).toBeNull();
    // Planning the same files again: no changes, nothing to adopt.
    const again = await plan(alice, files);
    expect(again.changes).toBe(0);
    expect((again.plan as { adopt: string[] }).adopt).toEqual([]);
  }, 60_000);

  it("adds a room (location, system, components): the plan lists them with blast radius; apply creates them as one apply", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const [tpl] = await rows<{ t: string }>(
      sql`select name || '@' || version as t from template where name = 'http-json-display' order by version desc limit 1`,
    );
    const room = `${building!.path}.room-new`;
    const made = await plan(
      alice,
      withExtra(`# a new room
`).map((f) => ({
        ...f,
        content: f.content
          .replace(/^locations:\n/m, `locations:\n  ${room}: { type: room, label: New room }\n`)
          .replace(
            /^components:\n/m,
            `components:\n  ${room}.display-1: { template: ${tpl!.t} }\n  ${room}.display-2: { template: ${tpl!.t}, label: Second }\n`,
          )
          .replace(
            /^systems:\n/m,
            `systems:\n  ${room}.av:\n    type: meeting-room\n    roles: { displays: { accepts: [display], quorum: 1, impact: degraded } }\n    members: [{ component: display-1, primary: true, role: displays }, display-2]\n`,
          ),
      })),
    );
    expect(made.ok).toBe(true);
    const changes = (
      made.plan as {
        changes: { address: string; operation: string; blastRadius: { dependents: string[] } }[];
      }
    ).changes;
    expect(changes.map((c) => `${c.operation} ${c.address}`)).toEqual([
      `create location.${room}`,
      `create component.${room}.display-1`,
      `create component.${room}.display-2`,
      `create system.${room}.av`,
    ]);
    // The room's blast radius names what refers to it (its components and system).
    expect(changes[0]!.blastRadius.dependents).toContain(`system.${room}.av`);
    const auditBefore = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log`);
    const applied = await applyEstatePlan({ ...ctx(alice), id: made.id });
    expect(applied.counts).toMatchObject({ create: 4 });
    const [members] = await rows<{ n: number }>(
      sql`select count(*)::int as n from system_member m join system s on s.id = m.system_id where s.path = ${`${room}.av`}`,
    );
    expect(members!.n).toBe(2);
    // Judged once at the end of the apply (the writers' recomputes deferred): every new owner
    // has its health row.
    const [judged] = await rows<{ n: number }>(
      sql`select count(*)::int as n from health h
          where h.component_id in (select id from component where path like ${`${room}.%`})
             or h.system_id = (select id from system where path = ${`${room}.av`})
             or h.location_id = (select id from location where path = ${room})`,
    );
    expect(judged!.n).toBe(4);
    const audited = await rows<{ verb: string; resource: string }>(
      sql`select verb, resource from audit_log order by id offset ${auditBefore[0]!.n}`,
    );
    // One audit row per writer call (location, 2 components, system, role, 2 members) + the apply.
    expect(audited.filter((a) => a.verb === "apply")).toEqual([
      { verb: "apply", resource: "estate-plan" },
    ]);
    expect(audited.length).toBe(8);
    const managedBy = await readManagedBy({
      ...ctx(alice),
      address: `component.${room}.display-1`,
    });
    expect(managedBy.managedBy).toMatchObject({ applyId: applied.applyId, planId: made.id });
    // The state now matches the files: planning them again shows no changes.
    files = (await exportEstateFiles(ctx(alice))).files;
    expect((await plan(alice, files)).changes).toBe(0);
  }, 60_000);

  it("refuses a stale plan naming the change made through the API since its base", async () => {
    const [loc] = await rows<{ path: string }>(
      sql`select path from location where depth = 2 order by path limit 1`,
    );
    const made = await plan(alice, withExtra(""));
    // Adds a label by editing the file text would change nothing; change the state instead.
    await updateLocation({
      ...ctx(bob),
      input: { ref: loc!.path, label: "Edited in the console" },
    });
    const refused = await applyEstatePlan({ ...ctx(alice), id: made.id }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "STALE_PLAN" });
    const fieldErrors = (refused as { fieldErrors: { field: string; message: string }[] })
      .fieldErrors;
    expect(
      fieldErrors.some(
        (f) => f.field.startsWith("location.") && /update .* by bob/.test(f.message),
      ),
    ).toBe(true);
    expect(await readEstateLock(handle.db)).toBeNull();
    const [status] = await rows<{ status: string }>(
      sql`select status from estate_plan where id = ${made.id}`,
    );
    expect(status!.status).toBe("stale");
    // Drift: the edited location shows the field changed outside the files, with a patch.
    const drift = await readEstateDrift(ctx(alice));
    const item = drift.drifted.find((d) => d.address === `location.${loc!.path}`);
    expect(item?.fields).toEqual([
      { path: "label", applied: expect.not.stringMatching("Edited"), now: "Edited in the console" },
    ]);
    expect(drift.patch[0]!.content).toContain("Edited in the console");
    // The next plan says so: an update putting the files' value back.
    const next = await plan(alice, files);
    const change = (next.plan as { changes: { address: string; operation: string }[] }).changes;
    expect(change).toEqual([
      expect.objectContaining({ address: `location.${loc!.path}`, operation: "update" }),
    ]);
    await applyEstatePlan({ ...ctx(alice), id: next.id });
    expect((await readEstateDrift(ctx(alice))).drifted).toEqual([]);
  }, 60_000);

  it("concurrent applies: one wins, the other gets a typed conflict", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const made = await plan(
      alice,
      files.map((f) => ({
        ...f,
        content: f.content.replace(
          /^locations:\n/m,
          `locations:\n  ${building!.path}.race-room: { type: room }\n`,
        ),
      })),
    );
    const results = await Promise.allSettled([
      applyEstatePlan({ ...ctx(alice), id: made.id }),
      applyEstatePlan({ ...ctx(bob), id: made.id }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // The lock held (naming holder and expiry), or the plan applied/stale by the time it looked.
    expect(["CONFLICT", "STALE_PLAN"]).toContain((lost[0]!.reason as { code: string }).code);
    expect(String((lost[0]!.reason as Error).message)).toMatch(/locked by|applied|changed since/);
    expect(await readEstateLock(handle.db)).toBeNull();
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 60_000);

  it("a crashed apply's lease is taken over after its TTL, never before", async () => {
    const crashed = await acquireEstateLock(handle.db, alice, "apply that crashed", 300);
    await expect(acquireEstateLock(handle.db, bob, "next apply")).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await readEstateLock(handle.db)).toBeNull();
    const next = await acquireEstateLock(handle.db, bob, "next apply");
    expect(next.lockId).not.toBe(crashed.lockId);
    // The crashed holder releasing late does not free the new holder's lease.
    await releaseEstateLock(handle.db, crashed.lockId);
    expect((await readEstateLock(handle.db))?.lockId).toBe(next.lockId);
    await releaseEstateLock(handle.db, next.lockId);
  });

  it("a failure midway leaves nothing changed and no lock held", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const made = await plan(
      alice,
      files.map((f) => ({
        ...f,
        content: f.content.replace(
          /^locations:\n/m,
          `locations:\n  ${building!.path}.fail-a: { type: room }\n  ${building!.path}.fail-b: { type: room }\n`,
        ),
      })),
    );
    const snapshot = await unsafeSnapshotTables(handle.db);
    // The second change violates a constraint (a name taken: written behind the apply's back is
    // impossible under its lock, so the hook writes a clashing row in the apply's transaction).
    const failed = await applyEstatePlan({
      ...ctx(alice),
      id: made.id,
      hooks: {
        beforeChange: (index) => {
          if (index === 1) throw new Error("injected failure");
        },
      },
    }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/injected failure/);
    expect(await unsafeSnapshotTables(handle.db)).toEqual(snapshot);
    expect(await readEstateLock(handle.db)).toBeNull();
    // And it applies cleanly afterwards (the plan is still fresh).
    await applyEstatePlan({ ...ctx(alice), id: made.id });
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 60_000);

  it("an API write holding a row the apply changes: the apply is the deadlock victim and answers a typed 409, nothing applied", async () => {
    const [loc] = await rows<{ path: string }>(
      sql`select path from location where depth = 2 order by path desc limit 1`,
    );
    const model = await readEstateModel(handle.db, alice);
    const address = `location.${loc!.path}`;
    const object = model.model.objects[address] as { spec: { label?: string } };
    object.spec.label = "Label from the files";
    const text = exportEstate(model.model)[0]!.text;
    const made = await plan(alice, [{ path: "estate.yaml", content: text }]);
    expect(made.changes).toBe(1);
    const other = connectDatabase({ url: database.url, max: 1 });
    try {
      let applying: Promise<unknown> = Promise.resolve();
      await other.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from location where path = ${loc!.path} for update`);
        applying = applyEstatePlan({ ...ctx(alice), id: made.id }).catch((e: unknown) => e);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.execute(
          sql`update location set label = 'Edited meanwhile' where path = ${loc!.path}`,
        );
      });
      const refused = await applying;
      expect(refused).toMatchObject({ code: "CONFLICT" });
      expect(String((refused as Error).message)).toMatch(/same objects; nothing was applied/);
    } finally {
      await other.close();
    }
    const [now] = await rows<{ label: string }>(
      sql`select label from location where path = ${loc!.path}`,
    );
    expect(now!.label).toBe("Edited meanwhile");
    expect(await readEstateLock(handle.db)).toBeNull();
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 60_000);

  it("an irreversible delete needs an approval by someone other than the planner", async () => {
    const [victim] = await rows<{ path: string; id: string }>(
      sql`select c.path, c.id from component c
          where not exists (select 1 from system_member m where m.component_id = c.id)
          order by path limit 1`,
    );
    let target = victim;
    if (!target) {
      // Every demo component serves a system: drop one member from a system in the files too.
      [target] = await rows<{ path: string; id: string }>(
        sql`select path, id from component order by path limit 1`,
      );
    }
    // History: an alarm on it makes its delete irreversible.
    await handle.db
      .execute(
        sql`insert into alarm (id, rule_id, owner_kind, component_id, instance, severity, lifecycle, opened_at, fired_at, last_transition_at)
      select gen_random_uuid(), r.id, 'component', ${target!.id}, '', 'warning', 'resolved', now(), now(), now()
      from event_rule r limit 1`,
      )
      .catch(() => undefined);
    const model = await readEstateModel(handle.db, alice);
    const address = `component.${target!.path}`;
    const without = { ...model.model.objects };
    delete without[address];
    for (const object of Object.values(without))
      if ("spec" in object && object.kind === "system")
        delete (object.spec as { members: Record<string, unknown> }).members[address];
    const text = exportEstate({ version: 1, objects: without })[0]!.text;
    const made = await plan(alice, [{ path: "estate.yaml", content: text }]);
    const artifact = made.plan as {
      changes: { address: string; operation: string; reversibility: string }[];
      approvalsRequired: { addresses: string[] }[];
    };
    const deletion = artifact.changes.find((c) => c.address === address);
    expect(deletion).toMatchObject({ operation: "delete" });
    // The gateway's part of the blast radius: health verdicts (and open alarms) it touches.
    const radius = (deletion as unknown as { blastRadius: { health: number; alarms: number } })
      .blastRadius;
    expect(radius.health).toBeGreaterThanOrEqual(1);
    expect(radius.alarms).toBe(0);
    if (deletion!.reversibility !== "irreversible")
      return expect.fail("the alarm insert did not give history");
    expect(made.approvalsRequired).toBeGreaterThan(0);
    const unapproved = await applyEstatePlan({ ...ctx(alice), id: made.id }).catch(
      (e: unknown) => e,
    );
    expect(unapproved).toMatchObject({ code: "CONFLICT" });
    expect(String((unapproved as Error).message)).toMatch(/needs an approval/);
    const self = await approveEstatePlan({ ...ctx(alice), id: made.id }).catch((e: unknown) => e);
    expect(self).toMatchObject({ code: "FORBIDDEN" });
    const approved = await approveEstatePlan({
      ...ctx(bob),
      id: made.id,
      comment: "ok, decommissioned",
    });
    expect(approved.status).toBe("approved");
    expect(approved.approvals).toEqual([
      expect.objectContaining({ approver: "bob", comment: "ok, decommissioned" }),
    ]);
    await applyEstatePlan({ ...ctx(alice), id: made.id });
    expect(await rows(sql`select 1 from component where id = ${target!.id}`)).toEqual([]);
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 60_000);

  it("scope: a building admin plans in its read scope and cannot apply outside it (403 before anything is written)", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const seen = await readEstateModel(handle.db, scoped);
    const paths = Object.keys(seen.model.objects).filter(
      (a) => a.startsWith("location.") && !("existing" in seen.model.objects[a]!),
    );
    expect(
      paths.every(
        (a) => a === `location.${building!.path}` || a.startsWith(`location.${building!.path}.`),
      ),
    ).toBe(true);
    // A plan of everything by alice (an unrelated new top-level location) applied by scoped: 403.
    const made = await plan(
      alice,
      files.map((f) => ({
        ...f,
        content: f.content.replace(
          /^locations:\n/m,
          `locations:\n  elsewhere-campus: { type: campus }\n`,
        ),
      })),
    );
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    // scoped cannot even see alice's plan (plans are their planner's, or readers' of everything).
    await expect(applyEstatePlan({ ...ctx(scoped), id: made.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Its own plan of the same files: refused while they declare grants (it reads none:
    // principal:read on its building only, so each would plan as a create).
    const elsewhere = files.map((f) => ({
      ...f,
      content: f.content.replace(
        /^locations:\n/m,
        `locations:\n  elsewhere-campus: { type: campus }\n`,
      ),
    }));
    await expect(plan(scoped, elsewhere)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("principal:read on scope all to plan"),
    });
    // Without the grants: its model is its building, so the rest plans as creates.
    const ungranted = elsewhere.map((f) => ({
      ...f,
      content: f.content.replace(/^grants:\n(?: .*\n)*/m, ""),
    }));
    expect(ungranted.some((f, i) => f.content !== elsewhere[i]!.content)).toBe(true);
    const own = await plan(scoped, ungranted);
    const before = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    await expect(applyEstatePlan({ ...ctx(scoped), id: own.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      before,
    );
    expect(snapshot).toBeDefined();
  }, 60_000);

  /** The files of alice's current model changed by `edit` (objects by address). */
  const filesWith = async (edit: (objects: Record<string, unknown>) => void) => {
    const model = (await readEstateModel(handle.db, alice)).model;
    edit(model.objects as Record<string, unknown>);
    return [{ path: "estate.yaml", content: exportEstate(model)[0]!.text }];
  };
  const auditSince = async (n: number) =>
    rows<{ verb: string; resource: string; resource_id: string }>(
      sql`select verb, resource, resource_id from audit_log order by id offset ${n}`,
    );
  const auditCount = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]!.n;
  const bindingRow = async (kind: string, key: string) =>
    (
      await rows<{ id: string; value: unknown; level: string }>(
        sql`select id, value, level from estate_binding where kind = ${kind} and key = ${key}`,
      )
    )[0];

  it("tags and variables are read into the model and round-trip: import → plan shows no changes", async () => {
    const { model } = await readEstateModel(handle.db, alice);
    const addresses = Object.keys(model.objects);
    // The demo's campus tag and its plain ntp-server variable; its literal `snmp-community`
    // (a secret-named key the files could only hold as a reference) stays outside the files.
    expect(addresses.filter((a) => a.startsWith("tag.")).length).toBeGreaterThan(0);
    expect(addresses.some((a) => /^variable\..*\.ntp-server$/.test(a))).toBe(true);
    expect(addresses.some((a) => a.endsWith(".snmp-community"))).toBe(false);
    const exported = (await exportEstateFiles(ctx(alice))).files;
    expect(exported[0]!.content).toMatch(/tags:/);
    expect(exported[0]!.content).toMatch(/ntp-server/);
    expect((await plan(alice, exported)).changes).toBe(0);
  }, 60_000);

  it("tags and variables: create, update and delete through an apply, each audited as the API does", async () => {
    const [loc] = await rows<{ path: string }>(
      sql`select path from location where depth = 2 order by path limit 1`,
    );
    const [comp] = await rows<{ path: string }>(
      sql`select path from component order by path limit 1`,
    );
    const tag = `tag.location.${loc!.path}.room-class`;
    const platformVar = "variable.platform.poll-interval";
    const componentVar = `variable.component.${comp!.path}.profile`;
    // Create: a tag on a location, a plain variable on the platform and a JSON one on a component.
    const created = await plan(
      alice,
      await filesWith((objects) => {
        objects[tag] = { kind: "tag", spec: { value: "standard" } };
        objects[platformVar] = { kind: "variable", spec: { value: 30 } };
        objects[componentVar] = { kind: "variable", spec: { value: { mode: "eco", level: 2 } } };
      }),
    );
    expect(created.ok).toBe(true);
    expect(created.changes).toBe(3);
    let before = await auditCount();
    const first = await applyEstatePlan({ ...ctx(alice), id: created.id });
    expect(first.counts).toMatchObject({ create: 3 });
    expect(await bindingRow("tag", "room-class")).toMatchObject({
      value: "standard",
      level: "location",
    });
    expect(await bindingRow("variable", "poll-interval")).toMatchObject({
      value: 30,
      level: "platform",
    });
    expect(await bindingRow("variable", "profile")).toMatchObject({
      value: { mode: "eco", level: 2 },
    });
    const madeAudit = await auditSince(before);
    expect(madeAudit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual([
      "apply estate-plan",
      "create tag",
      "create variable",
      "create variable",
    ]);
    const managed = await rows<{ address: string; object_id: string }>(
      sql`select address, object_id from estate_managed where address = any(${sql.raw(`array['${tag}', '${platformVar}']`)})`,
    );
    expect(managed.map((m) => m.address).sort()).toEqual([platformVar, tag].sort());
    expect(managed.find((m) => m.address === tag)!.object_id).toBe(
      (await bindingRow("tag", "room-class"))!.id,
    );
    expect((await plan(alice, (await exportEstateFiles(ctx(alice))).files)).changes).toBe(0);

    // Update: new values in place (same rows, version + 1).
    const tagId = (await bindingRow("tag", "room-class"))!.id;
    const updated = await plan(
      alice,
      await filesWith((objects) => {
        objects[tag] = { kind: "tag", spec: { value: "premium" } };
        objects[platformVar] = { kind: "variable", spec: { value: 60 } };
      }),
    );
    expect(updated.changes).toBe(2);
    before = await auditCount();
    expect((await applyEstatePlan({ ...ctx(alice), id: updated.id })).counts).toMatchObject({
      update: 2,
    });
    expect(await bindingRow("tag", "room-class")).toMatchObject({ id: tagId, value: "premium" });
    expect(await bindingRow("variable", "poll-interval")).toMatchObject({ value: 60 });
    expect((await auditSince(before)).map((a) => `${a.verb} ${a.resource}`).sort()).toEqual([
      "apply estate-plan",
      "update tag",
      "update variable",
    ]);

    // Delete: managed bindings left out of the files are removed (reversible: no approval).
    const deleted = await plan(
      alice,
      await filesWith((objects) => {
        delete objects[tag];
        delete objects[platformVar];
        delete objects[componentVar];
      }),
    );
    expect(deleted.changes).toBe(3);
    before = await auditCount();
    expect((await applyEstatePlan({ ...ctx(alice), id: deleted.id })).counts).toMatchObject({
      delete: 3,
    });
    expect(await bindingRow("tag", "room-class")).toBeUndefined();
    expect(await bindingRow("variable", "poll-interval")).toBeUndefined();
    expect(await bindingRow("variable", "profile")).toBeUndefined();
    expect((await auditSince(before)).map((a) => `${a.verb} ${a.resource}`).sort()).toEqual([
      "apply estate-plan",
      "delete tag",
      "delete variable",
      "delete variable",
    ]);
    expect(
      await rows(
        sql`select 1 from estate_managed where address = ${tag} or address = ${platformVar}`,
      ),
    ).toEqual([]);
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 90_000);

  it("a secret variable whose ${env:…} value the apply request does not carry is refused (400) before anything is written", async () => {
    const made = await plan(
      alice,
      await filesWith((objects) => {
        objects["variable.platform.api-password"] = {
          kind: "variable",
          spec: { secret: { env: "OMNIGLASS_TEST_PASSWORD" } },
        };
        objects["tag.platform.first"] = { kind: "tag", spec: { value: "x" } };
      }),
    );
    expect(made.ok).toBe(true);
    // Nothing of the reference is stored as a value anywhere.
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    await expect(applyEstatePlan({ ...ctx(alice), id: made.id })).rejects.toMatchObject({
      code: "INVALID",
    });
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      snapshot,
    );
    expect(await readEstateLock(handle.db)).toBeNull();
  }, 60_000);

  it("tags and variables outside the applier's write scope (the platform, another building) are refused 403 before any write", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const [other] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path desc limit 1`,
    );
    expect(other!.path).not.toBe(building!.path);
    // Reads everything (so it plans the whole estate), administers one building.
    const local = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "building-admin",
          kind: "human",
          grants: [{ role: "viewer" }, { role: "admin", location: building!.path }],
        })
      ).id,
    ))!;
    const localPlan = async (edit: (objects: Record<string, unknown>) => void) => {
      const model = (await readEstateModel(handle.db, local)).model;
      edit(model.objects as Record<string, unknown>);
      return createEstatePlan({
        ...ctx(local),
        input: { files: [{ path: "estate.yaml", content: exportEstate(model)[0]!.text }] },
      });
    };
    // In its building: allowed (and applied).
    const inside = await localPlan((objects) => {
      objects[`tag.location.${building!.path}.wing`] = { kind: "tag", spec: { value: "north" } };
    });
    expect(inside.plan).toMatchObject({ diagnostics: [] });
    expect(inside.changes).toBe(1);
    await applyEstatePlan({ ...ctx(local), id: inside.id });
    expect(await bindingRow("tag", "wing")).toMatchObject({ value: "north" });
    // The platform (needs scope all) and another building: refused, nothing written.
    for (const address of ["variable.platform.wing", `tag.location.${other!.path}.wing`]) {
      const outside = await localPlan((objects) => {
        objects[address] = {
          kind: address.startsWith("tag.") ? "tag" : "variable",
          spec: { value: "south" },
        };
      });
      expect(outside.ok).toBe(true);
      expect(outside.changes).toBe(1);
      const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
      // Refused by the checks before the apply starts writing (no change is reached).
      let reached = false;
      await expect(
        applyEstatePlan({
          ...ctx(local),
          id: outside.id,
          hooks: { beforeChange: () => void (reached = true) },
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(reached).toBe(false);
      expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
        snapshot,
      );
      expect(await readEstateLock(handle.db)).toBeNull();
    }
    // Clean up through the files: the tag is managed, leaving it out deletes it.
    const cleaned = await plan(
      alice,
      await filesWith((objects) => {
        delete objects[`tag.location.${building!.path}.wing`];
      }),
    );
    expect(cleaned.changes).toBe(1);
    await applyEstatePlan({ ...ctx(alice), id: cleaned.id });
    expect(await bindingRow("tag", "wing")).toBeUndefined();
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 90_000);

  it("a failure midway in the tags and variables leaves nothing changed and no lock held", async () => {
    const made = await plan(
      alice,
      await filesWith((objects) => {
        objects["tag.platform.fail-a"] = { kind: "tag", spec: { value: "a" } };
        objects["variable.platform.fail-b"] = { kind: "variable", spec: { value: "b" } };
      }),
    );
    expect(made.changes).toBe(2);
    const snapshot = await unsafeSnapshotTables(handle.db);
    const failed = await applyEstatePlan({
      ...ctx(alice),
      id: made.id,
      hooks: {
        beforeChange: (index) => {
          if (index === 1) throw new Error("injected failure");
        },
      },
    }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/injected failure/);
    expect(await unsafeSnapshotTables(handle.db)).toEqual(snapshot);
    expect(await readEstateLock(handle.db)).toBeNull();
    await applyEstatePlan({ ...ctx(alice), id: made.id });
    expect(await bindingRow("tag", "fail-a")).toMatchObject({ value: "a", level: "platform" });
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 60_000);

  it("custom rules: create, update, replace (owner kind) and delete through an apply, audited; a building admin is refused 403 before any write", async () => {
    const [loc] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const address = "rule.estate-hot";
    const base = {
      ownerKind: "component",
      severity: "warning",
      fire: 'signals["temperature"] > 70',
      sustainSeconds: 60,
      scope: `location.${loc!.path}`,
      enabled: true,
      flapWindowSeconds: 600,
      flapThreshold: 4,
    };
    const ruleRow = async () =>
      (
        await rows<{ id: string; severity: string; owner_kind: string; label: string | null }>(
          sql`select id, severity, owner_kind, label from event_rule where name = 'estate-hot'`,
        )
      )[0];
    const step = async (
      edit: (objects: Record<string, unknown>) => void,
      counts: Record<string, number>,
      audit: string[],
      actor = alice,
    ) => {
      const made = await createEstatePlan({
        ...ctx(actor),
        input: { files: await filesWith(edit) },
      });
      expect(made.plan).toMatchObject({ diagnostics: [] });
      const before = await auditCount();
      if ((made.plan as { approvalsRequired: unknown[] }).approvalsRequired.length > 0)
        await approveEstatePlan({ ...ctx(bob), id: made.id });
      expect((await applyEstatePlan({ ...ctx(actor), id: made.id })).counts).toMatchObject(counts);
      expect((await auditSince(before)).map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
        [...audit, "apply estate-plan"].sort(),
      );
    };
    await step(
      (objects) => {
        objects[address] = { kind: "rule", spec: base };
      },
      { create: 1 },
      ["create rule"],
    );
    expect(await ruleRow()).toMatchObject({ severity: "warning", owner_kind: "component" });
    const id = (await ruleRow())!.id;
    expect((await plan(alice, (await exportEstateFiles(ctx(alice))).files)).changes).toBe(0);
    await step(
      (objects) => {
        objects[address] = { kind: "rule", spec: { ...base, severity: "critical", label: "Hot" } };
      },
      { update: 1 },
      ["update rule"],
    );
    expect(await ruleRow()).toMatchObject({ id, severity: "critical", label: "Hot" });
    // A building admin (rules are a registry: scope all) is refused before any write.
    const local = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "rule-building-admin",
          kind: "human",
          grants: [{ role: "viewer" }, { role: "admin", location: loc!.path }],
        })
      ).id,
    ))!;
    const localModel = (await readEstateModel(handle.db, local)).model;
    (localModel.objects as Record<string, unknown>)["rule.estate-other"] = {
      kind: "rule",
      spec: { ...base, severity: "info" },
    };
    const made = await createEstatePlan({
      ...ctx(local),
      input: { files: [{ path: "estate.yaml", content: exportEstate(localModel)[0]!.text }] },
    });
    expect(made.ok).toBe(true);
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    expect(made.changes).toBe(1);
    let reached = false;
    await expect(
      applyEstatePlan({
        ...ctx(local),
        id: made.id,
        hooks: { beforeChange: () => void (reached = true) },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(reached).toBe(false);
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      snapshot,
    );
    // Replace: the owner kind cannot change in place (a system rule reads roles and members).
    await step(
      (objects) => {
        objects[address] = {
          kind: "rule",
          spec: {
            ...base,
            ownerKind: "system",
            fire: 'verdict == "down"',
            sustainSeconds: 0,
          },
        };
      },
      { replace: 1 },
      ["delete rule", "create rule"],
    );
    expect(await ruleRow()).toMatchObject({ owner_kind: "system" });
    expect((await ruleRow())!.id).not.toBe(id);
    await step(
      (objects) => {
        delete objects[address];
      },
      { delete: 1 },
      ["delete rule"],
    );
    expect(await ruleRow()).toBeUndefined();
    expect(await rows(sql`select 1 from estate_managed where address = ${address}`)).toEqual([]);
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 90_000);

  it("a failure midway in the rules leaves nothing changed and no lock held", async () => {
    const made = await plan(
      alice,
      await filesWith((objects) => {
        for (const name of ["estate-fail-a", "estate-fail-b"])
          objects[`rule.${name}`] = {
            kind: "rule",
            spec: {
              ownerKind: "component",
              severity: "info",
              fire: 'signals["x"] > 1',
              sustainSeconds: 0,
              scope: "all",
              enabled: true,
              flapWindowSeconds: 600,
              flapThreshold: 4,
            },
          };
      }),
    );
    expect(made.changes).toBe(2);
    const snapshot = await unsafeSnapshotTables(handle.db);
    const failed = await applyEstatePlan({
      ...ctx(alice),
      id: made.id,
      hooks: {
        beforeChange: (index) => {
          if (index === 1) throw new Error("injected failure");
        },
      },
    }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/injected failure/);
    expect(await unsafeSnapshotTables(handle.db)).toEqual(snapshot);
    expect(await readEstateLock(handle.db)).toBeNull();
    await applyEstatePlan({ ...ctx(alice), id: made.id });
    expect(
      await rows(sql`select name from event_rule where name like 'estate-fail-%' order by name`),
    ).toEqual([{ name: "estate-fail-a" }, { name: "estate-fail-b" }]);
    files = (await exportEstateFiles(ctx(alice))).files;
    expect((await plan(alice, files)).changes).toBe(0);
  }, 60_000);

  it("maintenance windows: create, update and delete through an apply, audited; another building's window is refused 403 before any write", async () => {
    const [building] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 1`,
    );
    const [other] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path desc limit 1`,
    );
    const address = "window.estate-patching";
    const spec = {
      scope: `location.${building!.path}`,
      dtstart: "2026-03-07T02:30",
      timeZone: "America/New_York",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
      enabled: true,
    };
    const windowRow = async () =>
      (
        await rows<{ id: string; duration: string; label: string | null }>(
          sql`select id, duration, label from maintenance_window where name = 'estate-patching'`,
        )
      )[0];
    const step = async (
      edit: (objects: Record<string, unknown>) => void,
      counts: Record<string, number>,
      audit: string[],
    ) => {
      const made = await plan(alice, await filesWith(edit));
      expect(made.plan).toMatchObject({ diagnostics: [] });
      const before = await auditCount();
      expect((await applyEstatePlan({ ...ctx(alice), id: made.id })).counts).toMatchObject(counts);
      expect((await auditSince(before)).map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
        [...audit, "apply estate-plan"].sort(),
      );
    };
    await step(
      (objects) => {
        objects[address] = { kind: "window", spec };
      },
      { create: 1 },
      ["create maintenance-window"],
    );
    const id = (await windowRow())!.id;
    expect((await plan(alice, (await exportEstateFiles(ctx(alice))).files)).changes).toBe(0);
    await step(
      (objects) => {
        objects[address] = { kind: "window", spec: { ...spec, duration: "3h", label: "Patching" } };
      },
      { update: 1 },
      ["update maintenance-window"],
    );
    expect(await windowRow()).toMatchObject({ id, duration: "3h", label: "Patching" });
    // A building admin (reads everything) and a window on another building: refused first.
    const local = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "window-building-admin",
          kind: "human",
          grants: [{ role: "viewer" }, { role: "admin", location: building!.path }],
        })
      ).id,
    ))!;
    const localModel = (await readEstateModel(handle.db, local)).model;
    (localModel.objects as Record<string, unknown>)["window.estate-elsewhere"] = {
      kind: "window",
      spec: { ...spec, scope: `location.${other!.path}` },
    };
    const made = await createEstatePlan({
      ...ctx(local),
      input: { files: [{ path: "estate.yaml", content: exportEstate(localModel)[0]!.text }] },
    });
    expect(made.changes).toBe(1);
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    let reached = false;
    await expect(
      applyEstatePlan({
        ...ctx(local),
        id: made.id,
        hooks: { beforeChange: () => void (reached = true) },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(reached).toBe(false);
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      snapshot,
    );
    await step(
      (objects) => {
        delete objects[address];
      },
      { delete: 1 },
      ["delete maintenance-window"],
    );
    expect(await windowRow()).toBeUndefined();
    files = (await exportEstateFiles(ctx(alice))).files;
  }, 90_000);

  it("an API edit of a managed object is allowed and shows as drift; ingest and heartbeats write no change log", async () => {
    const [c] = await rows<{ path: string; version: number }>(
      sql`select path, version from component order by path limit 1`,
    );
    await updateComponent({ ...ctx(bob), input: { ref: c!.path, serial: "SN-DRIFT" } });
    const drift = await readEstateDrift(ctx(alice));
    expect(drift.drifted).toContainEqual(
      expect.objectContaining({
        address: `component.${c!.path}`,
        fields: [{ path: "serial", applied: expect.not.stringMatching("DRIFT"), now: "SN-DRIFT" }],
      }),
    );
    // Deleted through the API: drift says it is gone.
    const [failA] = await rows<{ path: string }>(
      sql`select path from location where path like '%.fail-a'`,
    );
    await deleteLocation({ ...ctx(bob), ref: failA!.path });
    expect((await readEstateDrift(ctx(alice))).drifted).toContainEqual({
      address: `location.${failA!.path}`,
      kind: "location",
      status: "deleted",
      fields: [],
    });
    // The data plane: samples and heartbeats add no estate_change row.
    const polled = await unsafeSeedPolledComponents(handle.db, {
      name: "ingest-probe",
      components: 2,
    });
    const before = await estateRevision(handle.db);
    const now = Date.now();
    await unsafeWriteSamples(handle.db, {
      sourceId: polled.nodeId,
      provenance: "observed",
      samples: polled.componentIds.map((id) => ({
        ownerKind: "component" as const,
        ownerId: id,
        signal: "cpu-load",
        instance: "",
        ts: now,
        value: 12,
        expectedIntervalMs: 60_000,
      })),
    });
    await unsafeRecordNodeHeartbeat(handle.db, {
      nodeId: polled.nodeId,
      beatAt: new Date(now).toISOString(),
    } as Parameters<typeof unsafeRecordNodeHeartbeat>[1]);
    const after = await estateRevision(handle.db);
    expect(after).toEqual(before);
    const [seen] = await rows<{ last_seen_at: Date | null }>(
      sql`select last_seen_at from node where id = ${polled.nodeId}`,
    );
    expect(seen!.last_seen_at).not.toBeNull();
    // The guard is the WHEN clause: without it (in this test's own database) a heartbeat logs.
    await handle.db.execute(sql`drop trigger node_estate_change_update on node`);
    await handle.db.execute(
      sql`create trigger node_estate_change_update after update on node for each row execute function estate_log_change('id')`,
    );
    await unsafeRecordNodeHeartbeat(handle.db, {
      nodeId: polled.nodeId,
      beatAt: new Date(now + 1_000).toISOString(),
    } as Parameters<typeof unsafeRecordNodeHeartbeat>[1]);
    expect((await estateRevision(handle.db)).count).toBe(after.count + 1n);
  }, 60_000);

  it("a building admin plans its own subtree: the parent it cannot read is an existing stub; import → no changes, a new room applies, a change outside is 403 before any write", async () => {
    const [building, sibling] = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path limit 2`,
    );
    const parent = building!.path.slice(0, building!.path.lastIndexOf("."));
    const hq = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "hq-admin",
          kind: "human",
          grants: [{ role: "admin", location: building!.path }],
        })
      ).id,
    ))!;
    // The parent is in the model as its address only: no fields, no state (never managed).
    const seen = await readEstateModel(handle.db, hq, { subtree: building!.path });
    expect(seen.model.objects[`location.${parent}`]).toEqual({ kind: "location", existing: true });
    expect(seen.ids.has(`location.${parent}`)).toBe(false);
    expect(seen.model.objects[`location.${sibling!.path}`]).toBeUndefined();
    // The stub is no subtree to export: 404, as for any location outside the read scope.
    await expect(exportEstateFiles({ ...ctx(hq), subtree: parent })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const exported = await exportEstateFiles({ ...ctx(hq), subtree: building!.path });
    const text = exported.files[0]!.content;
    expect(text).toMatch(
      new RegExp(`^  ${parent.replace(/[.-]/g, "\\$&")}:\\s*\\{?\\s*existing: true`, "m"),
    );
    const subtreePlan = (content: string) =>
      createEstatePlan({
        ...ctx(hq),
        input: { files: [{ path: "estate.yaml", content }], subtree: building!.path },
      });
    const imported = await subtreePlan(text);
    expect((imported.plan as { diagnostics: unknown[] }).diagnostics).toEqual([]);
    expect(imported.ok).toBe(true);
    expect(imported.changes).toBe(0);

    // A new room under its building: planned and applied as one create.
    const room = `${building!.path}.hq-admin-room`;
    const grown = await subtreePlan(
      text.replace(/^locations:\n/m, `locations:\n  ${room}: { type: room }\n`),
    );
    expect(grown.ok).toBe(true);
    expect((grown.plan as { changes: { address: string; operation: string }[] }).changes).toEqual([
      expect.objectContaining({ address: `location.${room}`, operation: "create" }),
    ]);
    const applied = await applyEstatePlan({ ...ctx(hq), id: grown.id });
    expect(applied.counts).toMatchObject({ create: 1, update: 0, delete: 0 });
    expect(await rows(sql`select 1 from location where path = ${room}`)).toHaveLength(1);
    const after = await exportEstateFiles({ ...ctx(hq), subtree: building!.path });
    expect((await subtreePlan(after.files[0]!.content)).changes).toBe(0);

    // Outside its scope: a sibling building under the parent, or the parent declared fully,
    // plan (the stub resolves the parent) but are refused 403 before anything is written.
    for (const outside of [
      after.files[0]!.content.replace(
        /^locations:\n/m,
        `locations:\n  ${parent}.hq-admin-annex: { type: building }\n`,
      ),
      after.files[0]!.content.replace(
        new RegExp(`^  ${parent.replace(/[.-]/g, "\\$&")}:.*\\n(    existing: true\\n)?`, "m"),
        `  ${parent}: { type: campus, label: Renamed }\n`,
      ),
    ]) {
      const made = await subtreePlan(outside);
      expect(made.ok).toBe(true);
      expect(made.changes).toBe(1);
      const before = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
      await expect(applyEstatePlan({ ...ctx(hq), id: made.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
        before,
      );
    }
  }, 60_000);
});
