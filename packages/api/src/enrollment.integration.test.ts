import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeCredential, Problem, Worklist } from "@omniglass/contracts";
import { createTestbed, type Testbed } from "./testbed";

describe("node enrollment and worklists over REST", () => {
  let bed: Testbed;
  const tokens: Record<string, string> = {};

  async function rest(method: string, path: string, body?: unknown, token?: string | null) {
    const response = await bed.rest(method, path, {
      body,
      ...(token !== undefined ? { token } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }

  beforeAll(async () => {
    bed = await createTestbed();
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    await rest("POST", "/locations", { name: "hq", type: "building", parent: "campus" });
    for (const name of ["edge-a", "edge-b"]) {
      const created = await rest("POST", "/nodes", { name, location: "campus.hq" });
      tokens[name] = created.body.enrollmentToken as string;
    }
    // Switch 1 polled by edge-a, projector 1 by edge-b; each with a secret at a different level.
    await rest("POST", "/components", {
      name: "switch-1",
      location: "campus.hq",
      template: "snmp-network-switch",
      address: "10.0.0.2",
      node: "edge-a",
    });
    await rest("POST", "/components", {
      name: "projector-1",
      location: "campus.hq",
      template: "pjlink-projector",
      address: "10.0.0.3",
      interfaces: [
        { name: "pjlink", node: "edge-b", port: 14352 },
        { name: "ping", node: "edge-a" },
      ],
    });
    for (const [target, key, value] of [
      ["location.campus", "snmp-community", "campus-community"],
      ["component.campus.hq.projector-1", "pjlink-password", "projector-password"],
    ] as const)
      expect((await rest("PUT", "/variables", { target, key, value, secret: true })).status).toBe(
        200,
      );
  });
  afterAll(() => bed.close());

  it("refuses a token that is not one, with a 401 that says nothing", async () => {
    const wrong = await rest(
      "POST",
      "/nodes/enroll",
      { token: "og_not-a-real-token-at-all" },
      null,
    );
    expect(wrong.status).toBe(401);
    expect(Problem.parse(wrong.body).detail).toMatch(/cannot be claimed/);
  });

  it("enrolls once: a credential, the node role, an audit row without the secret; the token is spent", async () => {
    const enrolled = await rest("POST", "/nodes/enroll", { token: tokens["edge-a"] }, null);
    expect(enrolled.status, enrolled.text).toBe(200);
    const credential = NodeCredential.parse(enrolled.body);
    expect(credential.name).toBe("edge-a");
    tokens.credA = credential.token;
    const again = await rest("POST", "/nodes/enroll", { token: tokens["edge-a"] }, null);
    expect(again.status).toBe(401);
    const node = await rest("GET", "/nodes/edge-a");
    expect(node.body).toMatchObject({ status: "enrolled", enrollment: null });
    const principal = await rest("GET", `/principals/${credential.nodeId}`);
    expect(principal.body.grants).toEqual([
      expect.objectContaining({
        role: "node",
        scope: expect.objectContaining({ path: "campus.hq" }),
      }),
    ]);
    const audit = await rest("GET", "/audit-log?resource=node&verb=enroll");
    expect((audit.body.items as unknown[]).length).toBe(1);
    expect(audit.text).not.toContain(credential.token);
    expect(audit.text).not.toContain(tokens["edge-a"]);
  });

  it("re-enrolling revokes the earlier credential", async () => {
    const enrolled = await rest("POST", "/nodes/enroll", { token: tokens["edge-b"] }, null);
    const first = NodeCredential.parse(enrolled.body).token;
    expect((await rest("GET", "/nodes/self/worklist", undefined, first)).status).toBe(200);
    const reissued = await rest("POST", "/nodes/edge-b/enrollment", {});
    const second = await rest(
      "POST",
      "/nodes/enroll",
      { token: reissued.body.enrollmentToken },
      null,
    );
    expect(second.status).toBe(200);
    tokens.credB = NodeCredential.parse(second.body).token;
    expect((await rest("GET", "/nodes/self/worklist", undefined, first)).status).toBe(401);
    const principal = await rest("GET", `/principals/${second.body.nodeId as string}`);
    expect((principal.body.grants as unknown[]).length).toBe(1);
  });

  it("expired tokens cannot be claimed", async () => {
    const created = await rest("POST", "/nodes", { name: "edge-late", location: "campus.hq" });
    await bed.db.execute(
      `update node set enrollment_expires_at = now() - interval '1 second' where id = '${created.body.id as string}'` as never,
    );
    const late = await rest("POST", "/nodes/enroll", { token: created.body.enrollmentToken }, null);
    expect(late.status).toBe(401);
  });

  it("gives each node only its own tasks and the credentials they name", async () => {
    const a = await rest("GET", "/nodes/self/worklist", undefined, tokens.credA);
    expect(a.status, a.text).toBe(200);
    const listA = Worklist.parse(a.body);
    expect(listA.node.name).toBe("edge-a");
    expect(
      listA.tasks.map((t) => [t.component.path, t.interface.name, t.host, t.port]).sort(),
    ).toEqual([
      ["campus.hq.projector-1", "ping", "10.0.0.3", null],
      ["campus.hq.switch-1", "ping", "10.0.0.2", null],
      ["campus.hq.switch-1", "snmp", "10.0.0.2", 161],
    ]);
    const snmp = listA.tasks.find((t) => t.interface.name === "snmp")!;
    expect(snmp.secrets).toEqual({ "snmp-community": "campus-community" });
    expect(snmp.functions.length).toBeGreaterThan(0);
    expect(snmp.functions.every((f) => f.interface === "snmp")).toBe(true);
    expect(a.text).not.toContain("projector-password");

    const b = Worklist.parse(
      (await rest("GET", "/nodes/self/worklist", undefined, tokens.credB)).body,
    );
    expect(b.tasks.map((t) => [t.component.path, t.interface.name, t.port])).toEqual([
      ["campus.hq.projector-1", "pjlink", 14352],
    ]);
    expect(b.tasks[0]!.secrets).toEqual({ "pjlink-password": "projector-password" });
    expect(JSON.stringify(b)).not.toContain("campus-community");

    // The etag is stable (and the ETag header), and changes when the worklist does.
    const headers = (await bed.rest("GET", "/nodes/self/worklist", { token: tokens.credA }))
      .headers;
    expect(headers.get("etag")).toBe(`"${listA.etag}"`);
    expect(headers.get("cache-control")).toBe("no-store");
    const again = Worklist.parse(
      (await rest("GET", "/nodes/self/worklist", undefined, tokens.credA)).body,
    );
    expect(again.etag).toBe(listA.etag);
    await rest("PUT", "/variables", {
      target: "component.campus.hq.switch-1",
      key: "snmp-community",
      value: "switch-own",
      secret: true,
    });
    const changed = Worklist.parse(
      (await rest("GET", "/nodes/self/worklist", undefined, tokens.credA)).body,
    );
    expect(changed.etag).not.toBe(listA.etag);
    expect(changed.tasks.find((t) => t.interface.name === "snmp")!.secrets).toEqual({
      "snmp-community": "switch-own",
    });
  });

  it("is for nodes only: the owner is 403", async () => {
    const owner = await rest("GET", "/nodes/self/worklist");
    expect(owner.status).toBe(403);
  });
});
