import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectBus, ensureTopology, STREAMS, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { NodeHeartbeat, SampleBatch, TemplateFunction, type NodeTask } from "@omniglass/contracts";
import { freePort, sleep, startNatsServer, type RunningNats } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startNode, type RunningNode } from "./node";
import { worklistOf } from "./testing";

/*
 * The node's promise: no sample taken while NATS is down is lost. A nats-server of this file's
 * own (stopped for 30 s mid-test), a display answering every request with its sequence number as
 * the temperature, polled every second; afterwards every poll of the outage is in OG_SAMPLES
 * exactly once, in the order taken.
 */

const NODE = "0190f5a0-0000-7000-8000-00000000b0de";
const COMPONENT = "0190f5a0-0000-7000-8000-00000000d15a";
const OUTAGE_MS = 30_000;

describe("node reliability", () => {
  let nats: RunningNats;
  let natsOptions: { dataDir: string; port: number; monitorPort: number };
  let display: Server;
  const requests: { n: number; at: number }[] = [];
  let node: RunningNode | null = null;
  let bus: BusConnection;
  const logLines: string[] = [];

  beforeAll(async () => {
    natsOptions = {
      dataDir: path.join(testInfra().tempDir, `node-reliability-nats-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    };
    nats = await startNatsServer(natsOptions);
    bus = connectBus({ servers: nats.url, name: "node-reliability-test" });
    await ensureTopology(await bus.ready());
    display = createServer((req, res) => {
      const n = requests.length + 1;
      requests.push({ n, at: Date.now() });
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ power: "on", input: "hdmi-1", temperature: n, volume: 10, muted: false }),
      );
    });
    await new Promise<void>((resolve) => display.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await node?.stop();
    await bus?.close();
    await nats?.stop();
    await new Promise((resolve) => display?.close(resolve));
  });

  it(
    "buffers every poll taken while NATS is down and delivers each once, in order",
    { timeout: 90_000 },
    async () => {
      const task: NodeTask = {
        component: { id: COMPONENT, path: "test.display" },
        interface: {
          name: "http",
          protocol: "http",
          port: 80,
          tls: false,
          verifyTls: true,
          auth: { scheme: "none" },
          timeout: "2s",
        },
        host: "127.0.0.1",
        port: (display.address() as AddressInfo).port,
        secrets: {},
        functions: [
          TemplateFunction.parse({
            name: "status",
            interface: "http",
            interval: "1s",
            request: { protocol: "http", path: "/api/status" },
            outputs: [{ signal: "temperature", from: "/temperature" }],
          }),
        ],
      };
      const worklist = worklistOf(NODE, "etag-1", [task]);
      node = await startNode({
        nodeId: NODE,
        natsUrl: nats.url,
        stateDir: path.join(testInfra().tempDir, `node-reliability-state-${process.pid}`),
        heartbeatMs: 1_000,
        worklistRefreshMs: 60_000,
        batchMs: 200,
        version: "test",
        worklistSource: { fetch: async () => worklist },
        maxJitterMs: 100,
        log: (line) => logLines.push(line),
      });
      const running = node;
      await eventually(async () => running.stats().published >= 3, 10_000);

      await nats.stop();
      const outageFrom = Date.now();
      await sleep(OUTAGE_MS);
      const outageTo = Date.now();
      expect(running.stats().buffered).toBeGreaterThan(20);
      nats = await startNatsServer(natsOptions);

      await eventually(async () => {
        const s = running.stats();
        return s.connected && s.bufferedBatches === 0 && s.published >= requests.length - 2;
      }, 30_000).catch((error: Error) => {
        throw new Error(
          `${error.message}; stats ${JSON.stringify(running.stats())}; log ${logLines.slice(-8).join(" | ")}`,
        );
      });
      await node.stop();
      node = null;

      // It heartbeats on the presence lane with its worklist's etag and its counts.
      // (Retried: the test's own connection may still be settling after the server's restart.)
      const last = await eventually(
        async () =>
          (await jetstreamManager(await bus.ready(), { timeout: 10_000 })).streams.getMessage(
            STREAMS.presence.name,
            { last_by_subj: SUBJECTS.nodePresence(NODE) },
          ),
        30_000,
      );
      expect(NodeHeartbeat.parse(last?.json())).toMatchObject({
        nodeId: NODE,
        worklistEtag: "etag-1",
        tasks: 1,
        functions: 1,
      });

      const taken = requests.filter((r) => r.at > outageFrom && r.at < outageTo).map((r) => r.n);
      expect(taken.length).toBeGreaterThanOrEqual(25);

      // Everything the stream holds, read by a fresh ordered consumer.
      const nc = await bus.ready();
      await eventually(
        async () => (await jetstreamManager(nc)).streams.info(STREAMS.samples.name),
        10_000,
      );
      const info = await (await jetstreamManager(nc)).streams.info(STREAMS.samples.name);
      const consumer = await jetstream(nc).consumers.get(STREAMS.samples.name);
      const values: number[] = [];
      let read = 0;
      while (read < info.state.messages) {
        const messages = await consumer.fetch({ max_messages: 500, expires: 2_000 });
        for await (const msg of messages) {
          read += 1;
          const batch = SampleBatch.parse(msg.json());
          expect(batch.node).toBe(NODE);
          for (const sample of batch.samples) values.push(sample.value as number);
        }
      }

      for (const n of taken)
        expect(
          values.filter((v) => v === n),
          `poll ${n}`,
        ).toHaveLength(1);
      // In the order taken: the stream's values only ever increase.
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(new Set(values).size).toBe(values.length);
      console.log(
        `node reliability: ${taken.length} polls during a ${OUTAGE_MS / 1000} s outage, ${values.length} samples in OG_SAMPLES (${info.state.messages} batches), all delivered once`,
      );
    },
  );
});
