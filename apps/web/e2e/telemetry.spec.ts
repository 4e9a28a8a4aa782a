import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { connectBus, publishJson, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { NodeHeartbeat, SampleBatch } from "@omniglass/contracts";
import { readStack, signIn } from "./stack";

/** The REST API as the bootstrapped owner, failing loudly on anything unexpected. */
async function call<T>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const { baseUrl, owner } = readStack();
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status !== status && !(status === 200 && response.ok)) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** A display on its own campus, so runs do not see each other's values. */
async function makeDisplay() {
  const site = `telemetry-${randomUUID().slice(0, 6)}`;
  await call("POST", "/locations", { name: site, type: "campus" });
  const component = await call<{ id: string; path: string }>("POST", "/components", {
    name: "display",
    location: site,
    template: "http-json-display",
  });
  return component;
}

/** Pushes samples over REST; the web process tells the live relay after the commit. */
async function push(componentId: string, samples: { signal: string; value: unknown; ts: Date }[]) {
  const result = await call<{ accepted: number; rejected: unknown[] }>(
    "POST",
    "/samples",
    {
      samples: samples.map((s) => ({
        owner: componentId,
        signal: s.signal,
        value: s.value,
        ts: s.ts.toISOString(),
        expectedInterval: 30,
      })),
    },
    202,
  );
  expect(result).toEqual({ accepted: samples.length, rejected: [] });
}

let bus: BusConnection;
test.beforeAll(() => {
  bus = connectBus({ servers: `nats://127.0.0.1:${readStack().nats.port}`, name: "e2e-telemetry" });
});
test.afterAll(async () => {
  await bus.close();
});

test("the live relay answers only a signed-in caller, for an owner it may read", async () => {
  const { baseUrl } = readStack();
  const display = await makeDisplay();
  const anonymous = await fetch(`${baseUrl}/api/live/values?owner=${display.id}`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("content-type")).toBe("application/problem+json");

  const { owner } = readStack();
  const auth = { authorization: `Bearer ${owner.token}` };
  const missing = await fetch(`${baseUrl}/api/live/values?owner=${randomUUID()}`, {
    headers: auth,
  });
  expect(missing.status).toBe(404);
  const invalid = await fetch(`${baseUrl}/api/live/values?owner=x&kind=planet`, { headers: auth });
  expect(invalid.status).toBe(400);

  // A stream: the ready event first, then each change published for this owner.
  const abort = new AbortController();
  const stream = await fetch(`${baseUrl}/api/live/values?owner=${display.id}`, {
    headers: auth,
    signal: abort.signal,
  });
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const readUntil = async (needle: string) => {
    const deadline = Date.now() + 10_000;
    while (!text.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`no ${needle} in ${JSON.stringify(text)}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${needle}: ${JSON.stringify(text)}`);
      text += decoder.decode(value);
    }
  };
  await readUntil("event: ready");
  await push(display.id, [{ signal: "temperature", value: 40, ts: new Date() }]);
  await readUntil("event: values");
  expect(text).toContain(`"ownerId":"${display.id}"`);
  abort.abort();
});

