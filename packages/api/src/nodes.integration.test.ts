import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Node, NodeWithEnrollmentToken, Problem } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("nodes over REST", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed();
    await bed.rest("POST", "/locations", { body: { name: "campus", type: "campus" } });
    for (const name of ["hq", "annex"])
      await bed.rest("POST", "/locations", {
        body: { name, type: "building", parent: "campus" },
      });
  });
  afterAll(() => bed.close());

  async function rest(method: string, path: string, body?: unknown) {
    const response = await bed.rest(method, path, { body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const stored = (id: string) =>
    bed.db.query.node.findFirst({ where: (n, { eq }) => eq(n.id, id) });

  it("creates a node with a token shown once, stored only as a hash, and never shown again", async () => {
    const before = Date.now();
    const created = await rest("POST", "/nodes", {
      name: "edge-hq",
      label: "HQ rack collector",
      location: "campus.hq",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const node = NodeWithEnrollmentToken.parse(created.body);
    expect(node.enrollmentToken).toMatch(/^og_[A-Za-z0-9_-]{40,}$/);
    expect(node).toMatchObject({
      name: "edge-hq",
      label: "HQ rack collector",
      location: { path: "campus.hq" },
      status: "pending",
      enrolledAt: null,
      lastSeenAt: null,
      interfaceCount: 0,
    });
    expect(node.enrollment!.prefix).toBe(node.enrollmentToken.slice(0, 9));
    expect(node.enrollment!.expired).toBe(false);
    const expiresIn = new Date(node.enrollment!.expiresAt).getTime() - before;
    expect(Math.abs(expiresIn - 24 * 3_600_000)).toBeLessThan(60_000);

    const row = await stored(node.id);
    expect(row!.enrollmentHash).toBe(sha256(node.enrollmentToken));
    expect(row!.enrollmentPrefix).toBe(node.enrollment!.prefix);

    const principal = await rest("GET", `/principals/${node.id}`);
    expect(principal.body).toMatchObject({ kind: "node", name: "edge-hq" });

    for (const path of [
      "/nodes/edge-hq",
      `/nodes/${node.id}`,
      "/nodes",
      "/audit-log",
      `/principals/${node.id}`,
    ]) {
      const read = await bed.rest("GET", path);
      expect(read.status, path).toBe(200);
      const text = await read.text();
      expect(text, path).not.toContain(node.enrollmentToken);
      expect(text, path).not.toContain(row!.enrollmentHash!);
    }
    const detail = Node.parse((await rest("GET", "/nodes/edge-hq")).body);
    expect(detail.enrollment).toEqual(node.enrollment);
    expect("enrollmentToken" in detail).toBe(false);
  });

  it("re-issuing enrollment replaces the token: the old one is no longer stored", async () => {
    const created = NodeWithEnrollmentToken.parse(
      (
        await rest("POST", "/nodes", {
          name: "edge-annex",
          location: "campus.annex",
          expiresInHours: 2,
        })
      ).body,
    );
    const reissued = await rest("POST", "/nodes/edge-annex/enrollment", { expiresInHours: 720 });
    expect(reissued.status).toBe(200);
    const fresh = NodeWithEnrollmentToken.parse(reissued.body);
    expect(fresh.enrollmentToken).not.toBe(created.enrollmentToken);
    expect(fresh.enrollment!.prefix).not.toBe(created.enrollment!.prefix);
    expect(fresh.version).toBe(created.version + 1);
    const row = await stored(created.id);
    expect(row!.enrollmentHash).toBe(sha256(fresh.enrollmentToken));
    expect(row!.enrollmentHash).not.toBe(sha256(created.enrollmentToken));
    const hours = (new Date(fresh.enrollment!.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(719);

    const audit = (await rest("GET", "/audit-log?page_size=500")).body as {
      items: { verb: string; resource: string; resourceId: string }[];
    };
    const mine = audit.items.filter((a) => a.resourceId === created.id);
    expect(mine.map((a) => a.verb).sort()).toEqual(["create", "issue-enrollment"]);
  });

  it("refuses a name any principal has, a bad expiry, a stale version; moves between locations", async () => {
    const taken = await rest("POST", "/nodes", { name: "root", location: "campus.hq" });
    expect(taken.status).toBe(409);
    expect(Problem.parse(taken.body).errors?.[0]?.field).toBe("name");
    expect(
      (await rest("POST", "/nodes", { name: "edge-x", location: "campus.hq", expiresInHours: 721 }))
        .status,
    ).toBe(400);
    expect((await rest("POST", "/nodes", { name: "Edge X", location: "campus.hq" })).status).toBe(
      400,
    );
    expect((await rest("POST", "/nodes", { name: "edge-x", location: "nowhere" })).status).toBe(
      404,
    );

    const current = Node.parse((await rest("GET", "/nodes/edge-hq")).body);
    const updated = await rest("PATCH", "/nodes/edge-hq", {
      label: "Rack 2",
      version: current.version,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.label).toBe("Rack 2");
    const stale = await rest("PATCH", "/nodes/edge-hq", {
      label: "Rack 3",
      version: current.version,
    });
    expect(stale.status).toBe(409);
    expect(Problem.parse(stale.body).errors?.[0]?.field).toBe("version");

    const moved = await rest("POST", "/nodes/edge-hq/move", { location: "campus.annex" });
    expect(moved.status).toBe(200);
    expect(moved.body.location).toMatchObject({ path: "campus.annex" });
    const inAnnex = (await rest("GET", "/nodes?filter=location%3Dcampus.annex")).body as {
      items: { name: string }[];
      totalSize: number;
    };
    expect(inAnnex.items.map((n) => n.name)).toEqual(["edge-annex", "edge-hq"]);
    expect(inAnnex.totalSize).toBe(2);
    const searched = (await rest("GET", "/nodes?q=rack")).body as { items: { name: string }[] };
    expect(searched.items.map((n) => n.name)).toEqual(["edge-hq"]);
    await rest("POST", "/nodes/edge-hq/move", { location: "campus.hq" });
  });

  it("refuses to delete a node while component interfaces name it, listing the components", async () => {
    await rest("POST", "/nodes", { name: "edge-poller", location: "campus.hq" });
    const component = await rest("POST", "/components", {
      name: "proj-1",
      location: "campus.hq",
      template: "pjlink-projector",
      node: "edge-poller",
      address: "10.0.0.21",
    });
    expect(component.status, JSON.stringify(component.body)).toBe(200);
    const node = Node.parse((await rest("GET", "/nodes/edge-poller")).body);
    expect(node.interfaceCount).toBeGreaterThan(0);

    const refused = await rest("DELETE", "/nodes/edge-poller");
    expect(refused.status).toBe(409);
    expect(Problem.parse(refused.body).detail).toContain("campus.hq.proj-1");
    expect((await rest("GET", "/nodes/edge-poller")).status).toBe(200);

    expect((await rest("DELETE", "/components/campus.hq.proj-1")).status).toBe(200);
    const deleted = await rest("DELETE", "/nodes/edge-poller");
    expect(deleted.status).toBe(200);
    expect((await rest("GET", "/nodes/edge-poller")).status).toBe(404);
    expect((await rest("GET", `/principals/${node.id}`)).status).toBe(404);
    expect(await stored(node.id)).toBeUndefined();
  });

  it("scopes nodes by their location: another building's node is the same 404 as a missing one", async () => {
    const { token } = await createTestPrincipal(bed.databaseUrl, {
      name: "admin-annex",
      grants: [{ role: "admin", location: "campus.annex" }],
    });
    const as = (method: string, path: string, body?: unknown) =>
      bed.rest(method, path, { token, body });
    const list = (await (await as("GET", "/nodes")).json()) as { items: { name: string }[] };
    expect(list.items.map((n) => n.name)).toEqual(["edge-annex"]);
    const outside = await as("GET", "/nodes/edge-hq");
    const missing = await as("GET", "/nodes/edge-nope");
    expect(outside.status).toBe(404);
    expect(Problem.parse(await outside.json()).detail).toBe(
      Problem.parse(await missing.json()).detail,
    );
    expect((await as("POST", "/nodes/edge-annex/move", { location: "campus.hq" })).status).toBe(
      404,
    );
    expect((await as("POST", "/nodes", { name: "edge-y", location: "campus.hq" })).status).toBe(
      404,
    );
    expect((await as("POST", "/nodes", { name: "edge-y", location: "campus.annex" })).status).toBe(
      200,
    );
  });
});
