import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import type { Actor } from "@omniglass/domain";
import { exportEstate, type EstateModel } from "@omniglass/estate";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { unsafeSeedDemoEstate } from "../demo/demo-estate";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { newSecretKeyBase64, openSecret, parseSecretKey } from "../secrets";
import {
  createTestDatabase,
  createTestPrincipal,
  unsafeSnapshotTables,
  type TestDatabase,
} from "../testing";
import { applyEstatePlan } from "./apply";
import { readEstateLock } from "./lock";
import { approveEstatePlan, createEstatePlan } from "./plans";
import { readEstateModel } from "./read-model";
import { exportEstateFiles, readEstateDrift } from "./state";

/*
 * Webhook endpoints, action rules, grants and secret variables through an apply (decision
 * 0013): created, changed and deleted through the API's writers, round-trip exact, refused
 * before any write without the capability or the delegation, and no secret value in the plan,
 * the audit log or anything else the database keeps in clear.
 */

const meta = (actor: Actor) => ({
  requestId: "estate-act-test",
  source: "rest" as const,
  actor: { id: actor.id, kind: actor.kind },
  realActor: { id: actor.id, kind: actor.kind },
  ip: null,
});

const b64 = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const PAGER_SECRET = `whsec_${b64(7)}`;
const PAGER_SECRET_2 = `whsec_${b64(9)}`;
const VARIABLE_SECRET = "s3cr3t-community-value-4242";
const VARIABLE_SECRET_2 = "an0ther-community-value-9191";

