import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appRouter,
  createApiDependencies,
  createCallerFactory,
  createContext,
} from "@omniglass/api";
import {
  connectBus,
  publishAlarmChanges,
  publishHealthChanges,
  SUBJECTS,
  type BusConnection,
} from "@omniglass/bus";
import type { Alarm } from "@omniglass/contracts";
import { connectDatabase, unsafeBootstrapOwner } from "@omniglass/gateway";
import { createTestDatabase, createTestPrincipal } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { accessOf, createAlarmRelay } from "../src/server/live-alarms";
import { liveStream, subscribeTo } from "../src/server/live-stream";

/*
 * The live alarm stream's scope, end to end below HTTP: real PostgreSQL, real nats-server, the
 * real procedures as two principals scoped to different buildings. Alarms opened by the official
 * `unreachable` rule from pushed samples; the notices published on the bus as the worker and the
 * API publish them; each stream passes on exactly what its caller may read.
 */

const createCaller = createCallerFactory(appRouter);

describe("/api/live/alarms scope", () => {
  let bus: BusConnection;
  let close: () => Promise<void>;
  let callerOf: (token: string) => ReturnType<typeof createCaller>;
  let owner: ReturnType<typeof createCaller>;
  let hqToken: string;
  let annexToken: string;
  const alarms: Record<"hq" | "annex", Alarm> = {} as never;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const infra = testInfra();
    const database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    const handle = connectDatabase({ url: database.url });
    bus = connectBus({ servers: infra.natsUrl, name: "live-alarms-test" });
    close = async () => {
      await bus.close();
      await handle.close();
      await database.drop();
    };
    const deps = createApiDependencies({
      version: "test",
      db: handle.db,
      probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
    });
    callerOf = (token) =>
      createCaller(
        createContext({
          deps,
          requestId: randomUUID(),
          source: "console",
          ip: "127.0.0.1",
          headers: new Headers({ authorization: `Bearer ${token}` }),
        }),
      );
    const boot = await unsafeBootstrapOwner({
      db: handle.db,
      meta: { requestId: "test", source: "cli", actor: null, realActor: null, ip: null },
      username: "root",
    });
    owner = callerOf(boot.token);
    await owner.location.create({ name: "campus", type: "campus" });
    const t0 = Date.now() - 5 * 60_000;
    for (const building of ["hq", "annex"] as const) {
      const location = await owner.location.create({
        name: building,
        type: "building",
        parent: "campus",
      });
      ids[building] = location.id;
      await owner.component.create({
        name: "display",
        location: `campus.${building}`,
        template: "http-json-display",
      });
      for (const s of [0, 130])
        await owner.sample.push({
          samples: [
            {
              owner: `campus.${building}.display`,
              signal: "reachable",
              value: false,
              ts: new Date(t0 + s * 1000).toISOString(),
            },
          ],
        });
      const [opened] = (await owner.alarm.list({ owner: `campus.${building}`, state: "open" }))
        .items;
      alarms[building] = opened!;
    }
    hqToken = (
      await createTestPrincipal(database.url, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    annexToken = (
      await createTestPrincipal(database.url, {
        name: "op-annex",
        grants: [{ role: "operator", location: "campus.annex" }],
      })
    ).token;
  });
  afterAll(async () => {
    await close();
  });

  /** Opens a stream as `token` and collects its events' data, by event name. */
  async function openAs(token: string) {
    const nc = await bus.ready();
    const relay = createAlarmRelay(accessOf(callerOf(token)));
    const abort = new AbortController();
    const stream = liveStream({
      ready: { stream: "alarms" },
      toEvent: relay.toEvent,
      source: {
        subscribe: subscribeTo(nc, [SUBJECTS.liveAlarms, SUBJECTS.liveHealthAll]),
        stillAllowed: async () => true,
      },
      signal: abort.signal,
      release: () => {},
    });
    const events: { event: string; data: Record<string, unknown> }[] = [];
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const frame = /^event: (\S+)\ndata: (.*)$/m.exec(decoder.decode(value));
        if (frame) events.push({ event: frame[1]!, data: JSON.parse(frame[2]!) });
      }
    })();
    await nc.flush();
    return { events, stop: () => abort.abort() };
  }

  it("passes each alarm change only to the callers who may read its owner", async () => {
    expect(alarms.hq.owner.path).toBe("campus.hq.display");
    expect(alarms.annex.owner.path).toBe("campus.annex.display");
    const hq = await openAs(hqToken);
    const annex = await openAs(annexToken);
    const root = await openAs((await owner.auth.createOwnToken({ name: "live" })).token);
    const notice = (a: Alarm, kind: "opened" | "acknowledged") => ({
      alarmId: a.id,
      kind,
      owner: { kind: a.owner.kind, id: a.owner.id },
      severity: a.severity,
    });
    publishAlarmChanges(bus, [notice(alarms.hq, "opened"), notice(alarms.annex, "opened")]);
    publishAlarmChanges(bus, [notice(alarms.annex, "acknowledged")]);
    const received = (s: { events: { event: string; data: Record<string, unknown> }[] }) =>
      s.events.filter((e) => e.event === "alarm").map((e) => `${e.data.alarmId} ${e.data.kind}`);
    await expect.poll(() => received(root).length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => received(annex).length, { timeout: 5_000 }).toBe(2);
    await expect.poll(() => received(hq).length, { timeout: 5_000 }).toBe(1);
    expect(received(hq)).toEqual([`${alarms.hq.id} opened`]);
    expect(received(annex)).toEqual([
      `${alarms.annex.id} opened`,
      `${alarms.annex.id} acknowledged`,
    ]);
    for (const s of [hq, annex, root]) s.stop();
  });

  it("passes each health change only to the callers who may read the owner", async () => {
    const hq = await openAs(hqToken);
    const annex = await openAs(annexToken);
    const verdict = (ownerId: string) => ({
      ownerKind: "location" as const,
      ownerId,
      verdict: "outage" as const,
      previous: "healthy" as const,
      at: new Date().toISOString(),
    });
    publishHealthChanges(bus, [verdict(ids.annex!), verdict(ids.hq!)]);
    const owners = (s: { events: { event: string; data: Record<string, unknown> }[] }) =>
      s.events.filter((e) => e.event === "health").map((e) => e.data.ownerId);
    await expect.poll(() => owners(hq), { timeout: 10_000 }).toEqual([ids.hq]);
    await expect.poll(() => owners(annex), { timeout: 10_000 }).toEqual([ids.annex]);
    // Nothing else arrives later: the other building's verdict was dropped, not delayed.
    await new Promise((r) => setTimeout(r, 300));
    expect(owners(hq)).toEqual([ids.hq]);
    for (const s of [hq, annex]) s.stop();
  });
});
