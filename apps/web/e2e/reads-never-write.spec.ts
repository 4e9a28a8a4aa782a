/**
 * Reads never write, in the browser (issue #16 item 7; the command-center seed's "no hidden side
 * effects on read"): an operator signs in and visits every console page — the list is read from
 * `app/(console)/**\/page.tsx` (and `app/page.tsx`) at test time, so a page added later is covered
 * without touching this file — each dynamic segment filled with a real ref of a seeded estate; the
 * database fingerprint before and after differs in nothing but the session bookkeeping.
 *
 * The shared stack runs a worker whose clock passes write (heartbeats, the stale pass), so this spec
 * runs a stack of its own on the shared PostgreSQL server: a fresh database, its own nats-server,
 * web server and worker. The worker ingests the seed's samples (an alarm opens) and is then
 * stopped, and no node runs: whatever changes between the snapshots was written by a read.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import {
  connectDatabase,
  newSecretKeyBase64,
  unsafeBootstrapOwner,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedRegistries,
  type DatabaseHandle,
} from "@omniglass/gateway";
import {
  describeChanges,
  diffSnapshots,
  dropDatabase,
  snapshotDatabase,
} from "@omniglass/gateway/testing";
import {
  freePort,
  sleep,
  spawnManaged,
  startNatsServer,
  type ManagedProcess,
  type RunningNats,
} from "@omniglass/infra";
import { readStack } from "./stack";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKER_DIR = path.resolve(WEB_DIR, "../worker");
const APP_DIR = path.join(WEB_DIR, "app");

/** A page is settled when no request but the live streams has been in flight for this long. */
const QUIET_MS = 700;

const stack: {
  dir: string;
  databaseName: string;
  handle: DatabaseHandle | null;
  nats: RunningNats | null;
  web: ManagedProcess | null;
  worker: ManagedProcess | null;
  baseUrl: string;
  ownerToken: string;
  operator: { username: string; password: string; id: string };
  /** Collection (first URL segment path) → the ref a dynamic segment under it takes. */
  refs: Record<string, string>;
} = {
  dir: "",
  databaseName: `og_e2e_reads_${randomBytes(4).toString("hex")}`,
  handle: null,
  nats: null,
  web: null,
  worker: null,
  baseUrl: "",
  ownerToken: "",
  operator: { username: "probe-operator", password: randomBytes(12).toString("base64url"), id: "" },
  refs: {},
};

async function rest<T = Record<string, unknown>>(
  method: string,
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${stack.baseUrl}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${stack.ownerToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Every console route, from the app directory: `app/page.tsx` is `/`, `app/(console)/a/[b]/page.tsx`
 * is `/a/[b]` (route groups in parentheses add no segment).
 */
async function consoleRoutes(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, segments: string[]) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith("_") || entry.name === "api") continue;
        const group = /^\(.*\)$/.test(entry.name);
        await walk(path.join(dir, entry.name), group ? segments : [...segments, entry.name]);
      } else if (entry.name === "page.tsx") {
        found.push(`/${segments.join("/")}`);
      }
    }
  }
  await walk(path.join(APP_DIR, "(console)"), []);
  // The root page lives beside the group (or inside it, once it moves there).
  if ((await readdir(APP_DIR)).includes("page.tsx")) found.push("/");
  return [...new Set(found)].sort();
}

/**
 * A dynamic segment's value: the seed's ref for the collection it hangs off (`/alarms/[id]` →
 * the seeded alarm), else the first item the collection's REST list answers (a page added later
 * under a collection the seed does not know).
 */
async function fillRoute(route: string): Promise<string> {
  const parts = route.split("/");
  for (let i = 0; i < parts.length; i++) {
    if (!/^\[.+\]$/.test(parts[i]!)) continue;
    const collection = parts.slice(0, i).join("/");
    let ref = stack.refs[collection];
    if (!ref) {
      const list = await rest<{ items?: Record<string, unknown>[] }>("GET", collection).catch(
        () => ({ items: [] }),
      );
      const item = list.items?.[0];
      ref = item ? String(item.path ?? item.name ?? item.id) : undefined;
    }
    if (!ref) throw new Error(`no seeded ref fills ${parts[i]} of ${route}: add one to the seed`);
    parts[i] = encodeURIComponent(ref);
  }
  return parts.join("/");
}

