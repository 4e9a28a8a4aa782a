import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlarmDetail, type Rule } from "@omniglass/contracts";
import {
  COLLECTOR_DOWN_RULE_ID,
  unsafeEnsureCollectorRule,
  unsafeRecordNodeHeartbeat,
  unsafeSyncNodeAlarms,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * The built-in collector-down rule over REST (issue #13 §4): the clock creates it; it is listed
 * with origin builtin, and it is read-only (not changed, not deleted). Its node alarms are listed
 * like any other, scoped by the node's location, and acknowledged (audited at that location).
 */
describe("the built-in collector-down rule over REST", () => {
  let bed: Testbed;

  beforeAll(async () => {
    bed = await createTestbed();
    await unsafeEnsureCollectorRule(bed.db);
    await unsafeEnsureCollectorRule(bed.db); // idempotent: still one row
  });
  afterAll(async () => {
    await bed.close();
  });

  const rest = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await bed.rest(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(token === undefined ? {} : { token }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("is listed with origin builtin, and refuses changes and deletion", async () => {
    const list = await rest("GET", "/rules?filter=origin%3Dbuiltin");
    expect(list.status).toBe(200);
    const items = list.body.items as Rule[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: COLLECTOR_DOWN_RULE_ID,
      name: "collector-down",
      origin: "builtin",
      severity: "critical",
      sustainSeconds: 0,
      scope: { kind: "all", ref: null },
      template: null,
    });
    const edit = await rest("PATCH", `/rules/${COLLECTOR_DOWN_RULE_ID}`, {
      severity: "info",
      version: items[0]!.version,
    });
    expect(edit.status).toBe(403);
    expect(String(edit.body.detail)).toMatch(/built-in rule and read-only/);
    const gone = await rest("DELETE", `/rules/${COLLECTOR_DOWN_RULE_ID}`);
    expect(gone.status).toBe(403);
    const again = await rest("GET", `/rules/${COLLECTOR_DOWN_RULE_ID}`);
    expect(again).toMatchObject({ status: 200, body: { origin: "builtin", version: 1 } });
  });

  it("a node that stopped heartbeating has one open alarm, listed by owner and scoped by its location", async () => {
    await rest("POST", "/locations", { name: "site", type: "campus" });
    for (const name of ["north", "south"])
      await rest("POST", "/locations", { name, type: "building", parent: "site" });
    const created = await rest("POST", "/nodes", { name: "edge-north", location: "site.north" });
    expect(created.status).toBe(200);
    const nodeId = (created.body as { id: string }).id;
    const beatAt = new Date(Date.now() - 60_000).toISOString();
    await unsafeRecordNodeHeartbeat(bed.db, {
      nodeId,
      version: "test",
      hostname: "edge",
      startedAt: beatAt,
      beatAt,
      intervalMs: 10_000,
      worklistEtag: null,
      tasks: 0,
      functions: 0,
      running: 0,
      buffered: 0,
      published: 0,
      lastError: null,
    });
    await unsafeSyncNodeAlarms(bed.db);

    const list = await rest("GET", "/alarms?state=open&owner=site.north");
    expect(list.status).toBe(200);
    const items = list.body.items as AlarmDetail[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      rule: { id: COLLECTOR_DOWN_RULE_ID, name: "collector-down", origin: "builtin" },
      owner: { kind: "node", id: nodeId, path: "edge-north" },
      severity: "critical",
      lifecycle: "open",
    });
    expect(list.body.totalSize).toBe(1);
    const byNode = await rest("GET", "/alarms?owner=edge-north");
    expect((byNode.body.items as AlarmDetail[]).map((a) => a.id)).toEqual([items[0]!.id]);

    // An operator of the other building sees nothing of it; one of its building acknowledges it.
    const south = await createTestPrincipal(bed.databaseUrl, {
      name: "op-south",
      grants: [{ role: "operator", location: "site.south" }],
    });
    const north = await createTestPrincipal(bed.databaseUrl, {
      name: "op-north",
      grants: [{ role: "operator", location: "site.north" }],
    });
    const hidden = await rest("GET", "/alarms?state=open", undefined, south.token);
    expect((hidden.body.items as AlarmDetail[]).map((a) => a.id)).not.toContain(items[0]!.id);
    expect((await rest("GET", `/alarms/${items[0]!.id}`, undefined, south.token)).status).toBe(404);
    const ack = await rest(
      "POST",
      `/alarms/${items[0]!.id}/acknowledge`,
      { comment: "replacing the edge box" },
      north.token,
    );
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ acknowledgement: { comment: "replacing the edge box" } });
    const detail = await rest("GET", `/alarms/${items[0]!.id}`, undefined, north.token);
    expect((detail.body.timeline as { kind: string }[]).map((e) => e.kind)).toEqual([
      "fired",
      "acknowledged",
    ]);
  });
});
