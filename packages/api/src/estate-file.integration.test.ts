import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Problem } from "@omniglass/contracts";
import { acquireEstateLock, loadActor, unsafeSeedDemoEstate } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/** Estate as code over REST (issue #15): validate, plans, approvals, apply, status, drift, export, lock. */
describe("estate files over the API", () => {
  let bed: Testbed;
  let admin: string; // a second admin: approves the owner's plans
  let annex: string; // admin of one building only
  let files: { path: string; content: string }[];

  const q = (text: string) => bed.db.execute(text as never);
  const json = async <T>(response: Response, status = 200): Promise<T> => {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const plan = (content: { path: string; content: string }[], token?: string) =>
    bed.rest("POST", "/estate/plans", { body: { files: content }, ...(token ? { token } : {}) });
  const addLocation = (line: string) =>
    files.map((f) => ({
      ...f,
      content: f.content.replace(/^locations:\n/m, `locations:\n  ${line}\n`),
    }));

  beforeAll(async () => {
    bed = await createTestbed();
    await unsafeSeedDemoEstate(bed.db, { owner: "root" });
    admin = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "second-admin",
        grants: [{ role: "admin" }],
      })
    ).token;
    const [building] = (await q("select path from location where depth = 1 order by path limit 1"))
      .rows as { path: string }[];
    annex = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "building-admin",
        grants: [{ role: "admin", location: building!.path }],
      })
    ).token;
    files = (await json<{ files: typeof files }>(await bed.rest("GET", "/estate/export"))).files;
  }, 120_000);
  afterAll(async () => {
    await bed?.close();
  });

  it("validates files without the state: a typo'd key names file:line:column and the key it meant", async () => {
    const ok = await json<{ ok: boolean; diagnostics: unknown[] }>(
      await bed.rest("POST", "/estate/validate", { body: { files } }),
    );
    expect(ok).toMatchObject({ ok: true, diagnostics: [] });
    const typo = await json<{
      ok: boolean;
      diagnostics: { code: string; line: number; column: number; hint?: string }[];
    }>(
      await bed.rest("POST", "/estate/validate", {
        body: {
          files: [
            {
              path: "estate.yaml",
              content: "version: 1\nlocations:\n  hq: { type: campus, lable: HQ }\n",
            },
          ],
        },
      }),
    );
    expect(typo.ok).toBe(false);
    expect(typo.diagnostics[0]).toMatchObject({ code: "unknown-key", line: 3 });
    expect(typo.diagnostics[0]!.hint).toMatch(/label/);
    // A body that is not files: 400 naming the field.
    const bad = await bed.rest("POST", "/estate/validate", { body: { files: [{ path: "" }] } });
    expect(bad.status).toBe(400);
    expect(Problem.parse(await bad.json()).errors!.map((f) => f.field)).toContain("files.0.path");
  });

  it("import → plan shows no changes; a room added plans as creates with blast radius, applies as one apply, and shows managed", async () => {
    const none = await json<{ id: string; changes: number; status: string }>(await plan(files));
    expect(none).toMatchObject({ changes: 0, status: "pending" });
    await json(await bed.rest("POST", `/estate/plans/${none.id}/apply`, { body: {} }));
    const [building] = (await q("select path from location where depth = 1 order by path limit 1"))
      .rows as { path: string }[];
    const room = `${building!.path}.api-room`;
    const made = await json<{
      id: string;
      changes: number;
      summary: string;
      plan: { changes: { address: string; blastRadius: { dependentCount: number } }[] };
    }>(await plan(addLocation(`${room}: { type: room, label: API room }`)));
    expect(made.changes).toBe(1);
    expect(made.summary).toContain(room);
    expect(made.plan.changes[0]).toMatchObject({ address: `location.${room}` });
    const listed = await json<{ items: { id: string }[] }>(await bed.rest("GET", "/estate/plans"));
    expect(listed.items.map((p) => p.id)).toContain(made.id);
    const applied = await json<{ applyId: string; counts: { create: number } }>(
      await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} }),
    );
    expect(applied.counts.create).toBe(1);
    const managed = await json<{ managedBy: { applyId: string } | null }>(
      await bed.rest("GET", `/estate/managed?address=${encodeURIComponent(`location.${room}`)}`),
    );
    expect(managed.managedBy?.applyId).toBe(applied.applyId);
    const status = await json<{
      revision: string;
      lastApply: { applyId: string };
      lock: null;
      managed: Record<string, number>;
    }>(await bed.rest("GET", "/estate/status"));
    expect(status).toMatchObject({ lastApply: { applyId: applied.applyId }, lock: null });
    expect(status.managed.location).toBeGreaterThan(0);
    // Applying it again: 409, it is applied.
    const again = await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} });
    expect(again.status).toBe(409);
    files = (await json<{ files: typeof files }>(await bed.rest("GET", "/estate/export"))).files;
  }, 60_000);

  it("a plan, then a change through the API, then apply → 409 stale-plan naming that change; drift shows it", async () => {
    const made = await json<{ id: string }>(
      await plan(addLocation("stale-campus: { type: campus }")),
    );
    const [loc] = (await q("select path from location where depth = 2 order by path limit 1"))
      .rows as { path: string }[];
    await json(
      await bed.rest("PATCH", `/locations/${encodeURIComponent(loc!.path)}`, {
        body: { label: "Renamed in the console" },
        token: admin,
      }),
    );
    const refused = await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
    const problem = Problem.parse(await refused.json());
    expect(problem.code).toBe("STALE_PLAN");
    expect(
      problem.errors!.some(
        (f) => f.field.startsWith("location.") && /update at .* by second-admin/.test(f.message),
      ),
    ).toBe(true);
    const shown = await json<{ status: string }>(await bed.rest("GET", `/estate/plans/${made.id}`));
    expect(shown.status).toBe("stale");
    const drift = await json<{
      drifted: { address: string; fields: { path: string; now: unknown }[] }[];
      patch: { content: string }[];
    }>(await bed.rest("GET", "/estate/drift"));
    expect(drift.drifted).toContainEqual(
      expect.objectContaining({
        address: `location.${loc!.path}`,
        fields: [expect.objectContaining({ path: "label", now: "Renamed in the console" })],
      }),
    );
    expect(drift.patch[0]!.content).toContain("Renamed in the console");
  }, 60_000);

  it("approvals: the planner cannot approve their own plan; another admin can", async () => {
    const made = await json<{ id: string }>(
      await plan(addLocation("approved-campus: { type: campus }")),
    );
    const self = await bed.rest("POST", `/estate/plans/${made.id}/approve`, { body: {} });
    expect(self.status).toBe(403);
    const approved = await json<{ status: string; approvals: { approver: string }[] }>(
      await bed.rest("POST", `/estate/plans/${made.id}/approve`, {
        body: { comment: "fine" },
        token: admin,
      }),
    );
    expect(approved).toMatchObject({
      status: "approved",
      approvals: [{ approver: "second-admin" }],
    });
    // The same approval again changes nothing: one approval, one audit row.
    const again = await bed.rest("POST", `/estate/plans/${made.id}/approve`, {
      body: { comment: "fine" },
      token: admin,
    });
    expect(again.status).toBe(200);
    expect(await json<{ approvals: unknown[] }>(again)).toMatchObject({
      approvals: [{ approver: "second-admin" }],
    });
    const audited = await q(
      `select count(*)::int as n from audit_log where verb = 'approve' and resource_id = '${made.id}'`,
    );
    expect(audited.rows[0]).toEqual({ n: 1 });
  });

  it("scope: a building admin's plan is read in its scope; applying outside it is 403 with nothing written; others' plans are 404", async () => {
    const owners = await json<{ id: string }>(
      await plan(addLocation("scope-campus: { type: campus }")),
    );
    expect((await bed.rest("GET", `/estate/plans/${owners.id}`, { token: annex })).status).toBe(
      404,
    );
    // The export declares grants, which a building admin cannot read (principal:read on scope
    // all): refused at plan. Without them, its plan is read in its scope.
    const withGrants = await bed.rest("POST", "/estate/plans", {
      body: { files: addLocation("scope-campus: { type: campus }") },
      token: annex,
    });
    expect(withGrants.status).toBe(403);
    expect(Problem.parse(await withGrants.json()).detail).toMatch(/principal:read on scope all/);
    const noGrants = addLocation("scope-campus: { type: campus }").map((f) => ({
      ...f,
      content: f.content.replace(/^grants:\n(?: .*\n)*/m, ""),
    }));
    const own = await json<{ id: string; plan: { unmanaged: { count: number } } }>(
      await plan(noGrants, annex),
    );
    const before = await q("select count(*)::int as n from location");
    const refused = await bed.rest("POST", `/estate/plans/${own.id}/apply`, {
      body: {},
      token: annex,
    });
    expect(refused.status).toBe(403);
    expect(Problem.parse(await refused.json()).code).toBe("FORBIDDEN");
    expect((await q("select count(*)::int as n from location")).rows).toEqual(before.rows);
  });

  it("the lock: a held lock is a typed 409 naming holder, purpose and expiry; force-unlock by id is audited", async () => {
    const made = await json<{ id: string }>(
      await plan(addLocation("locked-campus: { type: campus }")),
    );
    const owner = (await loadActor(bed.db, bed.owner.id))!;
    const lock = await acquireEstateLock(bed.db, owner, "a hung apply");
    const shown = await json<{ lock: { lockId: string; holder: string } }>(
      await bed.rest("GET", "/estate/lock"),
    );
    expect(shown.lock).toMatchObject({ lockId: lock.lockId, holder: "root" });
    const refused = await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} });
    expect(refused.status).toBe(409);
    const problem = Problem.parse(await refused.json());
    expect(problem.detail).toMatch(/locked by root \(a hung apply\) until/);
    expect(problem.errors![0]).toMatchObject({ field: "lock" });
    const wrong = await bed.rest("POST", "/estate/lock/force-unlock", {
      body: { lockId: crypto.randomUUID() },
    });
    expect(wrong.status).toBe(409);
    await json(
      await bed.rest("POST", "/estate/lock/force-unlock", { body: { lockId: lock.lockId } }),
    );
    const audit = await q("select verb from audit_log where resource = 'estate-lock'");
    expect(audit.rows).toEqual([{ verb: "force-unlock" }]);
    expect((await json<{ lock: null }>(await bed.rest("GET", "/estate/lock"))).lock).toBeNull();
    await json(await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} }));
  });

  it("a subtree: its export plans against the subtree with no changes; an unknown subtree is 404 naming the field", async () => {
    const [building] = (
      await q("select path from location where depth = 1 order by path desc limit 1")
    ).rows as { path: string }[];
    const exported = await json<{ files: { path: string; content: string }[] }>(
      await bed.rest("GET", `/estate/export?subtree=${encodeURIComponent(building!.path)}`),
    );
    expect(exported.files[0]!.content).toContain(building!.path);
    const made = await json<{
      changes: number;
      subtree: string;
      plan: { unmanaged: { count: number } };
    }>(
      await bed.rest("POST", "/estate/plans", {
        body: { files: exported.files, subtree: building!.path },
      }),
    );
    expect(made).toMatchObject({ changes: 0, subtree: building!.path });
    const missing = await bed.rest("GET", "/estate/export?subtree=no.such.place");
    expect(missing.status).toBe(404);
    expect(Problem.parse(await missing.json()).errors![0]!.field).toBe("subtree");
  });

  it("every managed kind's API write appends to the change log (tags, variables, rules, grants), and the plan goes stale", async () => {
    const made = await json<{ id: string }>(await plan(files));
    const { revision } = (await q("select max(revision)::text as revision from estate_change"))
      .rows[0] as { revision: string };
    const [loc] = (await q("select path from location where depth = 2 order by path limit 1"))
      .rows as { path: string }[];
    const target = `location.${loc!.path}`;
    await json(
      await bed.rest("PUT", "/tags", { body: { target, key: "room-class", value: "standard" } }),
    );
    await json(await bed.rest("PUT", "/variables", { body: { target, key: "poll", value: 30 } }));
    await json(
      await bed.rest("POST", "/rules", {
        body: { name: "log-probe", severity: "info", fire: 'signals["temperature"] > 90' },
      }),
    );
    const principal = await json<{ id: string }>(
      await bed.rest("POST", "/principals", { body: { kind: "service", name: "log-probe" } }),
    );
    await json(
      await bed.rest("POST", `/principals/${principal.id}/grants`, {
        body: { role: "viewer", scope: { kind: "all" } },
      }),
    );
    const logged = (
      await q(
        `select table_name, op, actor_id is null as unsaid from estate_change where revision > ${revision} order by revision`,
      )
    ).rows as { table_name: string; op: string }[];
    expect(logged.map((r) => `${r.op} ${r.table_name}`)).toEqual([
      "insert estate_binding",
      "insert estate_binding",
      "insert event_rule",
      "insert role_grant",
    ]);
    const stale = await bed.rest("POST", `/estate/plans/${made.id}/apply`, { body: {} });
    expect(stale.status).toBe(409);
    expect(Problem.parse(await stale.json()).errors!.map((e) => e.field.split(".")[0])).toEqual([
      "estate_binding",
      "estate_binding",
      "event_rule",
      "role_grant",
    ]);
  });

  it("lists plans newest first, paging by cursor without skipping or repeating", async () => {
    const all = await json<{ items: { id: string; createdAt: string }[] }>(
      await bed.rest("GET", "/estate/plans?page_size=500"),
    );
    expect(all.items.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let token = "";
    do {
      const page: { items: { id: string }[]; nextPageToken: string | null } = await json(
        await bed.rest(
          "GET",
          `/estate/plans?page_size=2${token ? `&page_token=${encodeURIComponent(token)}` : ""}`,
        ),
      );
      paged.push(...page.items.map((p) => p.id));
      token = page.nextPageToken ?? "";
    } while (token);
    expect(paged).toEqual(all.items.map((p) => p.id));
    const times = all.items.map((p) => p.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("serves the estate JSON Schema equal to docs/reference/estate.schema.json", async () => {
    const served = await json<unknown>(await bed.rest("GET", "/estate/schema"));
    const committed = JSON.parse(
      readFileSync(new URL("../../../docs/reference/estate.schema.json", import.meta.url), "utf8"),
    ) as unknown;
    expect(served).toEqual(committed);
  });
});
