import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import {
  connectDatabase,
  unsafeRecordNodeHeartbeat,
  unsafeSeedPolledComponents,
  unsafeWriteSamples,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { freePort, startNatsServer, type RunningNats } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

/*
 * The clock lane across worker lives (issue #13, Time): a sustain period that ends while no
 * worker runs opens its alarm once when one starts, dated when the period ended; two workers
 * running the clock together open one alarm with one fired event per episode. Real workers
 * (their own nats-server: consumers are shared per server), wall time, a 100 ms tick.
 */
describe("the clock lane across worker restarts", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let estate: PolledEstate;
  const running: RunningWorker[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    const port = await freePort();
    const monitorPort = await freePort();
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `clock-nats-${process.pid}`),
      port,
      monitorPort,
    });
    estate = await unsafeSeedPolledComponents(handle.db, {
      name: "clock-lane",
      components: 7,
      template: "http-json-display",
    });
  });
  afterAll(async () => {
    await Promise.all(running.map((w) => w.stop()));
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  const start = async () => {
    const worker = await startWorker({
      databaseUrl: database.url,
      natsUrl: nats.url,
      heartbeatMs: 500,
      version: "test",
      clockTickMs: 100,
      log: () => {},
    });
    running.push(worker);
    return worker;
  };
  const stop = async (worker: RunningWorker) => {
    await worker.stop();
    running.splice(running.indexOf(worker), 1);
  };
  // The node is alive (its collector is up) for the whole test: it beats now.
  const beat = () =>
    unsafeRecordNodeHeartbeat(handle.db, {
      nodeId: estate.nodeId,
      version: "test",
      hostname: "test",
      startedAt: new Date().toISOString(),
      beatAt: new Date().toISOString(),
      intervalMs: 60_000,
      worklistEtag: null,
      tasks: 1,
      functions: 1,
      running: 0,
      buffered: 0,
      published: 0,
      lastError: null,
    });
  /** reachable=false `agoMs` ago, fresh for 10 min: the official rule's 2 min sustain begins. */
  const unreachableSince = (component: string, agoMs: number) =>
    unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [
        {
          ownerKind: "component",
          ownerId: component,
          signal: "reachable",
          instance: "",
          ts: Date.now() - agoMs,
          value: false,
          expectedIntervalMs: 300_000,
        },
      ],
    });
  // The pool under the handle (drizzle's $client; the worker does not depend on drizzle).
  const rows = async <T>(text: string, values: unknown[]) =>
    (
      await (
        handle.db as unknown as {
          $client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
        }
      ).$client.query(text, values)
    ).rows as T[];
  const alarmsOf = (component: string) =>
    rows<{ id: string; opened_at: Date; events: string[] }>(
      `select a.id, a.opened_at, (select array_agg(e.kind order by e.seq) from alarm_event e
         where e.alarm_id = a.id) as events
       from alarm a join event_rule r on r.id = a.rule_id
       where a.component_id = $1 and r.name = 'unreachable'`,
      [component],
    );
  const episode = async (component: string) =>
    (
      await rows<{ phase: string; due: number | null }>(
        `select e.phase, (extract(epoch from e.due_at) * 1000)::float8 as due from rule_episode e
         join event_rule r on r.id = e.rule_id
         where e.component_id = $1 and r.name = 'unreachable'`,
        [component],
      )
    )[0];

  it("a sustain period that ended while no worker ran fires once when one starts, dated when it ended", async () => {
    await beat();
    const first = await start();
    await stop(first);
    // No worker: the period (2 min) of c0 ends 5 s ago, with no later sample.
    const c0 = estate.componentIds[0]!;
    await unreachableSince(c0, 125_000);
    const { due } = (await episode(c0))!;
    expect(due).toBeLessThan(Date.now());
    expect(await alarmsOf(c0)).toEqual([]);

    const second = await start();
    const [alarm] = await eventually(async () => {
      const alarms = await alarmsOf(c0);
      return alarms.length > 0 ? alarms : null;
    });
    expect(alarm!.opened_at.getTime()).toBe(due);
    expect(alarm!.events).toEqual(["fired"]);
    // Several more ticks change nothing; a restart neither.
    await new Promise((r) => setTimeout(r, 500));
    await stop(second);
    await start();
    await new Promise((r) => setTimeout(r, 500));
    expect(await alarmsOf(c0)).toHaveLength(1);
    expect((await alarmsOf(c0))[0]!.events).toEqual(["fired"]);
    expect(await episode(c0)).toMatchObject({ phase: "firing", due: null });
  });

  it("two workers running the clock open one alarm and one fired event per due episode", async () => {
    await beat();
    await start(); // the previous test left one running: two now
    expect(running).toHaveLength(2);
    const cs = estate.componentIds.slice(1);
    // Their periods end within the next second, while both workers tick every 100 ms.
    for (const [i, c] of cs.entries()) await unreachableSince(c, 119_500 - i * 100);
    for (const c of cs) {
      const alarms = await eventually(async () => {
        const a = await alarmsOf(c);
        return a.length > 0 ? a : null;
      });
      expect(alarms).toHaveLength(1);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const c of cs) {
      const alarms = await alarmsOf(c);
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.events).toEqual(["fired"]);
    }
  });
});
