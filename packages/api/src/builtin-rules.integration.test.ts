import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Rule } from "@omniglass/contracts";
import { COLLECTOR_DOWN_RULE_ID, unsafeEnsureCollectorRule } from "@omniglass/gateway";
import { createTestbed, type Testbed } from "./testbed";

/*
 * The built-in collector-down rule over REST (issue #13 §4): the clock creates it; it is listed
 * with origin builtin and owner kind node, and it is read-only (not changed, not deleted).
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

  const rest = async (method: string, path: string, body?: unknown) => {
    const response = await bed.rest(method, path, body === undefined ? {} : { body });
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
});
