import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  unsafeClaimDueDeliveries,
  unsafeRecordDeliveryAttempt,
  type SecretKey,
} from "@omniglass/gateway";
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

  /** Sends every due delivery once, as the worker's lane would, answering with `status`. */
  const attemptAll = async (status: number | "refused", excerpt: string | null = null) => {
    const claimed = await unsafeClaimDueDeliveries(bed.db, {
      secretKey: bed.deps.secretKey as SecretKey,
    });
    for (const d of claimed)
      await unsafeRecordDeliveryAttempt(bed.db, d, {
        result: status === "refused" ? { kind: "network-error" } : { kind: "response", status },
        latencyMs: 12.4,
        excerpt,
        detail: status === "refused" ? "ECONNREFUSED" : null,
        schedule: [0, 0, 0],
        random: () => 0.5,
      });
    return claimed.map((d) => d.id);
  };

  it("updates an endpoint: URL checked as on create, stale version 409, re-enabling clears a 410", async () => {
    const made = await json(
      await bed.rest("POST", "/webhook-endpoints", {
        body: { name: "ops", url: "https://hooks.example.com/ops", label: "Ops" },
      }),
    );
    const byName = await bed.rest("GET", "/webhook-endpoints/ops");
    expect(byName.status).toBe(200);
    expect(await json(byName)).toMatchObject({
      id: made.id,
      lastDelivery: null,
      unsentDeliveries: 0,
    });
    const loop = await bed.rest("PATCH", "/webhook-endpoints/ops", {
      body: { url: "http://localhost:9000/x" },
    });
    expect(loop.status).toBe(400);
    expect((await json(loop)).errors).toEqual([expect.objectContaining({ field: "url" })]);
    const bad = await bed.rest("PATCH", "/webhook-endpoints/ops", { body: { url: "mailto:x" } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).errors).toEqual([expect.objectContaining({ field: "url" })]);
    // Allowed where the server allows loopback (development, tests).
    bed.deps.webhookAllowLoopback = true;
    try {
      const local = await bed.rest("PATCH", "/webhook-endpoints/ops", {
        body: { url: "http://127.0.0.1:9/x", version: 1 },
      });
      expect(local.status, await local.clone().text()).toBe(200);
      expect(await json(local)).toMatchObject({ url: "http://127.0.0.1:9/x", version: 2 });
    } finally {
      bed.deps.webhookAllowLoopback = false;
    }
    const stale = await bed.rest("PATCH", "/webhook-endpoints/ops", {
      body: { label: "Operations", version: 1 },
    });
    expect(stale.status).toBe(409);
    expect((await json(stale)).errors).toEqual([expect.objectContaining({ field: "version" })]);

    // A 410 disabled it (as the delivery lane records it); enabling again clears the reason.
    await bed.db.execute(
      `update webhook_endpoint set enabled = false, disabled_reason = 'The receiver answered 410 Gone' where name = 'ops'` as never,
    );
    const before = await audits();
    const enabled = await bed.rest("PATCH", `/webhook-endpoints/${String(made.id)}`, {
      body: { enabled: true, label: null },
    });
    expect(enabled.status, await enabled.clone().text()).toBe(200);
    expect(await json(enabled)).toMatchObject({ enabled: true, disabledReason: null, label: null });
    expect(await audits()).toBe(before + 1);
    // The same values again change nothing and write no audit row.
    await bed.rest("PATCH", "/webhook-endpoints/ops", { body: { enabled: true } });
    expect(await audits()).toBe(before + 1);
    const disabled = await json(
      await bed.rest("PATCH", "/webhook-endpoints/ops", { body: { enabled: false } }),
    );
    expect(disabled).toMatchObject({ enabled: false, disabledReason: "Disabled by hand" });
    const test = await bed.rest("POST", "/webhook-endpoints/ops/test");
    expect(test.status).toBe(409);
    expect(await bed.rest("GET", "/webhook-endpoints/no-such-hook")).toHaveProperty("status", 404);
  });

  it("gets an action rule, updates it (stale version 409, unknown endpoint 400) and deletes it", async () => {
    const hook = await json(
      await bed.rest("POST", "/webhook-endpoints", {
        body: { name: "rules-hook", url: "https://hooks.example.com/rules" },
      }),
    );
    await bed.rest("POST", "/locations", { body: { name: "north", type: "campus" } });
    const made = await json(
      await bed.rest("POST", "/action-rules", {
        body: { name: "north-pages", endpointIds: [hook.id] },
      }),
    );
    const got = await json(await bed.rest("GET", "/action-rules/north-pages"));
    expect(got).toMatchObject({ id: made.id, matchers: {}, scope: { kind: "all" }, version: 1 });
    const unknown = await bed.rest("PATCH", "/action-rules/north-pages", {
      body: { endpointIds: ["0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d"] },
    });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).errors).toEqual([
      expect.objectContaining({ field: "endpointIds" }),
    ]);
    const badMatcher = await bed.rest("PATCH", "/action-rules/north-pages", {
      body: { matchers: { severities: ["loud"] } },
    });
    expect(badMatcher.status).toBe(400);
    const before = await audits();
    const updated = await bed.rest("PATCH", "/action-rules/north-pages", {
      body: {
        matchers: { severities: ["critical"], suppressed: "any", acknowledged: false },
        scope: { kind: "location", ref: "north" },
        version: 1,
      },
    });
    expect(updated.status, await updated.clone().text()).toBe(200);
    expect(await json(updated)).toMatchObject({
      matchers: { severities: ["critical"], suppressed: "any", acknowledged: false },
      scope: { kind: "location", ref: "north" },
      version: 2,
    });
    expect(await audits()).toBe(before + 1);
    const stale = await bed.rest("PATCH", "/action-rules/north-pages", {
      body: { enabled: false, version: 1 },
    });
    expect(stale.status).toBe(409);
    const listed = await json(await bed.rest("GET", `/action-rules?endpoint=${String(hook.id)}`));
    expect((listed.items as { name: string }[]).map((r) => r.name)).toEqual(["north-pages"]);

    // While the rule delivers to it the endpoint cannot be deleted (409 naming the rule).
    const refused = await bed.rest("DELETE", "/webhook-endpoints/rules-hook");
    expect(refused.status).toBe(409);
    expect(String((await json(refused)).detail)).toContain("north-pages");
    const deleted = await bed.rest("DELETE", "/action-rules/north-pages");
    expect(deleted.status).toBe(200);
    expect(await json(deleted)).toEqual({ id: made.id, deleted: true });
    expect((await bed.rest("GET", "/action-rules/north-pages")).status).toBe(404);
    expect(await audits()).toBe(before + 2);
  });

  it("logs every attempt of a delivery, filters the log and counts what deleting drops", async () => {
    // Earlier tests' queued deliveries wait a day: this test sends only its own.
    await bed.db.execute(
      `update delivery set next_attempt_at = now() + interval '1 day' where status = 'pending'` as never,
    );
    const hook = await json(
      await bed.rest("POST", "/webhook-endpoints", {
        body: { name: "flaky", url: "https://hooks.example.com/flaky" },
      }),
    );
    const queued = await json(await bed.rest("POST", "/webhook-endpoints/flaky/test"));
    expect(await attemptAll("refused")).toEqual([queued.id]);
    await attemptAll(503, "busy");
    await attemptAll(500, "x".repeat(3000));
    // Three failures on a three-attempt schedule: dead, every attempt in the log.
    const dead = await json(await bed.rest("GET", `/deliveries/${String(queued.id)}`));
    expect(dead).toMatchObject({
      status: "dead",
      attempts: 3,
      endpointName: "flaky",
      lastStatusCode: 500,
      eventType: "webhook.test",
    });
    expect(JSON.parse(String(dead.body))).toMatchObject({ type: "webhook.test" });
    const log = dead.attemptLog as {
      attempt: number;
      statusCode: number | null;
      latencyMs: number;
      error: string | null;
      responseExcerpt: string | null;
    }[];
    expect(log.map((a) => [a.attempt, a.statusCode, a.latencyMs])).toEqual([
      [1, null, 12],
      [2, 503, 12],
      [3, 500, 12],
    ]);
    expect(log[0]!.error).toBe("network error (ECONNREFUSED)");
    expect(log[1]).toMatchObject({ error: "HTTP 503", responseExcerpt: "busy" });
    expect(log[2]!.responseExcerpt).toHaveLength(1024);
    expect(log[2]!.error).toContain("3 attempts made");

    // The log's filters: status (dead), endpoint by name, creation time.
    const ids = async (query: string) =>
      ((await json(await bed.rest("GET", `/deliveries?${query}`))).items as { id: string }[]).map(
        (d) => d.id,
      );
    expect(await ids("status=dead")).toEqual([queued.id]);
    expect(await ids("endpoint=flaky")).toEqual([queued.id]);
    expect(await ids(`endpoint=${String(hook.id)}&status=pending`)).toEqual([]);
    const created = encodeURIComponent(String(dead.createdAt));
    expect(await ids(`endpoint=flaky&since=${created}`)).toEqual([queued.id]);
    expect(await ids(`endpoint=flaky&until=${created}`)).toEqual([]);
    const badSince = await bed.rest("GET", "/deliveries?since=yesterday");
    expect(badSince.status).toBe(400);
    expect((await json(badSince)).errors).toEqual([expect.objectContaining({ field: "since" })]);

    // Replayed: the same delivery again, its attempts numbered on (4, not 1 again).
    await bed.rest("POST", `/deliveries/${String(queued.id)}/replay`);
    await attemptAll(200, "ok");
    const replayed = await json(await bed.rest("GET", `/deliveries/${String(queued.id)}`));
    expect(replayed).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect((replayed.attemptLog as { attempt: number }[]).map((a) => a.attempt)).toEqual([
      1, 2, 3, 4,
    ]);
    const endpoint = await json(await bed.rest("GET", "/webhook-endpoints/flaky"));
    expect(endpoint.lastDelivery).toMatchObject({
      id: queued.id,
      status: "delivered",
      statusCode: 200,
    });
    expect(endpoint.failingSince).toBeNull();

    // Deleting the endpoint drops its deliveries (an unsent one too) and their attempts.
    await bed.rest("POST", "/webhook-endpoints/flaky/test");
    expect((await json(await bed.rest("GET", "/webhook-endpoints/flaky"))).unsentDeliveries).toBe(
      1,
    );
    const before = await audits();
    const gone = await bed.rest("DELETE", "/webhook-endpoints/flaky");
    expect(gone.status, await gone.clone().text()).toBe(200);
    expect(await json(gone)).toEqual({ id: hook.id, deleted: true, droppedDeliveries: 2 });
    expect(await audits()).toBe(before + 1);
    expect((await bed.rest("GET", `/deliveries/${String(queued.id)}`)).status).toBe(404);
    const left = await bed.db.execute(
      `select count(*)::int as n from delivery_attempt where delivery_id = '${String(queued.id)}'` as never,
    );
    expect((left.rows[0] as { n: number }).n).toBe(0);
    expect((await bed.rest("GET", "/deliveries/not-a-delivery")).status).toBe(404);
  });

  it("scopes an endpoint placed in a location: outside it a 404, as for a missing one", async () => {
    await bed.rest("POST", "/locations", { body: { name: "south", type: "campus" } });
    await bed.rest("POST", "/webhook-endpoints", {
      body: { name: "south-hook", url: "https://hooks.example.com/south", location: "south" },
    });
    const northOps = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "north-admin",
        grants: [{ role: "admin", location: "north" }],
      })
    ).token;
    const southOps = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "south-admin",
        grants: [{ role: "admin", location: "south" }],
      })
    ).token;
    expect(
      (await bed.rest("GET", "/webhook-endpoints/south-hook", { token: northOps })).status,
    ).toBe(404);
    const listed = await json(await bed.rest("GET", "/webhook-endpoints", { token: northOps }));
    expect(listed.items).toEqual([]);
    const patch = await bed.rest("PATCH", "/webhook-endpoints/south-hook", {
      token: northOps,
      body: { enabled: false },
    });
    expect(patch.status).toBe(404);
    const own = await bed.rest("PATCH", "/webhook-endpoints/south-hook", {
      token: southOps,
      body: { label: "South" },
    });
    expect(own.status, await own.clone().text()).toBe(200);
    // A location admin cannot point a rule at an endpoint out of its sight (400, as unknown).
    const south = await json(await bed.rest("GET", "/webhook-endpoints/south-hook"));
    const sneaky = await bed.rest("POST", "/action-rules", {
      token: northOps,
      body: { name: "sneaky", scope: { kind: "location", ref: "north" }, endpointIds: [south.id] },
    });
    expect(sneaky.status).toBe(400);
    const mine = await bed.rest("POST", "/action-rules", {
      token: southOps,
      body: {
        name: "south-rule",
        scope: { kind: "location", ref: "south" },
        endpointIds: [south.id],
      },
    });
    expect(mine.status, await mine.clone().text()).toBe(200);
    expect((await bed.rest("GET", "/action-rules/south-rule", { token: northOps })).status).toBe(
      404,
    );
    expect((await bed.rest("GET", "/action-rules/south-rule", { token: southOps })).status).toBe(
      200,
    );
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
