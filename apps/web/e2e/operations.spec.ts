import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { connectBus, publishJson, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { NodeHeartbeat, type FunctionRun } from "@omniglass/contracts";
import { readStack, signIn } from "./stack";

/*
 * The collectors & workers page and the schedules page (issue #16): a node whose heartbeat (as
 * apps/node sends it, on the presence lane the stack's worker stores) reports one function ok,
 * one failing for an hour and none of the third; a second node whose last beat is 25 s old.
 */

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

let bus: BusConnection;
test.beforeAll(() => {
  bus = connectBus({
    servers: `nats://127.0.0.1:${readStack().nats.port}`,
    name: "e2e-operations",
  });
});
test.afterAll(async () => {
  await bus.close();
});

test("collectors and schedules say what runs, what fails and what nothing runs", async ({
  page,
}) => {
  const site = `ops-${randomUUID().slice(0, 6)}`;
  await call("POST", "/locations", { name: site, type: "campus" });
  const name = `edge-${randomUUID().slice(0, 6)}`;
  const quiet = `edge-${randomUUID().slice(0, 6)}`;
  const node = await call<{ id: string }>("POST", "/nodes", { name, location: site });
  const quietNode = await call<{ id: string }>("POST", "/nodes", { name: quiet, location: site });
  const component = await call<{ id: string; path: string }>("POST", "/components", {
    name: "display",
    location: site,
    template: "http-json-display",
    node: name,
    address: "127.0.0.1",
  });

  const now = Date.now();
  const at = (ms: number) => new Date(now - ms).toISOString();
  const run = (fn: string, overrides: Partial<FunctionRun> = {}): FunctionRun => ({
    key: `${component.id}/http/${fn}`,
    component: component.path,
    fn,
    intervalMs: 30_000,
    lastRunAt: at(2_000),
    lastResult: "ok",
    lastError: null,
    lastSuccessAt: at(2_000),
    consecutiveFailures: 0,
    nextRunAt: at(-28_000),
    runningSince: null,
    ...overrides,
  });
  const runs = [
    run("status"),
    run("info", {
      lastResult: "error",
      lastError: "HTTP 503 from /api/info",
      consecutiveFailures: 120,
      lastSuccessAt: at(3_600_000),
    }),
  ];
  const beat = (nodeId: string, beatAt: string) => ({
    nodeId,
    version: "0.1.0",
    hostname: "edge-box",
    startedAt: at(600_000),
    beatAt,
    intervalMs: 10_000,
    worklistEtag: "w1",
    tasks: 1,
    functions: runs.length,
    running: 0,
    buffered: 0,
    published: 10,
    lastError: null,
    schedule: {
      total: 2,
      ok: 1,
      failing: 1,
      neverRun: 0,
      running: 0,
      overdue: 0,
      truncated: false,
      functions: runs,
    },
    currentWork: null,
    natsServer: "127.0.0.1:4222",
  });
  const nc = await bus.ready();
  await publishJson(nc, SUBJECTS.nodePresence(node.id), NodeHeartbeat, beat(node.id, at(0)), {
    msgId: `e2e-ops-${node.id}`,
  });
  await publishJson(
    nc,
    SUBJECTS.nodePresence(quietNode.id),
    NodeHeartbeat,
    beat(quietNode.id, at(25_000)),
    { msgId: `e2e-ops-${quietNode.id}` },
  );

  await signIn(page, "/operations");
  await expect(page.getByRole("heading", { name: "Collectors & workers" })).toBeVisible();
  await expect(page.getByTestId("collectors-source")).toContainText("heartbeats");
  const row = page.locator(`[data-testid="collector-row"][id="node-${node.id}"]`);
  await expect(row).toHaveAttribute("data-state", "degraded", { timeout: 15_000 });
  await expect(row.getByTestId("reason")).toContainText(
    "1 of 2 functions failing: HTTP 503 from /api/info",
  );
  await expect(row).toContainText("NATS 127.0.0.1:4222");
  // A missed beat: stale, amber, never green.
  const quietRow = page.locator(`[data-testid="collector-row"][id="node-${quietNode.id}"]`);
  await expect(quietRow).toHaveAttribute("data-state", /stale|down/);
  await expect(quietRow.getByTestId("reason")).toContainText("ago");
  // The stack's worker, heartbeating.
  await expect(page.locator('[data-testid="worker-row"]').first()).toHaveAttribute(
    "data-state",
    /idle|busy|degraded/,
  );
  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/nodes/${node.id}$`));

  await page.goto(`${readStack().baseUrl}/schedules`);
  await expect(page.getByRole("heading", { name: "Schedules" })).toBeVisible();
  const fnRow = (fn: string) =>
    page
      .locator('[data-testid="schedule-row"][data-kind="function"]')
      .filter({ hasText: `${component.path} › ${fn}` });
  await expect(fnRow("http/info")).toHaveAttribute("data-state", "failing");
  await expect(fnRow("http/info")).toHaveAttribute("data-drift", "true");
  await expect(fnRow("http/info").getByTestId("reason")).toContainText("last success 1 h ago");
  await expect(fnRow("ping/reachability")).toHaveAttribute("data-state", "no-runner");
  await expect(fnRow("http/status")).toHaveAttribute("data-state", "ok");
  // The stack's worker runs the clock jobs.
  await expect(
    page
      .locator('[data-testid="schedule-row"][data-kind="job"]')
      .filter({ hasText: "stale" })
      .first(),
  ).toHaveAttribute("data-state", /ok|running/);
  // Drift first: no healthy row above a drifted one.
  const drifts = await page
    .locator('[data-testid="schedule-row"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-drift")));
  expect(drifts.indexOf("true")).toBe(0);
  expect(drifts.lastIndexOf("true")).toBeLessThan(drifts.indexOf("false"));
  await expect(page.getByTestId("schedules-source")).toContainText("heartbeats");
});
