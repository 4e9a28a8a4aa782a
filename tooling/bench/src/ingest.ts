/**
 * `pnpm bench ingest`: samples per second through the real path (SampleBatch → JetStream → the
 * worker's ingest code → PostgreSQL), against a raw COPY of the same rows into the same table, on a
 * throwaway embedded PostgreSQL and nats-server. Prints figures; never fails on wall-clock.
 */
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  connectBus,
  CONSUMERS,
  ensureTopology,
  publishJson,
  runBatchConsumer,
  SUBJECTS,
} from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  createAssignmentCache,
  parseSampleBatch,
  unsafeCopySamplesForBench,
  unsafeEnsureCurrentPartitions,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedPolledComponents,
  unsafeSeedRegistries,
  unsafeSeriesIdsForBench,
  unsafeTruncateSamplesForBench,
  unsafeWriteNodeBatches,
} from "@omniglass/gateway";
import { freePort, startEmbeddedPostgres, startNatsServer } from "@omniglass/infra";

export interface IngestBenchOptions {
  samples: number;
  batch: number;
  components: number;
}

const INSTANCES = 10;
const GOAL_RATE = 100_000;
const GOAL_RATIO = 0.5;

const TICKS_PER_MS = 100 / 1000; // USER_HZ on Linux

/** CPU ms (user + system) of a process tree: the process, its live children and reaped ones. */
async function treeCpuMs(rootPid: number): Promise<number> {
  const stat = async (pid: number) => {
    try {
      const text = await readFile(`/proc/${pid}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
      return {
        ppid: Number(f[1]),
        own: Number(f[11]) + Number(f[12]),
        reaped: Number(f[13]) + Number(f[14]),
      };
    } catch {
      return null;
    }
  };
  const root = await stat(rootPid);
  if (!root) return 0;
  let ticks = root.own + root.reaped;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = await stat(Number(name));
    if (s && s.ppid === rootPid) ticks += s.own;
  }
  return ticks / TICKS_PER_MS;
}

async function pidFromFile(file: string): Promise<number> {
  try {
    return Number((await readFile(file, "utf8")).split("\n")[0]!.trim());
  } catch {
    return 0;
  }
}

async function untilReady<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries > 50 || !/starting up/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function benchIngest(options: IngestBenchOptions) {
  const say = (line: string) => console.log(`[bench] ${line}`);
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-bench-ingest-"));
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dir, "postgres"),
    port: await freePort(),
  });
  const nats = await startNatsServer({
    dataDir: path.join(dir, "nats"),
    port: await freePort(),
    monitorPort: await freePort(),
  });
  const handle = { close: async () => {} };
  const bus = connectBus({ servers: nats.url, name: "bench-ingest" });
  try {
    const url = await untilReady(() => unsafeEnsureDatabase(postgres.serverUrl, "bench"));
    await unsafeMigrate(url);
    const database = connectDatabase({ url, max: 5, applicationName: "bench-ingest" });
    handle.close = database.close;
    const db = database.db;
    await unsafeSeedRegistries(db);
    const estate = await unsafeSeedPolledComponents(db, {
      name: "bench-ingest",
      components: options.components,
    });
    await unsafeEnsureCurrentPartitions(db);
    const nc = await bus.ready();
    await ensureTopology(nc);
    const series = options.components * INSTANCES;
    const batches = Math.ceil(options.samples / options.batch);
    const total = batches * options.batch;
    say(
      `${total.toLocaleString()} samples in ${batches} batches of ${options.batch}, over ${series} series (cpu-load × ${INSTANCES} instances × ${options.components} components)`,
    );

    // Sample i of the run: series i % series, at base + floor(i / series) ms: unique (series, ts).
    const base = Date.now() - 60 * 60_000;
    const sampleAt = (i: number) => {
      const s = i % series;
      return {
        component: estate.componentIds[Math.floor(s / INSTANCES)]!,
        instance: `cpu-${s % INSTANCES}`,
        ts: base + Math.floor(i / series),
        value: (i % 1000) / 10,
      };
    };
    const payloads: SampleBatch[] = [];
    for (let b = 0; b < batches; b++) {
      const samples = [];
      for (let i = b * options.batch; i < (b + 1) * options.batch; i++) {
        const s = sampleAt(i);
        samples.push({ ...s, signal: "cpu-load" });
      }
      const batch = SampleBatch.parse({
        node: estate.nodeId,
        batchId: `bench-${b}`,
        samples,
        rejections: [],
      });
      payloads.push(batch);
    }

    // The payloads were checked against SampleBatch once, above; the timed publisher only
    // serialises and sends them (a node checks its batches on its own CPU, not the worker's).
    const checked = { parse: (payload: unknown) => payload } as unknown as typeof SampleBatch;

    // The worker's ingest lane, in process: same consumer helper, limits and writer.
    const publishedAt = new Map<string, number>();
    const latencies: number[] = [];
    let committed = 0;
    let lastCommit = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const assignments = createAssignmentCache(db);
    const prefix = SUBJECTS.samples("");
    const lane = runBatchConsumer({
      bus,
      definition: CONSUMERS.ingest,
      schema: SampleBatch,
      parse: parseSampleBatch,
      prefetch: 64,
      maxPerHandle: 32,
      weigh: (batch) => batch.samples.length,
      maxWeight: 20_000,
      concurrency: 2,
      handle: async (items) => {
        await unsafeWriteNodeBatches(
          db,
          assignments,
          items.map(({ data, msg }) => ({ nodeId: msg.subject.slice(prefix.length), batch: data })),
        );
        const now = performance.now();
        for (const { data } of items) {
          const at = publishedAt.get(data.batchId);
          if (at !== undefined) latencies.push(now - at);
          committed += data.samples.length;
        }
        lastCommit = now;
        if (committed >= total) done();
      },
      onError: (error, context) =>
        say(
          `lane ${context.stage}: ${(error as Error).message} ${String((error as Error).cause ?? "")}`,
        ),
    });

    const pgPid = await pidFromFile(path.join(dir, "postgres", "postmaster.pid"));
    const natsPid = await pidFromFile(path.join(dir, "nats", "nats-server.pid"));
    const cpuBefore = {
      node: process.cpuUsage(),
      pg: await treeCpuMs(pgPid),
      nats: await treeCpuMs(natsPid),
    };
    const started = performance.now();
    const pending = new Set<Promise<unknown>>();
    for (let b = 0; b < batches; b++) {
      publishedAt.set(`bench-${b}`, performance.now());
      const p = publishJson(nc, SUBJECTS.samples(estate.nodeId), checked, payloads[b]!, {
        msgId: `bench-${b}`,
        timeoutMs: 30_000,
      }).finally(() => pending.delete(p));
      pending.add(p);
      if (pending.size >= 64) await Promise.race(pending);
    }
    await Promise.all(pending);
    const publishedMs = performance.now() - started;
    await finished;
    const nodeCpu = process.cpuUsage(cpuBefore.node);
    const cpu = {
      node: (nodeCpu.user + nodeCpu.system) / 1000,
      pg: (await treeCpuMs(pgPid)) - cpuBefore.pg,
      nats: (await treeCpuMs(natsPid)) - cpuBefore.nats,
    };
    await lane.stop();
    const e2eMs = lastCommit - started;
    const e2eRate = total / (e2eMs / 1000);

    // The raw baseline: the same rows, COPYed into the same (emptied) table.
    const ids = await unsafeSeriesIdsForBench(db, {
      componentIds: estate.componentIds,
      signal: "cpu-load",
    });
    await unsafeTruncateSamplesForBench(db);
    const rows = new Array<{ seriesId: number; ts: number; num: number }>(total);
    for (let i = 0; i < total; i++) {
      const s = sampleAt(i);
      rows[i] = { seriesId: ids.get(`${s.component}|${s.instance}`)!, ts: s.ts, num: s.value };
    }
    const copyMs = await unsafeCopySamplesForBench(db, rows);
    const copyRate = total / (copyMs / 1000);

    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const fmt = (n: number) => Math.round(n).toLocaleString();
    say(`published in ${(publishedMs / 1000).toFixed(2)} s`);
    say(
      `end to end (publish → JetStream → ingest → commit): ${fmt(e2eRate)} samples/s (${(e2eMs / 1000).toFixed(2)} s)  goal ≥ ${fmt(GOAL_RATE)}`,
    );
    say(
      `raw COPY of the same rows:                         ${fmt(copyRate)} samples/s (${(copyMs / 1000).toFixed(2)} s)`,
    );
    say(
      `ratio e2e / COPY: ${((e2eRate / copyRate) * 100).toFixed(0)}%  goal ≥ ${GOAL_RATIO * 100}%`,
    );
    const perK = (ms: number) => ((ms / total) * 1000).toFixed(1);
    say(
      `CPU per 1,000 samples end to end: node (publisher + consumer + writer) ${perK(cpu.node)} ms, postgres ${perK(cpu.pg)} ms, nats-server ${perK(cpu.nats)} ms; all ${perK(cpu.node + cpu.pg + cpu.nats)} ms = ${fmt((total / (cpu.node + cpu.pg + cpu.nats)) * 1000)} samples per CPU-second`,
    );
    say(
      `publish → commit latency per batch: p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms`,
    );
  } finally {
    await bus.close();
    await handle.close();
    await nats.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
