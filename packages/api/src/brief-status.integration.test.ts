import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BriefStatus, BriefTile, DependencyCheck } from "@omniglass/contracts";
import { findComponents, findSystems, loadActor } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/**
 * The brief status (`GET /brief`, issue #16): each tile counts what its list view lists for the
 * same filter, in the caller's scope; a tile without its capability is left out; the cost is a
 * constant number of statements whatever the estate's size or the items asked for; a source
 * that is down marks the tiles that depend on it stale.
 */
describe("the brief status", () => {
  let bed: Testbed;
  let bus: DependencyCheck = { status: "up", latencyMs: 0, error: null };
  const tokens: Record<string, string> = {};
  const ROOMS = ["hq.room-0", "hq.room-1", "hq.room-2", "annex.room-0", "annex.room-1"];
  const FAULTY = ["hq.room-0", "hq.room-1", "annex.room-0"];

  async function get<T>(path: string, token?: string): Promise<T> {
    const response = await bed.rest("GET", path, token ? { token } : {});
    const text = await response.text();
    expect(response.status, `${path}: ${text}`).toBe(200);
    return JSON.parse(text) as T;
  }
  const brief = (token?: string, query = "") => get<BriefStatus>(`/brief${query}`, token);
  const tileOf = (b: BriefStatus, key: BriefTile["key"]) => {
    const found = b.tiles.find((t) => t.key === key);
    expect(found, `tile ${key}`).toBeDefined();
    return found!;
  };
  const push = (owner: string, value: boolean, ts: number) =>
    bed.rest("POST", "/samples", {
      body: { samples: [{ owner, signal: "reachable", value, ts: new Date(ts).toISOString() }] },
    });
  /** A room with its system and display; `faulty`: the display unreachable long enough to fire. */
  async function seedRoom(path: string, faulty: boolean) {
    const [building, room] = path.split(".");
    await bed.rest("POST", "/locations", {
      body: { name: room, type: "room", parent: `campus.${building}` },
    });
    await bed.rest("POST", "/systems", {
      body: { name: "av", type: "meeting-room", location: `campus.${path}` },
    });
    await bed.rest("POST", "/components", {
      body: {
        name: "display",
        location: `campus.${path}`,
        template: "http-json-display",
        system: `campus.${path}.av`,
      },
    });
    if (!faulty) return;
    const t0 = Date.now() - 6 * 60_000;
    for (const s of [0, 30, 60, 90, 125])
      expect((await push(`campus.${path}.display`, false, t0 + s * 1000)).status).toBe(202);
  }

  /** A service principal holding the custom role `alarms-and-systems` on `scope`, and its token. */
  async function customRole(name: string, scope: Record<string, string>) {
    const { id } = (await (
      await bed.rest("POST", "/principals", { body: { kind: "service", name } })
    ).json()) as { id: string };
    const granted = await bed.rest("POST", `/principals/${id}/grants`, {
      body: { role: "alarms-and-systems", scope },
    });
    expect(granted.status, await granted.clone().text()).toBe(200);
    const issued = await bed.rest("POST", `/principals/${id}/tokens`, { body: { name: "brief" } });
    return ((await issued.json()) as { token: string }).token;
  }

  beforeAll(async () => {
    bed = await createTestbed({ probeBus: async () => bus });
    await bed.rest("POST", "/locations", { body: { name: "campus", type: "campus" } });
    for (const name of ["hq", "annex"])
      await bed.rest("POST", "/locations", { body: { name, type: "building", parent: "campus" } });
    for (const room of ROOMS) await seedRoom(room, FAULTY.includes(room));
    // Collectors: one enrolled and silent in each building, one enrolled and beating in hq.
    for (const [name, place] of [
      ["edge-hq", "campus.hq"],
      ["edge-annex", "campus.annex"],
      ["edge-live", "campus.hq"],
    ] as const)
      await bed.rest("POST", "/nodes", { body: { name, location: place } });
    const beat = (ago: string) =>
      `jsonb_build_object('nodeId', id, 'version', '0.1.0', 'hostname', 'rack', 'startedAt', now() - interval '1 hour', 'beatAt', now() - interval '${ago}', 'intervalMs', 5000, 'worklistEtag', null, 'tasks', 0, 'functions', 0, 'running', 0, 'buffered', 0, 'published', 0, 'lastError', null)`;
    await bed.db.execute(
      `update node set enrolled_at = now() - interval '1 hour', last_seen_at = now() - interval '10 minutes', heartbeat = ${beat("10 minutes")} where id in (select id from principal where name in ('edge-hq', 'edge-annex'))` as never,
    );
    await bed.db.execute(
      `update node set enrolled_at = now() - interval '1 hour', last_seen_at = now(), heartbeat = ${beat("0 seconds")} where id = (select id from principal where name = 'edge-live')` as never,
    );
    // Workers: one beating, one silent for a minute (stale).
    await bed.db.execute(
      `insert into worker (id, hostname, pid, version, lifecycle, started_at, last_seen_at, interval_ms, consumers) values
        (gen_random_uuid(), 'w-live', 1, 'test', 'running', now(), now(), 5000, '[]'::jsonb),
        (gen_random_uuid(), 'w-stale', 2, 'test', 'running', now() - interval '1 hour', now() - interval '1 minute', 5000, '[]'::jsonb)` as never,
    );
    // Deliveries: an endpoint in each building, three dead and one delivered each.
    await bed.db.execute(
      `insert into webhook_endpoint (id, name, url, secret_ciphertext, location_id) select gen_random_uuid(), 'hook-' || b, 'https://hooks.example.com/' || b, 'sealed', (select id from location where path = 'campus.' || b) from unnest(array['hq', 'annex']) b` as never,
    );
    await bed.db.execute(
      `insert into delivery (id, endpoint_id, event_type, body, status, attempts, last_status_code, created_at) select 'msg_' || md5(e.name || g), e.id, 'alarm.opened', '{}', case when g = 0 then 'delivered' else 'dead' end, 8, 500, now() - g * interval '1 minute' from webhook_endpoint e, generate_series(0, 3) g` as never,
    );
    tokens.hq = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    await bed.db.execute(
      `insert into role (id, name, label, permissions) values (gen_random_uuid(), 'alarms-and-systems', 'Alarms and systems', array['alarm:read', 'system:read'])` as never,
    );
    tokens.narrow = await customRole("narrow", { kind: "all" });
    tokens.noAlarms = await customRole("narrow-annex", {
      kind: "location",
      location: "campus.annex",
    });
    // A pending plan of the owner's, based on the state as it is (a plan on an older base is stale).
    await bed.db.execute(
      `insert into estate_plan (id, planner_id, desired_digest, base_revision, base_count, plan, desired, summary, created_at) select 'plan-brief', '${bed.owner.id}', 'd', coalesce(max(revision), 0), count(*), '{"ok":true,"changes":[],"approvalsRequired":[]}', '{}', 'add a room', now() from estate_change` as never,
    );
  });
  afterAll(() => bed.close());

  it("counts what each list view lists for the same filter, and links to the objects", async () => {
    const b = await brief();
    expect(b.scope).toBe("all");
    expect(b.tiles.map((t) => t.key)).toEqual([
      "alarms",
      "systems",
      "components",
      "collectors",
      "workers",
      "schedules",
      "deliveries",
      "plans",
    ]);
    for (const t of b.tiles) {
      expect(t.available, t.key).toBe(true);
      expect(t.stale, t.key).toBeNull();
      expect(t.source.length, t.key).toBeGreaterThan(5);
      expect(Date.parse(t.asOf), t.key).toBeGreaterThan(Date.now() - 60_000);
    }

    const alarms = tileOf(b, "alarms");
    const queue = await get<{ totalSize: number }>(
      "/alarms?state=open&severity=critical&acknowledged=false&suppressed=false",
    );
    expect(alarms.total).toBe(FAULTY.length);
    expect(alarms.total).toBe(queue.totalSize);
    // Each alarm links to itself, the display and its room.
    const first = alarms.items[0]!;
    expect(first.links.map((l) => l.kind)).toEqual(["alarm", "component", "location"]);
    expect(first.links[2]!.ref).toBe(first.links[1]!.ref.replace(/\.display$/, ""));

    const systems = tileOf(b, "systems");
    const listed = await get<{ totalSize: number }>(
      "/systems?filter=health%3Doutage%2Cdegraded&page_size=1",
    );
    expect(systems.total).toBe(listed.totalSize);
    expect(systems.total).toBe(FAULTY.length);
    expect(systems.items.every((i) => ["outage", "degraded"].includes(i.state))).toBe(true);

    const components = tileOf(b, "components");
    const unknown = await get<{ totalSize: number }>(
      "/components?filter=health%3Dunknown&page_size=1",
    );
    expect(components.total).toBe(unknown.totalSize);
    // The healthy rooms' displays are polled by no node: not monitored, unknown.
    expect(components.total).toBe(ROOMS.length - FAULTY.length);

    const collectors = tileOf(b, "collectors");
    expect(collectors.total).toBe(2);
    expect(collectors.items.map((i) => i.title).sort()).toEqual(["edge-annex", "edge-hq"]);
    // The operations view's own derivation (GET /collectors): the same down or stale ones.
    const ops = await get<{ collectors: { state: string }[]; workers: { state: string }[] }>(
      "/collectors",
    );
    const attention = (rows: { state: string }[]) =>
      rows.filter((r) => r.state === "down" || r.state === "stale").length;
    expect(attention(ops.collectors)).toBe(collectors.total);

    const workers = tileOf(b, "workers");
    expect(workers).toMatchObject({ total: 1, breakdown: { up: 1, down: 1 } });
    expect(attention(ops.workers)).toBe(workers.total);
    expect(workers.items[0]!.title).toMatch(/^w-stale:/);
    expect(b.sources.find((s) => s.name === "workers")).toMatchObject({ state: "degraded" });
    expect(b.sources.find((s) => s.name === "collectors")).toMatchObject({ state: "degraded" });
    const schedules = tileOf(b, "schedules");
    const listedSchedules = await get<{ overdue: number }>("/schedules");
    expect(schedules.total).toBe(listedSchedules.overdue);

    const deliveries = tileOf(b, "deliveries");
    const dead = await get<{ items: unknown[] }>("/deliveries?status=dead&page_size=500");
    expect(deliveries.total).toBe(dead.items.length);
    expect(deliveries.total).toBe(6);
    expect(deliveries.items).toHaveLength(5);

    const plans = tileOf(b, "plans");
    const listedPlans = await get<{ items: { status: string }[] }>("/estate/plans?status=pending");
    expect(plans.total, JSON.stringify(listedPlans)).toBe(1);
    expect(plans.items[0]!.links).toEqual([{ kind: "plan", id: "plan-brief", ref: "plan-brief" }]);
  });

  it("counts a tile's total only up to its cap, and then says it is a lower bound", async () => {
    const actor = (await loadActor(bed.db, bed.owner.id))!;
    const meta = {
      requestId: "cap-test",
      source: "rest" as const,
      actor: { id: actor.id, kind: "human" as const },
      realActor: null,
      ip: null,
    };
    const input = { filter: "health=unknown", page_size: 1, order_by: "path" } as const;
    const full = await findComponents({ db: bed.db, actor, meta, input });
    expect(full.totalSize).toBe(ROOMS.length - FAULTY.length);
    expect(full.totalIsLowerBound).toBeUndefined();
    // Under the cap: the same exact total. Past it: the cap, flagged.
    const roomy = await findComponents({ db: bed.db, actor, meta, input, totalCap: 10 });
    expect(roomy).toMatchObject({ totalSize: full.totalSize });
    expect(roomy.totalIsLowerBound).toBeUndefined();
    const capped = await findComponents({ db: bed.db, actor, meta, input, totalCap: 1 });
    expect(capped).toMatchObject({ totalSize: 1, totalIsLowerBound: true });
    expect(capped.items).toEqual(full.items);
    const systems = await findSystems({
      db: bed.db,
      actor,
      meta,
      input: { filter: "health=outage,degraded", page_size: 1, order_by: "path" },
      totalCap: 2,
    });
    expect(systems).toMatchObject({ totalSize: 2, totalIsLowerBound: true });
  });

  it("shows a principal with a narrow grant only its part of the estate", async () => {
    const b = await brief(tokens.hq);
    expect(b.scope).toBe("partial");
    const alarms = tileOf(b, "alarms");
    const queue = await get<{ totalSize: number }>(
      "/alarms?state=open&severity=critical&acknowledged=false&suppressed=false",
      tokens.hq,
    );
    expect(alarms.total).toBe(2);
    expect(alarms.total).toBe(queue.totalSize);
    for (const item of alarms.items)
      for (const link of item.links.slice(1)) expect(link.ref).toMatch(/^campus\.hq\./);
    expect(tileOf(b, "systems").total).toBe(2);
    expect(tileOf(b, "components").total).toBe(1);
    expect(tileOf(b, "collectors").items.map((i) => i.title)).toEqual(["edge-hq"]);
    expect(tileOf(b, "collectors").breakdown).toMatchObject({ collectors: 2 });
    const deliveries = tileOf(b, "deliveries");
    expect(deliveries.total).toBe(3);
    expect(deliveries.items.every((i) => i.title.endsWith("hook-hq"))).toBe(true);
    // Workers are the platform's (scope all); an operator on a building still reads them.
    expect(tileOf(b, "workers").total).toBe(1);
    // Plans: only its own (it planned none).
    expect(tileOf(b, "plans").total).toBe(0);
  });

  it("leaves out a tile the caller lacks the capability for (never a zero)", async () => {
    const b = await brief(tokens.narrow);
    expect(b.tiles.map((t) => t.key)).toEqual(["alarms", "systems"]);
    expect(b.sources.find((s) => s.name === "workers")).toMatchObject({
      state: "unknown",
      detail: "not readable with your grants",
    });
    // Scoped to the annex: one of its rooms is at fault.
    const annex = await brief(tokens.noAlarms);
    expect(tileOf(annex, "alarms").total).toBe(1);
    expect(tileOf(annex, "systems").total).toBe(1);
  });

  it("costs the same statements whatever the estate's size and the items asked for", async () => {
    const cost = async (query: string) => {
      bed.statements.length = 0;
      await brief(undefined, query);
      return bed.statements.length;
    };
    const small = [await cost("?items=1"), await cost("?items=20")];
    for (const room of ["hq.room-3", "hq.room-4", "annex.room-2", "annex.room-3"])
      await seedRoom(room, true);
    const large = [await cost("?items=1"), await cost("?items=20")];
    expect(new Set([...small, ...large]).size, JSON.stringify({ small, large })).toBe(1);
    // Authentication (2), the database probe (1) and the tiles' reads (alarms 2, systems 4,
    // components 2, the operations read behind collectors, workers and schedules 4, deliveries 2,
    // plans 2): fixed by the request.
    expect(small[0]).toBeLessThanOrEqual(20);
    expect(tileOf(await brief(), "alarms").total).toBe(FAULTY.length + 4);
  });

  it("marks the tiles that depend on the live bus stale while NATS is down, with since when", async () => {
    bus = { status: "down", latencyMs: null, error: "connection refused" };
    try {
      await brief();
      const b = await brief();
      const nats = b.sources.find((s) => s.name === "nats")!;
      expect(nats).toMatchObject({ state: "down", detail: "connection refused" });
      expect(nats.since).not.toBeNull();
      for (const t of b.tiles) {
        if (t.dependsOn.includes("nats")) {
          expect(t.stale, t.key).toMatchObject({ since: nats.since });
          expect(t.stale!.reason).toContain("NATS");
        } else expect(t.stale, t.key).toBeNull();
      }
    } finally {
      bus = { status: "up", latencyMs: 0, error: null };
    }
    const back = await brief();
    expect(back.tiles.every((t) => t.stale === null)).toBe(true);
    expect(back.sources.find((s) => s.name === "nats")!.state).toBe("up");
  });

  it("refuses a bad input naming the field", async () => {
    const response = await bed.rest("GET", "/brief?items=0");
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("items");
    // The lists' health term it counts with takes verdicts only, naming the field.
    for (const list of ["/systems", "/components"]) {
      const bad = await bed.rest("GET", `${list}?filter=health%3Doutage%2Cbroken`);
      expect(bad.status, list).toBe(400);
      const problem = (await bad.json()) as { errors: { field: string; message: string }[] };
      expect(problem.errors[0]).toMatchObject({ field: "filter" });
      expect(problem.errors[0]!.message).toContain("broken is not a verdict");
    }
  });
});
