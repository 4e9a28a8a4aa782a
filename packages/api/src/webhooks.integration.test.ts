import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * Webhook endpoints, action rules and deliveries over REST (issue #14): fields named in errors,
 * no 500 for client input, the secret shown once, one audit row per write, scope and capability.
 */
describe("webhook endpoints, action rules, deliveries", () => {
  let bed: Testbed;
  let viewer: string;
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
  const audits = async () =>
    Number(
      (
        (await bed.db.execute(`select count(*)::int as n from audit_log` as never)).rows[0] as {
          n: number;
        }
      ).n,
    );

  beforeAll(async () => {
    bed = await createTestbed();
    viewer = (
      await createTestPrincipal(bed.databaseUrl, { name: "viewer", grants: [{ role: "viewer" }] })
    ).token;
  });
  afterAll(() => bed.close());

  it("names the url of a bad or loopback endpoint, returns the secret once, audits once", async () => {
    const bad = await bed.rest("POST", "/webhook-endpoints", {
      body: { name: "bad", url: "ftp://example.com/x" },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors).toEqual([expect.objectContaining({ field: "url" })]);
    const loop = await bed.rest("POST", "/webhook-endpoints", {
      body: { name: "loop", url: "http://127.0.0.1:9/x" },
    });
    expect(loop.status).toBe(400);
    expect((await json(loop)).errors).toEqual([expect.objectContaining({ field: "url" })]);

    const before = await audits();
    const made = await bed.rest("POST", "/webhook-endpoints", {
      body: { name: "pager", url: "https://hooks.example.com/omniglass" },
    });
    expect(made.status, await made.clone().text()).toBe(200);
    const endpoint = await json(made);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await audits()).toBe(before + 1);
    const read = await bed.rest("GET", `/webhook-endpoints/${String(endpoint.id)}`);
    expect(await read.text()).not.toContain("whsec_");
    const listed = await bed.rest("GET", "/webhook-endpoints");
    expect(await listed.text()).not.toContain("whsec_");
    const audit = await bed.db.execute(
      `select after::text as a from audit_log where resource = 'webhook_endpoint'` as never,
    );
    expect(JSON.stringify(audit.rows)).not.toContain("whsec_");

    const rotated = await json(
      await bed.rest("POST", `/webhook-endpoints/${String(endpoint.id)}/rotate-secret`),
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
  });

  it("refuses an action rule naming an unknown endpoint, and lists deliveries and replays", async () => {
    const unknown = await bed.rest("POST", "/action-rules", {
      body: { name: "r1", endpointIds: ["0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d"] },
    });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).errors).toEqual([
      expect.objectContaining({ field: "endpointIds" }),
    ]);
    const endpoint = (
      (await json(await bed.rest("GET", "/webhook-endpoints"))).items as { id: string }[]
    )[0]!;
    const rule = await bed.rest("POST", "/action-rules", {
      body: {
        name: "critical-all",
        matchers: { severities: ["critical"], kinds: ["opened", "reopened"] },
        endpointIds: [endpoint.id],
      },
    });
    expect(rule.status, await rule.clone().text()).toBe(200);
    expect((await json(rule)).scope).toEqual({ kind: "all", ref: null, id: null });

    const test = await bed.rest("POST", `/webhook-endpoints/${endpoint.id}/test`);
    expect(test.status, await test.clone().text()).toBe(200);
    const delivery = await json(test);
    expect(delivery).toMatchObject({ eventType: "webhook.test", status: "pending", attempts: 0 });
    const page = await json(await bed.rest("GET", `/deliveries?endpoint=${endpoint.id}`));
    expect((page.items as { id: string }[]).map((d) => d.id)).toEqual([delivery.id]);
    const badStatus = await bed.rest("GET", "/deliveries?status=lost");
    expect(badStatus.status).toBe(400);

    const replay = await bed.rest("POST", `/deliveries/${String(delivery.id)}/replay`);
    expect(replay.status, await replay.clone().text()).toBe(200);
    const missing = await bed.rest("POST", `/deliveries/msg_${"0".repeat(32)}/replay`);
    expect(missing.status).toBe(404);
    const backwards = await bed.rest("POST", "/deliveries/replay", {
      body: { from: new Date().toISOString(), to: new Date(Date.now() - 1000).toISOString() },
    });
    expect(backwards.status).toBe(400);
    expect((await json(backwards)).errors).toEqual([expect.objectContaining({ field: "to" })]);
    const range = await bed.rest("POST", "/deliveries/replay", {
      body: { from: new Date(Date.now() - 60_000).toISOString(), to: new Date().toISOString() },
    });
    expect(await json(range)).toEqual({ replayed: 1 });
  });

  it("needs action:read to list and action:write to change", async () => {
    expect((await bed.rest("GET", "/deliveries", { token: viewer })).status).toBe(200);
    const refused = await bed.rest("POST", "/webhook-endpoints", {
      token: viewer,
      body: { name: "sneaky", url: "https://example.com/x" },
    });
    expect(refused.status).toBe(403);
    expect((await bed.rest("GET", "/deliveries", { token: null })).status).toBe(401);
  });
});
