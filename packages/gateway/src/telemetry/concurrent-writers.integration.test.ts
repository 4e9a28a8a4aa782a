import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { SampleBatch } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { createAssignmentCache } from "./assignments";
import { unsafeSeedPolledComponents, type PolledEstate } from "./fixtures";
import { unsafeWriteNodeBatches } from "./node-batches";
import { partitionName } from "./partitions";

/*
 * Two writers of the same series in two processes: the push API (a bare REST replica,
 * packages/api/test/rest-host.ts, as its own process) and the worker's ingest writer (node
 * batches, here in the test process). Whatever the interleaving, a series' current value only
 * moves forward in time, history holds each (series, ts) once, and a timestamp written by both
 * resolves the same way in history and in the current value: the first commit wins.
 */

const API = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../api");
const COMPONENTS = 4;
const INSTANCES = 5; // 20 series
const STEPS = 120; // timestamps, each written by both writers
const CHUNK = 6; // timestamps per request / batch

/** A small seeded PRNG, so a failing interleaving's orders can be reproduced. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function startRestHost(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/rest-host.ts", databaseUrl], {
    cwd: API,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/api/v1`, child });
    });
    child.once("exit", (code) => reject(new Error(`rest host exited with ${code}: ${out}`)));
  });
}

describe("concurrent writers across processes", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let estate: PolledEstate;
  let host: { url: string; child: ChildProcess };
  let token: string;
  const assignments = () => createAssignmentCache(handle.db);

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 4 });
    estate = await unsafeSeedPolledComponents(handle.db, {
      name: "concurrent",
      components: COMPONENTS,
    });
    token = (
      await createTestPrincipal(database.url, {
        name: "integrator-concurrent",
        grants: [{ role: "integrator" }],
      })
    ).token;
    host = await startRestHost(database.url);
  }, 60_000);
  afterAll(async () => {
    host?.child.kill("SIGTERM");
    await handle?.close();
    await database?.drop();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];

  type Point = { component: string; instance: string; ts: number; value: number };
  const push = async (points: Point[]) => {
    const response = await fetch(`${host.url}/samples`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        samples: points.map((p) => ({
          owner: p.component,
          signal: "cpu-load",
          instance: p.instance,
          ts: new Date(p.ts).toISOString(),
          value: p.value,
        })),
      }),
    });
    const body = (await response.json()) as { accepted?: number; rejected?: unknown[] };
    expect(response.status, JSON.stringify(body)).toBe(202);
    expect(body.rejected).toEqual([]);
  };
  const ingest = async (points: Point[], cache = assignments()) => {
    const batch: SampleBatch = {
      node: estate.nodeId,
      batchId: `concurrent-${points[0]!.ts}-${points.length}`,
      samples: points.map((p) => ({
        component: p.component,
        signal: "cpu-load",
        instance: p.instance,
        ts: p.ts,
        value: p.value,
      })),
      rejections: [],
    };
    const result = await unsafeWriteNodeBatches(handle.db, cache, [
      { nodeId: estate.nodeId, batch },
    ]);
    expect(result).toMatchObject({ rejected: 0, dropped: 0 });
  };

  type Current = { component: string; instance: string; ms: number | null; value: number | null };
  const current = (instances: string[]) =>
    rows<Current>(sql`
      select component_id as component, instance, (extract(epoch from ts) * 1000)::float8 as ms,
        value::float8 as value
      from series
      where component_id = any(${sql.param(estate.componentIds)}::uuid[])
        and instance = any(${sql.param(instances)}::text[])`);
  const history = (instances: string[]) =>
    rows<{ component: string; instance: string; ms: number; num: number }>(sql`
      select e.component_id as component, e.instance, (extract(epoch from s.ts) * 1000)::float8 as ms,
        s.num
      from sample s join series e on e.id = s.series_id
      where e.component_id = any(${sql.param(estate.componentIds)}::uuid[])
        and e.instance = any(${sql.param(instances)}::text[])
      order by 1, 2, 3`);

  it(
    "moves current values only forward and stores each (series, ts) once under interleaving",
    { timeout: 60_000 },
    async () => {
      const instances = Array.from({ length: INSTANCES }, (_, i) => `mix-${i}`);
      const base = Date.now() - 3_600_000;
      // No partition for the day yet: both writers' first writes meet "no partition", create it
      // and retry, while the other writer creates the same series.
      await handle.db.execute(sql.raw(`drop table if exists ${partitionName(base)}`));
      const tsOf = (t: number) => base + t * 1_000;
      // Each writer visits every timestamp, in its own random order: older values keep arriving
      // after newer ones, and every timestamp is written twice. The value says who wrote what.
      const points = (t: number, writer: 1 | 2): Point[] =>
        estate.componentIds.flatMap((component) =>
          instances.map((instance) => ({
            component,
            instance,
            ts: tsOf(t),
            value: t * 10 + writer,
          })),
        );
      const chunks = (order: number[]) =>
        Array.from({ length: Math.ceil(order.length / CHUNK) }, (_, i) =>
          order.slice(i * CHUNK, (i + 1) * CHUNK),
        );
      const steps = Array.from({ length: STEPS }, (_, t) => t);
      const pushChunks = chunks(shuffled(steps, 7));
      const ingestChunks = chunks(shuffled(steps, 11));

      // A reader watching throughout: per series, the current timestamp never goes back, and the
      // current value is always the one written for that timestamp.
      const seen = new Map<string, number>();
      const violations: string[] = [];
      let writing = true;
      const watcher = (async () => {
        while (writing) {
          for (const row of await current(instances)) {
            if (row.ms === null) continue;
            const key = `${row.component}/${row.instance}`;
            const before = seen.get(key) ?? -Infinity;
            if (row.ms < before) violations.push(`${key}: ${before} → ${row.ms}`);
            seen.set(key, row.ms);
            if (Math.floor(row.value! / 10) !== (row.ms - base) / 1_000)
              violations.push(`${key}: value ${row.value} at ${row.ms - base} ms`);
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const cache = assignments();
      // In steps, so the faster in-process writer does not simply finish first: each step sends
      // one push request and one node batch at once, three steps in flight.
      const stepsOf = pushChunks.map((_, i) => i);
      await inParallel(stepsOf, 3, async (i) => {
        await Promise.all([
          push(pushChunks[i]!.flatMap((t) => points(t, 1))),
          ingest(
            ingestChunks[i]!.flatMap((t) => points(t, 2)),
            cache,
          ),
        ]);
      });
      writing = false;
      await watcher;
      expect(violations).toEqual([]);
      expect(seen.size).toBe(COMPONENTS * INSTANCES);

      // Every sample belongs to a series that exists (a stale series id would orphan it).
      const [orphans] = await rows<{ n: number }>(
        sql`select count(*)::int as n from sample where series_id not in (select id from series)`,
      );
      expect(orphans!.n).toBe(0);
      const stored = await history(instances);
      expect(stored).toHaveLength(COMPONENTS * INSTANCES * STEPS);
      const at = new Map(stored.map((r) => [`${r.component}/${r.instance}/${r.ms}`, r.num]));
      expect(at.size).toBe(stored.length);
      for (const r of stored) expect([1, 2]).toContain(r.num - ((r.ms - base) / 1_000) * 10);
      // Both writers won some timestamps: the two really interleaved.
      const byPush = stored.filter((r) => r.num % 10 === 1).length;
      expect(byPush).toBeGreaterThan(0);
      expect(byPush).toBeLessThan(stored.length);

      const last = tsOf(STEPS - 1);
      for (const row of await current(instances)) {
        expect(row.ms).toBe(last);
        // Written by both: the current value is the one history kept.
        expect(row.value).toBe(at.get(`${row.component}/${row.instance}/${last}`));
      }
      console.log(
        `concurrent writers: ${stored.length} samples, ${byPush} kept from the push API and ${stored.length - byPush} from node batches`,
      );
    },
  );

  it("resolves a timestamp written by both the same way in history and current value: the first commit wins", async () => {
    const [a, b] = estate.componentIds as [string, string];
    const ts = Date.now() - 60_000;
    // Push first, then the node with the same timestamp; and the other way round.
    await push([{ component: a, instance: "tie", ts, value: 1 }]);
    await ingest([{ component: a, instance: "tie", ts, value: 2 }]);
    await ingest([{ component: b, instance: "tie", ts, value: 2 }]);
    await push([{ component: b, instance: "tie", ts, value: 1 }]);
    // Then older values from each: ignored by the current value, kept in history.
    await push([{ component: a, instance: "tie", ts: ts - 1_000, value: 3 }]);
    await ingest([{ component: b, instance: "tie", ts: ts - 1_000, value: 3 }]);

    const cur = await rows<{ component: string; value: number; provenance: string }>(sql`
      select component_id as component, value::float8 as value, provenance
      from series where instance = 'tie' order by component_id = ${a} desc`);
    expect(cur).toEqual([
      { component: a, value: 1, provenance: "pushed" },
      { component: b, value: 2, provenance: "observed" },
    ]);
    const hist = await history(["tie"]);
    expect(hist.map((r) => [r.component, r.ms, r.num])).toEqual(
      [
        [a, ts - 1_000, 3],
        [a, ts, 1],
        [b, ts - 1_000, 3],
        [b, ts, 2],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0)),
    );
  });

  it("resolves one series given twice at one timestamp in one request the same way in history and current value", async () => {
    const [a, , c] = estate.componentIds as [string, string, string];
    const ts = Date.now() - 30_000;
    await push([
      { component: a, instance: "twice", ts, value: 1 },
      { component: a, instance: "twice", ts, value: 2 },
    ]);
    await ingest([
      { component: c, instance: "twice", ts, value: 1 },
      { component: c, instance: "twice", ts, value: 2 },
    ]);
    const hist = await history(["twice"]);
    expect(hist).toHaveLength(2);
    const kept = new Map(hist.map((r) => [r.component, r.num]));
    for (const row of await current(["twice"]))
      expect(row.value, `component ${row.component}`).toBe(kept.get(row.component));
  });
});