describe("estate apply: endpoints, action rules, grants, secret variables", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let alice: Actor; // admin on scope all: plans and applies
  let bob: Actor; // admin: approves
  let building: string;
  let other: string;
  const secretKey = parseSecretKey(newSecretKeyBase64());

  const ctx = (actor: Actor) => ({ db: handle.db, actor, meta: meta(actor) });
  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const auditCount = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from audit_log`))[0]!.n;
  const auditSince = async (n: number) =>
    rows<{ verb: string; resource: string; before: unknown; after: unknown }>(
      sql`select verb, resource, before, after from audit_log order by id offset ${n}`,
    );
  const filesWith = async (actor: Actor, edit: (objects: Record<string, unknown>) => void) => {
    const model: EstateModel = (await readEstateModel(handle.db, actor)).model;
    edit(model.objects as Record<string, unknown>);
    return [{ path: "estate.yaml", content: exportEstate(model)[0]!.text }];
  };
  const plan = (actor: Actor, files: { path: string; content: string }[]) =>
    createEstatePlan({ ...ctx(actor), input: { files } });
  /** Plans the edit, approves when needed, applies with the secrets; answers the apply and its audit rows. */
  const step = async (
    edit: (objects: Record<string, unknown>) => void,
    secrets: Record<string, string> = {},
  ) => {
    const made = await plan(alice, await filesWith(alice, edit));
    expect(made.plan).toMatchObject({ diagnostics: [] });
    if ((made.plan as { approvalsRequired: unknown[] }).approvalsRequired.length > 0)
      await approveEstatePlan({ ...ctx(bob), id: made.id });
    const before = await auditCount();
    const applied = await applyEstatePlan({
      ...ctx(alice),
      id: made.id,
      secrets,
      secretKey,
      allowLoopback: true,
    });
    return { made, applied, audit: await auditSince(before) };
  };
  const roundTrip = async () => {
    const again = await plan(alice, (await exportEstateFiles(ctx(alice))).files);
    expect((again.plan as { changes: { address: string }[] }).changes).toEqual([]);
  };
  /** Everything the database holds, as text: a secret value must appear nowhere in it. */
  const everything = async () => {
    const tables = await rows<{ name: string }>(
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    let text = "";
    for (const { name } of tables) {
      const [dumped] = await rows<{ t: string | null }>(
        sql`select string_agg(x::text, '|') as t from ${sql.identifier(name)} x`,
      );
      text += dumped?.t ?? "";
    }
    return text;
  };
  const scopedActor = async (
    name: string,
    grants: Parameters<typeof createTestPrincipal>[1]["grants"],
  ) =>
    (await loadActor(
      handle.db,
      (await createTestPrincipal(database.url, { name, kind: "human", grants })).id,
    ))!;

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
    alice = await scopedActor("alice", [{ role: "admin" }]);
    bob = await scopedActor("bob", [{ role: "admin" }]);
    const buildings = await rows<{ path: string }>(
      sql`select path from location where depth = 1 order by path`,
    );
    building = buildings[0]!.path;
    other = buildings[buildings.length - 1]!.path;
    expect(other).not.toBe(building);
    // Start from an applied import: everything managed, so later plans show only their edits.
    const imported = await plan(alice, (await exportEstateFiles(ctx(alice))).files);
    expect(imported.changes).toBe(0);
    await applyEstatePlan({ ...ctx(alice), id: imported.id, secretKey });
  }, 120_000);
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("endpoints and action rules: create (a generated secret answered once; a referenced one used), round-trip, update and rotate, delete — audited, no secret in plan, audit or state", async () => {
    const endpoint = (over: Record<string, unknown> = {}) => ({
      kind: "endpoint",
      spec: { url: "http://127.0.0.1:9/hook", enabled: true, ...over },
    });
    const created = await step(
      (objects) => {
        objects["endpoint.estate-generated"] = endpoint({ location: `location.${building}` });
        objects["endpoint.estate-pager"] = endpoint({
          label: "Pager",
          secret: { env: "ESTATE_PAGER_SECRET" },
        });
        objects["action-rule.estate-page"] = {
          kind: "action-rule",
          spec: {
            enabled: true,
            scope: `location.${building}`,
            matchers: { severities: ["critical"] },
            endpoints: ["endpoint.estate-generated", "endpoint.estate-pager"],
          },
        };
      },
      { ESTATE_PAGER_SECRET: PAGER_SECRET },
    );
    expect(created.applied.counts).toMatchObject({ create: 3 });
    expect(created.audit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
      [
        "apply estate-plan",
        "create action_rule",
        "create webhook_endpoint",
        "create webhook_endpoint",
      ].sort(),
    );
    // The generated secret is answered once; the referenced one is what the endpoint signs with.
    expect(created.applied.generatedSecrets).toEqual([
      { address: "endpoint.estate-generated", secret: expect.stringMatching(/^whsec_/) },
    ]);
    const generated = created.applied.generatedSecrets![0]!.secret;
    const sealed = async (name: string) => {
      const [row] = await rows<{ id: string; secret_ciphertext: string }>(
        sql`select id, secret_ciphertext from webhook_endpoint where name = ${name}`,
      );
      return openSecret(secretKey, row!.secret_ciphertext, row!.id);
    };
    expect(await sealed("estate-pager")).toBe(PAGER_SECRET);
    expect(await sealed("estate-generated")).toBe(generated);
    const [rule] = await rows<{ endpoint_ids: string[]; matchers: unknown }>(
      sql`select endpoint_ids::text[] as endpoint_ids, matchers from action_rule where name = 'estate-page'`,
    );
    expect(rule!.endpoint_ids).toHaveLength(2);
    expect(rule!.matchers).toEqual({ severities: ["critical"] });
    // The plan holds the reference, never a value; nothing in the database holds one in clear.
    const planJson = JSON.stringify(created.made.plan);
    expect(planJson).toContain("ESTATE_PAGER_SECRET");
    let dump = await everything();
    for (const secret of [PAGER_SECRET, generated]) {
      expect(planJson).not.toContain(secret);
      expect(JSON.stringify(created.audit)).not.toContain(secret);
      expect(dump).not.toContain(secret);
    }
    // Import writes the reference back (from the managed set), not a value: no changes.
    const exported = (await exportEstateFiles(ctx(alice))).files.map((f) => f.content).join("\n");
    expect(exported).toContain("${env:ESTATE_PAGER_SECRET}");
    expect(exported).not.toContain(PAGER_SECRET);
    await roundTrip();
    expect((await readEstateDrift(ctx(alice))).drifted).toEqual([]);

    // Update: URL, enabled, label cleared; a new reference rotates to its value; the rule changes.
    const updated = await step(
      (objects) => {
        objects["endpoint.estate-pager"] = endpoint({
          url: "http://127.0.0.1:9/hook-2",
          enabled: false,
          secret: { env: "ESTATE_PAGER_SECRET_2" },
        });
        objects["action-rule.estate-page"] = {
          kind: "action-rule",
          spec: {
            enabled: false,
            scope: "all",
            matchers: { severities: ["critical", "warning"], acknowledged: false },
            endpoints: ["endpoint.estate-pager"],
          },
        };
      },
      { ESTATE_PAGER_SECRET_2: PAGER_SECRET_2 },
    );
    expect(updated.applied.counts).toMatchObject({ update: 2 });
    expect(updated.applied.generatedSecrets).toBeUndefined();
    expect(updated.audit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
      [
        "apply estate-plan",
        "update action_rule",
        "update webhook_endpoint",
        "rotate-secret webhook_endpoint",
      ].sort(),
    );
    expect(await sealed("estate-pager")).toBe(PAGER_SECRET_2);
    const [pager] = await rows<{ url: string; enabled: boolean; label: string | null }>(
      sql`select url, enabled, label from webhook_endpoint where name = 'estate-pager'`,
    );
    expect(pager).toEqual({ url: "http://127.0.0.1:9/hook-2", enabled: false, label: null });
    dump = await everything();
    expect(dump).not.toContain(PAGER_SECRET_2);
    expect(JSON.stringify(updated.made.plan)).not.toContain(PAGER_SECRET_2);
    await roundTrip();

    // Moved (a replace: deleted and created again): it keeps the secret its receivers verify.
    const moved = await step((objects) => {
      objects["endpoint.estate-generated"] = endpoint();
    });
    expect(moved.applied.counts).toMatchObject({ replace: 1 });
    expect(moved.applied.generatedSecrets).toBeUndefined();
    expect(await sealed("estate-generated")).toBe(generated);
    await roundTrip();

    // A reference whose value the request does not carry: 400 naming the variable, nothing written.
    const missing = await plan(
      alice,
      await filesWith(alice, (objects) => {
        objects["endpoint.estate-pager"] = endpoint({ secret: { env: "ESTATE_UNSET" } });
      }),
    );
    await expect(
      applyEstatePlan({ ...ctx(alice), id: missing.id, secretKey, allowLoopback: true }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("ESTATE_UNSET") });
    // A { secretRef }: no named secret store resolves it — 400 before any write.
    const named = await plan(
      alice,
      await filesWith(alice, (objects) => {
        objects["endpoint.estate-pager"] = endpoint({ secret: { secretRef: "pager" } });
      }),
    );
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    await expect(
      applyEstatePlan({ ...ctx(alice), id: missing.id, secretKey, allowLoopback: true }),
    ).rejects.toMatchObject({ code: "INVALID" });
    await expect(
      applyEstatePlan({ ...ctx(alice), id: named.id, secretKey, allowLoopback: true }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("secretRef") });
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      snapshot,
    );
    expect(await readEstateLock(handle.db)).toBeNull();

    // Delete: the action rule before the endpoints it delivers to (reverse dependency order).
    const deleted = await step((objects) => {
      delete objects["endpoint.estate-pager"];
      delete objects["endpoint.estate-generated"];
      delete objects["action-rule.estate-page"];
    });
    expect(deleted.applied.counts).toMatchObject({ delete: 3 });
    expect(deleted.audit.map((a) => `${a.verb} ${a.resource}`)).toEqual([
      "delete action_rule",
      "delete webhook_endpoint",
      "delete webhook_endpoint",
      "apply estate-plan",
    ]);
    expect(
      await rows(sql`select 1 from webhook_endpoint where name like 'estate-%'
        union all select 1 from action_rule where name = 'estate-page'`),
    ).toEqual([]);
  }, 120_000);

  it("an endpoint or action rule outside the applier's action:write scope is refused 403 before any write", async () => {
    const local = await scopedActor("act-building-admin", [
      { role: "viewer" },
      { role: "admin", location: building },
    ]);
    for (const [address, object] of [
      // The platform (scope all) and another building.
      [
        "endpoint.local-platform",
        { kind: "endpoint", spec: { url: "http://127.0.0.1:9/x", enabled: true } },
      ],
      [
        "endpoint.local-other",
        {
          kind: "endpoint",
          spec: { url: "http://127.0.0.1:9/x", enabled: true, location: `location.${other}` },
        },
      ],
    ] as const) {
      const made = await plan(
        local,
        await filesWith(local, (objects) => {
          objects[address] = object;
        }),
      );
      expect(made.changes).toBe(1);
      const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
      let reached = false;
      await expect(
        applyEstatePlan({
          ...ctx(local),
          id: made.id,
          secretKey,
          allowLoopback: true,
          hooks: { beforeChange: () => void (reached = true) },
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(reached).toBe(false);
      expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
        snapshot,
      );
    }
  }, 60_000);

  it("grants: create, replace (operator) and delete through an apply with the API's delegation checks; the plan names who gains or loses access; round-trip", async () => {
    const carol = await scopedActor("carol", [{ role: "viewer" }]);
    const address = `grant.carol.operator.location.${building}`;
    const grant = (operator: string) => ({
      kind: "grant",
      spec: {
        principal: "principal.carol",
        role: "role.operator",
        scope: `location.${building}`,
        operator,
      },
    });
    const grantRows = async () =>
      rows<{ scope_operator: string }>(
        sql`select g.scope_operator from role_grant g join principal p on p.id = g.principal_id
            join role r on r.id = g.role_id where p.name = 'carol' and r.name = 'operator'`,
      );
    const created = await step((objects) => {
      objects[address] = grant("subtree");
    });
    const change = (created.made.plan as { changes: { blastRadius: { access?: unknown } }[] })
      .changes[0]!;
    expect(change.blastRadius.access).toEqual({
      principal: "principal.carol",
      role: "role.operator",
      scope: `location.${building}`,
      effect: "gains",
    });
    expect(created.audit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
      ["apply estate-plan", "create grant"].sort(),
    );
    expect(await grantRows()).toEqual([{ scope_operator: "subtree" }]);
    await roundTrip();
    void carol;

    const replaced = await step((objects) => {
      objects[address] = grant("self");
    });
    expect(replaced.applied.counts).toMatchObject({ replace: 1 });
    expect(replaced.audit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
      ["apply estate-plan", "create grant", "delete grant"].sort(),
    );
    expect(await grantRows()).toEqual([{ scope_operator: "self" }]);

    const removed = await step((objects) => {
      delete objects[address];
    });
    const removal = (
      removed.made.plan as {
        changes: { operation: string; blastRadius: { access?: unknown } }[];
        approvalsRequired: { reason: string }[];
      }
    ).changes[0]!;
    expect(removal.operation).toBe("delete");
    expect(removal.blastRadius.access).toMatchObject({
      principal: "principal.carol",
      effect: "loses",
    });
    expect(await grantRows()).toEqual([]);
  }, 90_000);

  it("a grant the applier may not give is refused 403 before any write: no grant:create there, or a role carrying what it does not hold", async () => {
    await scopedActor("dave", [{ role: "viewer" }]);
    // Reads principals everywhere (viewer on all), administers one building.
    const local = await scopedActor("grant-building-admin", [
      { role: "viewer" },
      { role: "admin", location: building },
    ]);
    const cases: [string, Record<string, unknown>][] = [
      // Owner carries platform:* and more than admin holds on its building.
      [
        `grant.dave.owner.location.${building}`,
        {
          principal: "principal.dave",
          role: "role.owner",
          scope: `location.${building}`,
          operator: "subtree",
        },
      ],
      // No grant:create on the other building.
      [
        `grant.dave.operator.location.${other}`,
        {
          principal: "principal.dave",
          role: "role.operator",
          scope: `location.${other}`,
          operator: "subtree",
        },
      ],
      // Nor on scope all.
      [
        "grant.dave.integrator.all",
        { principal: "principal.dave", role: "role.integrator", scope: "all" },
      ],
    ];
    for (const [address, spec] of cases) {
      const made = await plan(
        local,
        await filesWith(local, (objects) => {
          objects[address] = { kind: "grant", spec };
        }),
      );
      expect(made.plan).toMatchObject({ diagnostics: [] });
      if ((made.plan as { approvalsRequired: unknown[] }).approvalsRequired.length > 0)
        await approveEstatePlan({ ...ctx(bob), id: made.id });
      const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
      let reached = false;
      await expect(
        applyEstatePlan({
          ...ctx(local),
          id: made.id,
          secretKey,
          hooks: { beforeChange: () => void (reached = true) },
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(reached).toBe(false);
      expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
        snapshot,
      );
    }
    // The same building admin may give what it holds where it holds it.
    const made = await plan(
      local,
      await filesWith(local, (objects) => {
        objects[`grant.dave.operator.location.${building}`] = {
          kind: "grant",
          spec: {
            principal: "principal.dave",
            role: "role.operator",
            scope: `location.${building}`,
            operator: "subtree",
          },
        };
      }),
    );
    if ((made.plan as { approvalsRequired: unknown[] }).approvalsRequired.length > 0)
      await approveEstatePlan({ ...ctx(bob), id: made.id });
    expect((await applyEstatePlan({ ...ctx(local), id: made.id, secretKey })).counts).toMatchObject(
      { create: 1 },
    );
  }, 90_000);

  it("files declaring grants are refused 403 naming principal:read on scope all when the planner or applier cannot read grants; files without grants plan as before", async () => {
    await scopedActor("gina", [{ role: "viewer" }]);
    const address = `grant.gina.operator.location.${building}`;
    const grant = {
      kind: "grant",
      spec: {
        principal: "principal.gina",
        role: "role.operator",
        scope: `location.${building}`,
        operator: "subtree",
      },
    };
    // Administers one building: principal:read there only, so no existing grant is read.
    const blind = await scopedActor("grant-blind-admin", [{ role: "admin", location: building }]);
    const without = await plan(blind, await filesWith(blind, () => {}));
    expect(without.plan).toMatchObject({ diagnostics: [] });
    await expect(
      plan(
        blind,
        await filesWith(blind, (objects) => {
          objects[address] = grant;
        }),
      ),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("principal:read on scope all to plan"),
      fieldErrors: [{ field: address, message: "needs principal:read on scope all to plan" }],
    });

    // Planned by an admin on scope all who, before the apply, holds admin on the building only.
    const erin = await scopedActor("erin", [{ role: "admin" }]);
    const made = await plan(
      erin,
      await filesWith(erin, (objects) => {
        objects[address] = grant;
      }),
    );
    expect(made.changes).toBe(1);
    await approveEstatePlan({ ...ctx(bob), id: made.id });
    await handle.db.execute(sql`update role_grant set scope_kind = 'location',
      location_id = (select id from location where path = ${building})
      where principal_id = ${erin.id}`);
    const demoted = (await loadActor(handle.db, erin.id))!;
    const snapshot = await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] });
    let reached = false;
    await expect(
      applyEstatePlan({
        ...ctx(demoted),
        id: made.id,
        secretKey,
        hooks: { beforeChange: () => void (reached = true) },
      }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("principal:read on scope all to apply"),
    });
    expect(reached).toBe(false);
    expect(await unsafeSnapshotTables(handle.db, { ignore: ["estate_plan.status"] })).toEqual(
      snapshot,
    );
  }, 90_000);

  it("an apply does not give a principal a role it already holds on the scope (a subtree plan that did not read the grant): 409, nothing written", async () => {
    const hank = await scopedActor("hank", [{ role: "viewer" }]);
    const hankGrants = async () =>
      rows<{ n: number }>(sql`select count(*)::int as n from role_grant g
        join role r on r.id = g.role_id
        where g.principal_id = ${hank.id} and r.name = 'viewer' and g.scope_kind = 'all'`);
    expect(await hankGrants()).toEqual([{ n: 1 }]);
    // The building's subtree: grants on scope all are outside it, so hank's is not read.
    const model: EstateModel = (await readEstateModel(handle.db, alice, { subtree: building }))
      .model;
    (model.objects as Record<string, unknown>)["grant.hank.viewer.all"] = {
      kind: "grant",
      spec: { principal: "principal.hank", role: "role.viewer", scope: "all" },
    };
    const made = await createEstatePlan({
      ...ctx(alice),
      input: {
        files: [{ path: "estate.yaml", content: exportEstate(model)[0]!.text }],
        subtree: building,
      },
    });
    expect(made.plan).toMatchObject({ diagnostics: [] });
    expect(
      (made.plan as { changes: { address: string; operation: string }[] }).changes,
    ).toMatchObject([{ address: "grant.hank.viewer.all", operation: "create" }]);
    if ((made.plan as { approvalsRequired: unknown[] }).approvalsRequired.length > 0)
      await approveEstatePlan({ ...ctx(bob), id: made.id });
    const before = await auditCount();
    await expect(applyEstatePlan({ ...ctx(alice), id: made.id, secretKey })).rejects.toMatchObject({
      code: "CONFLICT",
      fieldErrors: [{ field: "grant.hank.viewer.all", message: "grant exists" }],
    });
    expect(await hankGrants()).toEqual([{ n: 1 }]);
    expect(await auditCount()).toBe(before);
  }, 90_000);

  it("secret variables: set from ${env:…} at apply (sealed), round-trip by reference, rotated by a new reference, deleted; the value is nowhere in plan, audit or state", async () => {
    const address = "variable.platform.estate-community";
    const bindingRow = async () =>
      (
        await rows<{ id: string; secret: boolean; value: unknown; ciphertext: string | null }>(
          sql`select id, secret, value, ciphertext from estate_binding where key = 'estate-community'`,
        )
      )[0];
    const created = await step(
      (objects) => {
        objects[address] = { kind: "variable", spec: { secret: { env: "ESTATE_COMMUNITY" } } };
      },
      { ESTATE_COMMUNITY: VARIABLE_SECRET },
    );
    expect(created.applied.counts).toMatchObject({ create: 1 });
    expect(created.audit.map((a) => `${a.verb} ${a.resource}`).sort()).toEqual(
      ["apply estate-plan", "create variable"].sort(),
    );
    const row = (await bindingRow())!;
    expect(row).toMatchObject({ secret: true, value: null });
    expect(openSecret(secretKey, row.ciphertext!, row.id)).toBe(VARIABLE_SECRET);
    expect(JSON.stringify(created.made.plan)).not.toContain(VARIABLE_SECRET);
    expect(JSON.stringify(created.audit)).not.toContain(VARIABLE_SECRET);
    expect(await everything()).not.toContain(VARIABLE_SECRET);
    // The model shows the reference the apply was given; import writes it; no changes.
    const model = (await readEstateModel(handle.db, alice)).model;
    expect(model.objects[address]).toMatchObject({ spec: { secret: { env: "ESTATE_COMMUNITY" } } });
    await roundTrip();

    const rotated = await step(
      (objects) => {
        objects[address] = { kind: "variable", spec: { secret: { env: "ESTATE_COMMUNITY_2" } } };
      },
      { ESTATE_COMMUNITY_2: VARIABLE_SECRET_2 },
    );
    expect(rotated.applied.counts).toMatchObject({ update: 1 });
    const after = (await bindingRow())!;
    expect(openSecret(secretKey, after.ciphertext!, after.id)).toBe(VARIABLE_SECRET_2);
    expect(await everything()).not.toContain(VARIABLE_SECRET_2);

    const deleted = await step((objects) => {
      delete objects[address];
    });
    expect(deleted.applied.counts).toMatchObject({ delete: 1 });
    expect(await bindingRow()).toBeUndefined();
  }, 90_000);
});