/** Waits until the page has no request in flight but its live streams, for QUIET_MS. */
function settled(page: Page) {
  const inFlight = new Set<unknown>();
  const live = (url: string) => url.includes("/api/live/");
  page.on("request", (r) => {
    if (!live(r.url())) inFlight.add(r);
  });
  const done = (r: unknown) => inFlight.delete(r);
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return async () => {
    let quietSince = Date.now();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (inFlight.size > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= QUIET_MS) return;
      await sleep(50);
    }
    throw new Error(`${page.url()} did not settle: ${inFlight.size} requests in flight`);
  };
}

test.describe.configure({ mode: "serial", timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const shared = readStack();
  stack.dir = await mkdtemp(path.join(tmpdir(), "omniglass-reads-"));
  const databaseUrl = await unsafeEnsureDatabase(shared.postgresServerUrl, stack.databaseName);
  await unsafeMigrate(databaseUrl);
  stack.handle = connectDatabase({ url: databaseUrl, max: 1 });
  await unsafeSeedRegistries(stack.handle.db);
  const owner = await unsafeBootstrapOwner({
    db: stack.handle.db,
    meta: { requestId: "reads-never-write", source: "cli", actor: null, realActor: null, ip: null },
    username: "probe-owner",
    password: randomBytes(12).toString("base64url"),
  });
  stack.ownerToken = owner.token;
  stack.nats = await startNatsServer({
    dataDir: path.join(stack.dir, "nats"),
    port: await freePort(),
    monitorPort: await freePort(),
  });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    NATS_URL: stack.nats.url,
    OMNIGLASS_HOST: "127.0.0.1",
    OMNIGLASS_PORT: String(port),
    OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
    OMNIGLASS_SECRET_KEY: newSecretKeyBase64(),
  };
  const tail: string[] = [];
  const keep = (name: string) => (line: string) => {
    tail.push(`[${name}] ${line}`);
    if (tail.length > 40) tail.shift();
  };
  stack.web = spawnManaged(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: WEB_DIR,
    env,
    onLine: keep("web"),
  });
  stack.worker = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env,
    onLine: keep("worker"),
  });
  stack.baseUrl = `http://127.0.0.1:${port}`;
  await waitFor("the probe's stack to be healthy", async () =>
    (await fetch(`${stack.baseUrl}/api/healthz`)).status === 200 ? true : null,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${tail.join("\n")}`);
  });

  // An estate with one of everything a page shows.
  const site = "probe";
  const room = `${site}.hq.room`;
  const system = `${room}.av`;
  const component = `${room}.display-1`;
  await rest("POST", "/locations", { name: site, type: "campus" });
  await rest("POST", "/locations", { name: "hq", type: "building", parent: site });
  await rest("POST", "/locations", { name: "room", type: "room", parent: `${site}.hq` });
  await rest("POST", "/systems", { name: "av", type: "meeting-room", location: room });
  await rest("POST", `/systems/${encodeURIComponent(system)}/roles`, {
    name: "main-display",
    accepts: ["display"],
    quorum: 1,
    impact: "outage",
  });
  for (const name of ["display-1", "display-2"])
    await rest("POST", "/components", {
      name,
      location: room,
      template: "http-json-display",
      system,
      role: "main-display",
    });
  await rest("POST", "/nodes", { name: "edge-probe", location: site });
  await rest("POST", "/rules", {
    name: "probe-down",
    severity: "warning",
    fire: 'signals["reachable"] == false',
    scope: { kind: "owner", ref: component },
  });
  const window = await rest<{ id: string }>("POST", "/maintenance-windows", {
    name: "probe-window",
    scope: { kind: "location", ref: room },
    dtstart: "2026-12-05T22:00",
    timeZone: "Europe/London",
    duration: "2h",
    rrule: "FREQ=WEEKLY;BYDAY=SA",
  });
  await rest("POST", "/silences", {
    matchers: { owner: room, severities: ["info"] },
    reason: "probe",
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const endpoint = await rest<{ id: string; name: string }>("POST", "/webhook-endpoints", {
    name: "probe-hook",
    url: "https://hooks.example.com/probe",
    location: room,
  });
  await rest("POST", "/action-rules", {
    name: "probe-action",
    scope: { kind: "location", ref: room },
    endpointIds: [endpoint.id],
  });
  const plan = await rest<{ id: string }>("POST", "/estate/plans", {
    files: [{ path: "estate.yaml", content: `version: 1\n# probe ${randomUUID()}\n` }],
  });
  await rest("POST", "/samples", {
    samples: [
      {
        owner: component,
        signal: "reachable",
        value: false,
        ts: new Date(Date.now() - 30_000).toISOString(),
      },
    ],
  });
  const alarm = await waitFor("the seeded alarm", async () => {
    const list = await rest<{ items: { id: string }[] }>(
      "GET",
      `/alarms?state=open&owner=${encodeURIComponent(component)}`,
    );
    return list.items[0] ?? null;
  });
  await rest("POST", `/alarms/${alarm.id}/acknowledge`, { comment: "probe owns it" });
  const created = await rest<{ id: string }>("POST", "/principals", {
    kind: "human",
    name: stack.operator.username,
    password: stack.operator.password,
  });
  stack.operator.id = created.id;
  await rest("POST", `/principals/${created.id}/grants`, {
    role: "operator",
    scope: { kind: "all" },
  });
  stack.refs = {
    "/alarms": alarm.id,
    "/admin/principals": created.id,
    "/components": component,
    "/estate-plans": plan.id,
    "/locations": site,
    "/maintenance": window.id,
    "/nodes": "edge-probe",
    "/rules": "probe-down",
    "/systems": system,
    "/templates": "http-json-display",
    "/webhook-endpoints": endpoint.name,
  };

  // No background writer from here on: the worker stops (its last beat marks it stopped), no
  // node runs.
  await stack.worker.stop(15_000);
  stack.worker = null;
});

