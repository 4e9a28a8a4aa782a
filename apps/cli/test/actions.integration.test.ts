import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectDatabase,
  unsafeClaimDueDeliveries,
  unsafeRecordDeliveryAttempt,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/*
 * `omniglass endpoint`, `omniglass action-rule` and `omniglass delivery` against the real API: an
 * endpoint created (its secret printed once), refused a loopback URL naming the field, tested
 * with --wait while a stand-in for the worker's delivery lane answers (first 503, then a replay
 * delivered), updated with a stale version (409), rotated; an action rule created by names,
 * listed with endpoint names, its matchers merged on update, deleted; the endpoint's delete
 * refused while a rule names it, then done.
 */
describe("omniglass endpoint, action-rule and delivery", () => {
  let harness: InProcessCli;
  let handle: DatabaseHandle;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await cli(...args, "--json");
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as T;
  };
  /** The worker's part: every due delivery attempted once, answered with `status`. */
  let answer = 200;
  let lane: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const attemptDue = async () => {
    for (const d of await unsafeClaimDueDeliveries(handle.db, { secretKey: harness.secretKey }))
      await unsafeRecordDeliveryAttempt(handle.db, d, {
        result: { kind: "response", status: answer },
        latencyMs: 42,
        excerpt: answer === 200 ? "thanks" : "try later",
        schedule: [0, 3_600_000],
        random: () => 0.5,
      });
  };

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    handle = connectDatabase({ url: harness.databaseUrl, max: 2 });
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    await cli("location", "create", "--name", "hq", "--type", "campus");
    const tick = () => {
      lane = setTimeout(() => {
        running = attemptDue().finally(() => {
          if (!stopped) tick();
        });
      }, 100);
    };
    tick();
    const rule = await cli(
      "rule",
      "create",
      ...["--name", "hq-down", "--severity", "critical", "--fire", 'signals["reachable"] == false'],
    );
    expect(rule.code, rule.err).toBe(0);
  });
  afterAll(async () => {
    stopped = true;
    if (lane) clearTimeout(lane);
    await running;
    await handle.close();
    await harness.stop();
  });

  it("creates an endpoint (secret once), tests it with --wait, reads the attempts, replays", async () => {
    const loop = await cli(
      "endpoint",
      "create",
      ...["--name", "local", "--webhook-url", "http://127.0.0.1:9/hook"],
    );
    expect(loop.code).not.toBe(0);
    expect(loop.err).toMatch(/url/);
    const made = await cli(
      "endpoint",
      "create",
      ...["--name", "pager", "--webhook-url", "https://hooks.example.com/og", "--location", "hq"],
    );
    expect(made.code, made.err).toBe(0);
    expect(made.out).toMatch(/secret\s+whsec_/);
    const listed = await cli("endpoint", "list");
    expect(listed.out).toMatch(/pager\s+https:\/\/hooks\.example\.com\/og\s+enabled/);
    expect(listed.out).not.toContain("whsec_");
    expect((await cli("endpoint", "show", "pager")).out).not.toContain("whsec_");

    answer = 503;
    const tested = await cli("endpoint", "test", "pager", "--wait", "10");
    expect(tested.code, tested.err).toBe(0);
    expect(tested.out).toMatch(/status\s+failed/);
    expect(tested.out).toMatch(/ATTEMPT\s+AT\s+CODE\s+LATENCY\s+ERROR\s+ANSWER/);
    expect(tested.out).toMatch(/1\s+\S+\s+503\s+42 ms\s+HTTP 503\s+try later/);
    const id = /id\s+(msg_[0-9a-f]{32})/.exec(tested.out)![1]!;

    const failed = await cli("delivery", "list", "--status", "failed", "--endpoint", "pager");
    expect(failed.out).toContain(id);
    expect(failed.out).toMatch(/pager\s+webhook\.test\s+-\s+failed\s+1\s+503\s+42 ms/);
    expect((await cli("delivery", "list", "--status", "delivered")).out).not.toContain(id);
    const bad = await cli("delivery", "list", "--since", "last tuesday");
    expect(bad.code).not.toBe(0);

    answer = 200;
    const replayed = await cli("delivery", "replay", id);
    expect(replayed.code, replayed.err).toBe(0);
    expect(replayed.out).toBe(`replayed ${id} (pager): pending`);
    await expect
      .poll(async () => (await json<{ status: string }>("delivery", "get", id)).status)
      .toBe("delivered");
    const detail = await json<{ attemptLog: { attempt: number; statusCode: number }[] }>(
      "delivery",
      "get",
      id,
    );
    expect(detail.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    const shown = await cli("delivery", "show", id);
    expect(shown.out).toMatch(/2\s+\S+\s+200\s+42 ms\s+-\s+thanks/);
    const range = await cli(
      "delivery",
      "replay",
      ...["--from", new Date(Date.now() - 60_000).toISOString()],
      ...["--to", new Date(Date.now() + 1_000).toISOString(), "--endpoint", "pager"],
    );
    expect(range.out).toBe("replayed 1 deliveries");
    const both = await cli("delivery", "replay", id, "--from", "2026-01-01T00:00:00Z");
    expect(both.code).not.toBe(0);

    const rotated = await cli("endpoint", "rotate-secret", "pager");
    expect(rotated.out).toMatch(/secret\s+whsec_/);
    expect(rotated.err).toMatch(/not shown again/);
    const stale = await cli("endpoint", "update", "pager", "--label", "Pager", "--version", "1");
    expect(stale.code).not.toBe(0);
    expect(stale.err).toMatch(/version/);
    const off = await json<{ enabled: boolean; disabledReason: string }>(
      "endpoint",
      "update",
      "pager",
      "--enabled",
      "false",
    );
    expect(off).toMatchObject({ enabled: false, disabledReason: "Disabled by hand" });
    expect((await cli("endpoint", "list")).out).toMatch(/pager .*disabled: Disabled by hand/);
    const refused = await cli("endpoint", "test", "pager");
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/disabled/);
    await cli("endpoint", "update", "pager", "--enabled", "true");
  });

  it("creates an action rule by names, merges matchers on update, and guards the endpoint's delete", async () => {
    const bad = await cli(
      "action-rule",
      "create",
      ...["--name", "pages", "--endpoints", "pager", "--severities", "loud"],
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--severities: loud/);
    const missing = await cli("action-rule", "create", "--name", "pages", "--endpoints", "nope");
    expect(missing.code).not.toBe(0);
    const made = await json<{ scope: { kind: string; ref: string }; matchers: object }>(
      "action-rule",
      "create",
      ...["--name", "pages", "--endpoints", "pager", "--scope", "location:hq"],
      ...["--severities", "critical,warning", "--kinds", "opened,reopened", "--rules", "hq-down"],
    );
    expect(made.scope).toMatchObject({ kind: "location", ref: "hq" });
    expect(made.matchers).toMatchObject({
      severities: ["critical", "warning"],
      kinds: ["opened", "reopened"],
      ruleIds: [expect.any(String)],
    });
    const listed = await cli("action-rule", "list", "--endpoint", "pager");
    expect(listed.out).toMatch(
      /pages\s+true\s+location:hq\s+severities=critical,warning kinds=opened,reopened rules=1 suppressed=false\s+pager/,
    );
    const updated = await json<{ matchers: Record<string, unknown>; version: number }>(
      "action-rule",
      "update",
      "pages",
      ...["--suppressed", "any", "--kinds", "any", "--version", "1"],
    );
    // Merged: severities and rules kept, kinds removed, suppressed set.
    expect(updated.matchers).toEqual({
      severities: ["critical", "warning"],
      ruleIds: [expect.any(String)],
      suppressed: "any",
    });
    expect(updated.version).toBe(2);

    const guarded = await cli("endpoint", "delete", "pager");
    expect(guarded.code).not.toBe(0);
    expect(guarded.err).toMatch(/pages/);
    expect((await cli("action-rule", "delete", "pages")).code).toBe(0);
    expect((await cli("action-rule", "show", "pages")).code).not.toBe(0);
    const deleted = await cli("endpoint", "delete", "pager");
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toMatch(/^deleted pager/);
    expect((await cli("delivery", "list")).out).toMatch(/^\(0\)/m);
  });
});
