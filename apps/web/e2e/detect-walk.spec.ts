/**
 * Issue #13's acceptance walk with real parts and short times: a display simulated by
 * apps/simulator, polled by a real node enrolled through the API (its worklist from the stack's
 * web process), its samples ingested and judged by the stack's worker. The template is our own,
 * published at runtime from the official http-json-display with 2 s polls and its `unreachable`
 * rule sustained for 6 s. The display is made unreachable: the alarm opens within sustain + two
 * polls, the system turns red naming the display, the operator acknowledges (audited), the
 * display is reset: the alarm resolves and the system is healthy again, at exact times.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { freePort, spawnManaged, type ManagedProcess } from "@omniglass/infra";
import { rest } from "./seed";
import { readStack, signIn } from "./stack";

const APPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const POLL_MS = 2_000;
const SUSTAIN_MS = 6_000;

interface Alarm {
  id: string;
  lifecycle: "open" | "resolved";
  openedAt: string;
  resolvedAt: string | null;
  acknowledgement: { byName: string | null; comment: string } | null;
  owner: { path: string };
}
interface Transition {
  at: string;
  verdict: string;
  previous: string | null;
  explanation: string;
}

const tag = randomUUID().slice(0, 6);
const site = `detect-${tag}`;
const room = `${site}.room`;
const system = `${room}.av`;
const display = `${room}.display-left`;
const templateName = `walk-display-${tag}`;
const logs: string[] = [];
const processes: ManagedProcess[] = [];
let dir = "";
let controlUrl = "";

const keep = (name: string) => (line: string) => {
  logs.push(`[${name}] ${line}`);
  if (logs.length > 120) logs.shift();
};
const seg = encodeURIComponent;

async function control(method: string, route: string, body?: unknown) {
  const response = await fetch(`${controlUrl}${route}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`simulator ${route}: ${response.status}`);
  return response.json() as Promise<{ port: number; listening: boolean }>;
}

const valueOf = async (signal: string) => {
  const { values } = await rest<{ values: { signal: string; value: unknown }[] }>(
    "GET",
    `/components/${seg(display)}/values`,
  );
  return values.find((v) => v.signal === signal)?.value;
};
const verdictOf = async () =>
  (await rest<{ verdict: string }>("GET", `/systems/${seg(system)}/health`)).verdict;
const openAlarms = async () =>
  (await rest<{ items: Alarm[] }>("GET", `/alarms?owner=${seg(display)}&state=open`)).items;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const { baseUrl, nats } = readStack();
  dir = await mkdtemp(path.join(tmpdir(), "omniglass-detect-walk-"));

  // Our template: the official display's document with 2 s polls, no basic auth (the simulated
  // display is started without credentials) and its `unreachable` rule sustained for 6 s.
  const official = await rest<{ document: Record<string, unknown> }>(
    "GET",
    "/templates/http-json-display",
  );
  const doc = structuredClone(official.document) as {
    name: string;
    version: number;
    label: string;
    interfaces: { name: string; auth?: unknown }[];
    functions: { name: string; interval: string }[];
    rules: { name: string; for?: string }[];
  };
  doc.name = templateName;
  doc.version = 1;
  doc.label = `Display (walk ${tag})`;
  doc.interfaces = doc.interfaces.map(({ auth: _auth, ...rest }) => rest);
  doc.functions = doc.functions.map((f) => (f.name === "info" ? f : { ...f, interval: "2s" }));
  doc.rules = doc.rules.map((r) => (r.name === "unreachable" ? { ...r, for: "6s" } : r));
  await rest("POST", "/templates", { document: doc });

  // The room, its system with a displays role, the display filling it.
  await rest("POST", "/locations", { name: site, type: "campus" });
  await rest("POST", "/locations", { name: "room", type: "room", parent: site });
  await rest("POST", "/systems", { name: "av", type: "meeting-room", location: room });
  await rest("POST", `/systems/${seg(system)}/roles`, {
    name: "displays",
    accepts: ["display"],
    quorum: 1,
    impact: "outage",
  });
  await rest("POST", "/components", {
    name: "display-left",
    location: room,
    template: templateName,
    system,
    role: "displays",
  });

  // The simulated display on a free port.
  const simulator = spawnManaged(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "--fleet-json",
      JSON.stringify([{ id: "display-left", kind: "http-display", port: await freePort() }]),
      "--control-port",
      "0",
    ],
    { cwd: path.join(APPS, "simulator"), onLine: keep("simulator") },
  );
  processes.push(simulator);
  await expect
    .poll(() => /ready control=(http:\/\/[\d.:]+)/.exec(logs.join("\n"))?.[1] ?? "", {
      timeout: 20_000,
    })
    .not.toBe("");
  controlUrl = /ready control=(http:\/\/[\d.:]+)/.exec(logs.join("\n"))![1]!;
  const device = await control("GET", "/devices/display-left");

  // A node enrolled through the API, polling both interfaces of the display.
  const node = `walk-node-${tag}`;
  const created = await rest<{ enrollmentToken: string }>("POST", "/nodes", {
    name: node,
    location: site,
    expiresInHours: 1,
  });
  const { version } = await rest<{ version: number }>("GET", `/components/${seg(display)}`);
  await rest("PATCH", `/components/${seg(display)}`, {
    ref: display,
    version,
    interfaces: [
      { name: "http", node, host: "127.0.0.1", port: device.port },
      { name: "ping", node, host: "127.0.0.1", port: device.port },
    ],
  });
  processes.push(
    spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: path.join(APPS, "node"),
      env: {
        ...process.env,
        OMNIGLASS_URL: baseUrl,
        NATS_URL: `nats://127.0.0.1:${nats.port}`,
        OMNIGLASS_NODE_STATE_DIR: path.join(dir, "node"),
        OMNIGLASS_ENROLLMENT_TOKEN: created.enrollmentToken,
        OMNIGLASS_NODE_HEARTBEAT_MS: "1000",
        OMNIGLASS_WORKLIST_REFRESH_MS: "1000",
        OMNIGLASS_BATCH_MS: "100",
        OMNIGLASS_NODE_METRICS_PORT: "0",
      },
      onLine: keep("node"),
    }),
  );

  // Polled and judged: reachable, and the system healthy.
  await expect
    .poll(() => valueOf("reachable"), { timeout: 30_000, message: logs.slice(-20).join("\n") })
    .toBe(true);
  await expect.poll(verdictOf, { timeout: 15_000 }).toBe("healthy");
});

test.afterAll(async () => {
  for (const p of processes.reverse()) await p.stop(5_000).catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("a display made unreachable opens its alarm in time, turns its system red, and the reset brings health back at exact times", async ({
  page,
}) => {
  test.setTimeout(80_000);
  const { baseUrl } = readStack();
  await signIn(page, `/systems/${seg(system)}`);
  const panel = page.getByTestId("health-panel");
  await expect(panel.getByTestId("health").first()).toHaveAttribute("data-verdict", "healthy");

  // The fault, then the alarm: fired no sooner than the sustain, within sustain + two polls.
  const faultAt = Date.now();
  expect(
    (await control("POST", "/devices/display-left/faults", { unreachable: true })).listening,
  ).toBe(false);
  await expect.poll(async () => (await openAlarms()).length, { timeout: 25_000 }).toBe(1);
  const seenOpenAt = Date.now();
  const [alarm] = await openAlarms();
  const openedAt = Date.parse(alarm!.openedAt);
  test.info().annotations.push({
    type: "alarm opened after the fault",
    description: `${openedAt - faultAt} ms (seen over REST after ${seenOpenAt - faultAt} ms)`,
  });
  expect(openedAt - faultAt).toBeGreaterThanOrEqual(SUSTAIN_MS);
  expect(openedAt - faultAt).toBeLessThanOrEqual(SUSTAIN_MS + 2 * POLL_MS);

  // The queue shows it in the new lane.
  await page.goto(`${baseUrl}/alarms?owner=${seg(site)}`);
  const row = page
    .getByTestId("lane-new")
    .locator(`[data-testid="alarm-row"][data-owner="${display}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-severity]")).toHaveText("critical");

  // The system page: outage, the cause naming the display.
  await page.goto(`${baseUrl}/systems/${seg(system)}`);
  await expect(async () => {
    await page.reload();
    await expect(panel.getByTestId("health").first()).toHaveAttribute("data-verdict", "outage", {
      timeout: 2_000,
    });
  }).toPass({ timeout: 15_000 });
  await expect(panel.getByTestId("health-explanation")).toContainText("display-left");

  // Acknowledge from the alarm's page, through the dialog; the audit log has it.
  await page.goto(`${baseUrl}/alarms/${alarm!.id}`);
  await page.getByRole("button", { name: "Acknowledge" }).click();
  const dialog = page.getByRole("dialog", { name: "Acknowledge 1 alarm" });
  await dialog.getByLabel(/^Comment/).fill("Walking to the room");
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(
    page.locator('[data-testid="timeline-event"][data-kind="acknowledged"]'),
  ).toContainText("Walking to the room");
  const audit = await rest<{ items: { verb: string; actorName: string | null }[] }>(
    "GET",
    `/audit-log?resource=alarm&resource_id=${alarm!.id}&verb=acknowledge`,
  );
  expect(audit.items.map((e) => [e.verb, e.actorName])).toEqual([
    ["acknowledge", readStack().owner.username],
  ]);

  // Reset: the clearing sample resolves the alarm and the system is healthy again.
  const resetAt = Date.now();
  await control("POST", "/devices/display-left/reset");
  const resolved = await expect
    .poll(async () => (await rest<Alarm>("GET", `/alarms/${alarm!.id}`)).lifecycle, {
      timeout: 15_000,
    })
    .toBe("resolved")
    .then(() => rest<Alarm>("GET", `/alarms/${alarm!.id}`));
  const seenResolvedAt = Date.now();
  const resolvedAt = Date.parse(resolved.resolvedAt!);
  test.info().annotations.push({
    type: "alarm resolved after the reset",
    description: `${resolvedAt - resetAt} ms`,
  });
  expect(resolvedAt).toBeGreaterThanOrEqual(resetAt);
  expect(resolvedAt - resetAt).toBeLessThanOrEqual(2 * POLL_MS + 1_000);
  expect(resolved.acknowledgement?.comment).toBe("Walking to the room");

  await page.goto(`${baseUrl}/alarms?owner=${seg(site)}`);
  await expect(
    page
      .getByTestId("lane-resolved")
      .locator(`[data-testid="alarm-row"][data-alarm="${alarm!.id}"]`),
  ).toBeVisible();
  await page.goto(`${baseUrl}/systems/${seg(system)}`);
  await expect(panel.getByTestId("health").first()).toHaveAttribute("data-verdict", "healthy");

  // The two transitions, exact: red when the alarm committed, healthy when it resolved.
  const { transitions } = await rest<{ transitions: Transition[] }>(
    "GET",
    `/systems/${seg(system)}/health/history?from=${new Date(faultAt).toISOString()}`,
  );
  const red = transitions.filter((t) => t.previous === "healthy" && t.verdict === "outage");
  const green = transitions.filter((t) => t.previous === "outage" && t.verdict === "healthy");
  expect(red, JSON.stringify(transitions)).toHaveLength(1);
  expect(green, JSON.stringify(transitions)).toHaveLength(1);
  const redAt = Date.parse(red[0]!.at);
  const greenAt = Date.parse(green[0]!.at);
  test.info().annotations.push({
    type: "transitions",
    description: `outage at ${red[0]!.at} (alarm opened ${alarm!.openedAt}), healthy at ${green[0]!.at} (resolved ${resolved.resolvedAt})`,
  });
  expect(red[0]!.explanation).toContain("display-left");
  expect(redAt).toBeGreaterThanOrEqual(openedAt);
  expect(redAt).toBeLessThanOrEqual(seenOpenAt);
  expect(greenAt).toBeGreaterThanOrEqual(resolvedAt);
  expect(greenAt).toBeLessThanOrEqual(seenResolvedAt);
  // Nothing else moved in between: the last transition is the return to healthy.
  expect(transitions[0]).toEqual(green[0]);
});