test.afterAll(async () => {
  await Promise.all([stack.web?.stop(10_000), stack.worker?.stop(10_000)]);
  await stack.nats?.stop();
  await stack.handle?.close();
  await dropDatabase(readStack().postgresServerUrl, stack.databaseName).catch(() => {});
  if (stack.dir) await rm(stack.dir, { recursive: true, force: true });
});

test("an operator browsing every console page writes nothing but session bookkeeping", async ({
  page,
}) => {
  const routes = await consoleRoutes();
  // The console as it stands has these at least; pages added later are simply more routes.
  expect(routes).toEqual(expect.arrayContaining(["/alarms", "/alarms/[id]", "/platform", "/"]));
  const urls = await Promise.all(routes.map(fillRoute));

  await page.goto(`${stack.baseUrl}/sign-in?next=%2Fprofile`);
  await page.getByLabel("Username").fill(stack.operator.username);
  await page.getByLabel("Password").fill(stack.operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${stack.baseUrl}/profile`);
  const settle = settled(page);
  await settle();

  const before = await snapshotDatabase(stack.handle!.db);
  const visited: { url: string; status: number | null }[] = [];
  for (const url of urls) {
    const response = await page.goto(`${stack.baseUrl}${url}`);
    await settle();
    visited.push({ url, status: response?.status() ?? null });
  }
  const after = await snapshotDatabase(stack.handle!.db);

  const failed = visited.filter((v) => v.status === null || v.status >= 500);
  const changed = describeChanges(diffSnapshots(before, after));
  expect({ failed, changed }).toEqual({ failed: [], changed: "" });
  // Every page was reached as itself (signed in, not bounced to the sign-in form).
  expect(visited.length).toBe(routes.length);
});