test("a component's page shows live values that update without reload, and their history", async ({
  page,
}) => {
  const display = await makeDisplay();
  const now = Date.now();
  await push(display.id, [
    { signal: "temperature", value: 40.5, ts: new Date(now - 60_000) },
    { signal: "temperature", value: 41, ts: new Date(now - 40_000) },
    { signal: "temperature", value: 41.5, ts: new Date(now - 20_000) },
    { signal: "power-state", value: "on", ts: new Date(now - 20_000) },
  ]);

  await signIn(page, `/components/${encodeURIComponent(display.path)}`);
  const panel = page.getByRole("region", { name: "Live values" });
  const temperature = panel.locator('[data-testid="live-value"][data-signal="temperature"]');
  await expect(temperature.getByTestId("value")).toHaveText("41.5 °C");
  await expect(temperature.locator("[data-status]")).toHaveText("fresh");
  await expect(temperature.getByTestId("age")).toContainText("s ago");
  await expect(temperature).toContainText("pushed");
  const power = panel.locator('[data-testid="live-value"][data-signal="power-state"]');
  await expect(power.getByTestId("value")).toHaveText("on");
  // A signal of the template never seen yet reads as unknown, in words as well as colour.
  await expect(
    panel.locator('[data-testid="live-value"][data-signal="volume"] [data-status]'),
  ).toHaveText("unknown");
  await expect(panel.getByTestId("live-state")).toHaveAttribute("data-state", "live");

  // A new value arrives: the page shows it without navigating (the marker survives).
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));
  const navigations: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await push(display.id, [
    { signal: "temperature", value: 47.25, ts: new Date() },
    { signal: "power-state", value: "standby", ts: new Date() },
  ]);
  await expect(temperature.getByTestId("value")).toHaveText("47.3 °C", { timeout: 5_000 });
  await expect(power.getByTestId("value")).toHaveText("standby");
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
    "same page",
  );
  expect(navigations).toEqual([]);

  // The history: a chart of the four temperature samples, then a wider range.
  await temperature.getByRole("button", { name: "History of Temperature" }).click();
  const history = page.getByRole("region", { name: "History of Temperature" });
  const chart = history.getByTestId("history-chart");
  await expect(chart).toHaveAttribute("data-points", "4");
  await expect(chart.getByTestId("chart-point")).toHaveCount(4);
  await history.getByRole("button", { name: "24 h" }).click();
  await expect(history.getByRole("button", { name: "24 h" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(chart).toHaveAttribute("data-points", "4");

  // A property's history reads as its changes.
  await power.getByRole("button", { name: "History of Power state" }).click();
  const powerHistory = page.getByRole("region", { name: "History of Power state" });
  await expect(powerHistory.getByTestId("property-change")).toHaveCount(2);
  await expect(powerHistory.getByTestId("property-change").first()).toContainText("standby");
});

test("a node's samples reach the open page through the worker, and turn stale there", async ({
  page,
}) => {
  const site = `observed-${randomUUID().slice(0, 6)}`;
  await call("POST", "/locations", { name: site, type: "campus" });
  const node = await call<{ id: string; name: string }>("POST", "/nodes", {
    name: `edge-${randomUUID().slice(0, 6)}`,
    location: site,
  });
  const display = await call<{ id: string; path: string }>("POST", "/components", {
    name: "display",
    location: site,
    template: "http-json-display",
    node: node.name,
  });
  await signIn(page, `/components/${encodeURIComponent(display.path)}`);
  const panel = page.getByRole("region", { name: "Live values" });
  await expect(panel.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  const temperature = panel.locator('[data-testid="live-value"][data-signal="temperature"]');
  await expect(temperature.locator("[data-status]")).toHaveText("unknown");

  // As apps/node publishes: a batch on og.v1.samples.<node>. The template polls status every
  // 30 s, so a reading taken 50 s ago is fresh for 10 s more (stale past twice the interval).
  const ts = Date.now() - 50_000;
  await publishJson(
    await bus.ready(),
    SUBJECTS.samples(node.id),
    SampleBatch,
    {
      node: node.id,
      batchId: `e2e-${randomUUID()}`,
      samples: [{ component: display.id, signal: "temperature", instance: "", ts, value: 38.2 }],
      rejections: [],
    },
    { msgId: `e2e-${randomUUID()}` },
  );
  await expect(temperature.getByTestId("value")).toHaveText("38.2 °C", { timeout: 8_000 });
  await expect(temperature).toContainText("observed");
  // The worker's stale pass turns it stale, and the page follows without reload.
  await expect(temperature.locator("[data-status]")).toHaveText("stale", { timeout: 20_000 });
});

test("rejected samples are counted on the component's page", async ({ page }) => {
  const display = await makeDisplay();
  const result = await call<{ accepted: number; rejected: { signal: string; reason: string }[] }>(
    "POST",
    "/samples",
    {
      samples: [
        { owner: display.id, signal: "temperature", value: "hot" },
        { owner: display.id, signal: "temperature", value: 40 },
      ],
    },
    202,
  );
  expect(result.accepted).toBe(1);
  expect(result.rejected).toMatchObject([{ signal: "temperature", reason: "invalid-value" }]);
  await signIn(page, `/components/${encodeURIComponent(display.path)}`);
  const rejected = page.getByRole("region", { name: "Rejected samples" });
  const row = rejected.locator('[data-testid="rejection"][data-signal="temperature"]');
  await expect(row).toHaveAttribute("data-reason", "invalid-value");
  await expect(row.getByTestId("count")).toHaveText("1");
});

test("the node pages show liveness, current work and the last error from its heartbeat", async ({
  page,
}) => {
  const site = `nodes-${randomUUID().slice(0, 6)}`;
  await call("POST", "/locations", { name: site, type: "campus" });
  const name = `edge-${randomUUID().slice(0, 6)}`;
  const node = await call<{ id: string }>("POST", "/nodes", { name, location: site });
  await signIn(page, "/nodes");
  const row = page.locator(`[data-testid="node-row"][data-name="${name}"]`);
  await expect(row.locator("[data-status]")).toHaveText("never");
  await expect(row).toContainText("never seen");
  await expect(row.getByTestId("rejected")).toHaveText("0");

  // The node beats (as apps/node does, on the presence lane the worker consumes).
  const beatAt = new Date();
  await publishJson(
    await bus.ready(),
    SUBJECTS.nodePresence(node.id),
    NodeHeartbeat,
    {
      nodeId: node.id,
      version: "0.1.0",
      hostname: "edge-box",
      startedAt: new Date(beatAt.getTime() - 60_000).toISOString(),
      beatAt: beatAt.toISOString(),
      intervalMs: 10_000,
      worklistEtag: "w1",
      tasks: 2,
      functions: 5,
      running: 1,
      buffered: 3,
      published: 120,
      lastError: { message: "display-1: connection refused", at: beatAt.toISOString() },
    },
    { msgId: `e2e-beat-${node.id}` },
  );
  // The list reads its nodes again by itself: online, with its work and error, no reload.
  await expect(row.locator("[data-status]")).toHaveText("online", { timeout: 15_000 });
  await expect(row).toContainText("last seen");
  await expect(row).toContainText("2 tasks, 5 functions, 1 running, 3 buffered");
  await expect(row).toContainText("display-1: connection refused");

  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/nodes/${name}$`));
  await expect(page.getByTestId("liveness").locator("[data-status]")).toHaveText("online");
  await expect(page.getByRole("region", { name: "Current work" })).toContainText("2 interfaces");
  await expect(page.getByTestId("buffered")).toHaveText("3");
  await expect(page.getByTestId("last-error")).toContainText("display-1: connection refused");
  await expect(page.getByRole("region", { name: "Rejected samples" })).toContainText(
    "0 samples refused",
  );
});
