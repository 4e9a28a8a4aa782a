import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connectBus, ensureTopology, STREAMS, type BusConnection } from "@omniglass/bus";
import { SampleBatch, TemplateFunction, type NodeTask } from "@omniglass/contracts";
import {
  freePort,
  sleep,
  spawnManaged,
  startNatsServer,
  type ManagedProcess,
  type RunningNats,
} from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { worklistOf } from "./testing";

/*
 * The node as its own process (src/main.ts, as `npm start` runs it), SIGKILLed while it buffers
 * (NATS down), started again on the same state directory (still buffering) and SIGKILLed again,
 * then started a third time with NATS up: every sample that reached the disk buffer before a kill,
 * and every sample the third process takes, is in OG_SAMPLES exactly once, in the order taken. What
 * only the killed process's memory held (at most one batch window, 200 ms here) is the one thing a
 * SIGKILL may take. The third process is stopped with SIGTERM, and SIGTERM again while it drains (as
 * a process-group stop through a relaying wrapper delivers it): it must still exit 0 with every
 * sample it took delivered or on disk.
 *
 * What "took" means is the node's own account, not the server's: the server sees a request when it
 * arrives, but a poll still in flight at the SIGTERM is aborted and yields no sample. The third
 * process's "stopped" line reports the samples it took (one per poll here); those must be exactly
 * the first polls the server answered it, and at most one poll (the one in flight: a function never
 * runs twice at once) may go untaken.
 *
 * The node runs as `npm start` runs it (`node --import tsx src/main.ts`, one process): the tsx CLI
 * puts a second process in the group that relays the signal and SIGKILLs its child when the child
 * does not confirm within 30 ms, which on a loaded machine ends a drain that was going fine.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.resolve(HERE, "..");
const NODE = "0190f5a0-0000-7000-8000-00000000b1de";
const COMPONENT = "0190f5a0-0000-7000-8000-00000000d15b";

describe("node restart", () => {
  let nats: RunningNats | null = null;
  let natsOptions: { dataDir: string; port: number; monitorPort: number };
  let natsUrl: string;
  let server: Server;
  let stateDir: string;
  const requests: { n: number; at: number }[] = [];
  const children: ManagedProcess[] = [];
  const output: string[] = [];
  /** Each started process's own lines, by start order. */
  const outputs: string[][] = [];

  beforeAll(async () => {
    const tmp = testInfra().tempDir;
    natsOptions = {
      dataDir: path.join(tmp, `node-restart-nats-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    };
    // The stream is declared once; then NATS goes away before the node ever sees it.
    nats = await startNatsServer(natsOptions);
    natsUrl = nats.url;
    const bus = connectBus({ servers: natsUrl, name: "node-restart-setup" });
    await ensureTopology(await bus.ready());
    await bus.close();
    await nats.stop();
    nats = null;

    // One loopback server plays both the platform (the worklist) and the display it polls.
    let worklist = "";
    server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1/nodes/self/worklist") return void res.end(worklist);
      const n = requests.length + 1;
      requests.push({ n, at: Date.now() });
      res.end(
        JSON.stringify({ power: "on", input: "hdmi-1", temperature: n, volume: 10, muted: false }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
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
      port: (server.address() as AddressInfo).port,
      secrets: {},
      functions: [
        TemplateFunction.parse({
          name: "status",
          interface: "http",
          // Two polls a second: a kill lands between batches, and the outage is short.
          interval: "500ms",
          request: { protocol: "http", path: "/api/status" },
          outputs: [{ signal: "temperature", from: "/temperature" }],
        }),
      ],
    };
    worklist = JSON.stringify(worklistOf(NODE, "etag-restart", [task]));

    stateDir = path.join(tmp, `node-restart-state-${process.pid}`);
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFile(
      path.join(stateDir, "credential.json"),
      JSON.stringify({ nodeId: NODE, name: "restart-node", token: "og_test_restart_token" }),
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    for (const child of children) await child.stop(2_000);
    await nats?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  const startNodeProcess = (batchMs = 200) => {
    const lines: string[] = [];
    outputs.push(lines);
    const child = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: APP,
      env: {
        ...process.env,
        OMNIGLASS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        NATS_URL: natsUrl,
        OMNIGLASS_NODE_STATE_DIR: stateDir,
        OMNIGLASS_BATCH_MS: String(batchMs),
        OMNIGLASS_NODE_HEARTBEAT_MS: "1000",
        OMNIGLASS_WORKLIST_REFRESH_MS: "60000",
        OMNIGLASS_NODE_METRICS_PORT: "0",
      },
      onLine: (line) => {
        output.push(line);
        lines.push(line);
      },
    });
    children.push(child);
    return child;
  };

  /** The temperatures on disk in the buffer, segment by segment, line by line. */
  const onDisk = async (): Promise<{ values: number[]; segments: number }> => {
    const dir = path.join(stateDir, "buffer");
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith(".jsonl"))
      .sort();
    const values: number[] = [];
    for (const file of files)
      for (const line of (await readFile(path.join(dir, file), "utf8")).split("\n")) {
        if (line.trim() === "") continue;
        for (const s of SampleBatch.parse(JSON.parse(line)).samples) values.push(s.value as number);
      }
    return { values, segments: files.length };
  };

  it(
    "loses and doubles nothing it buffered across two SIGKILLs and restarts",
    { timeout: 90_000 },
    async () => {
      const diag = () => `; node said:\n${output.slice(-12).join("\n")}`;
      const untilOnDisk = (count: number) =>
        eventually(async () => (await onDisk()).values.length >= count, 30_000, 50).catch(
          (error: Error) => {
            throw new Error(`${error.message}${diag()}`);
          },
        );
      const inOrderOnce = (values: number[]) => {
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(new Set(values).size).toBe(values.length);
      };

      // 1. NATS down: the node buffers, and is SIGKILLed.
      const first = startNodeProcess();
      await untilOnDisk(6);
      await first.stop(0, "SIGKILL");
      const atFirstKill = await onDisk();
      const polledByFirst = requests.length;
      expect(atFirstKill.segments).toBe(1);
      inOrderOnce(atFirstKill.values);

      // 2. Started again on the same state, NATS still down: it finds the buffer and appends
      //    behind it, in a segment of its own; SIGKILLed again.
      const second = startNodeProcess();
      await untilOnDisk(atFirstKill.values.length + 4);
      await second.stop(0, "SIGKILL");
      const atSecondKill = await onDisk();
      const polledBySecond = requests.length;
      expect(atSecondKill.segments).toBe(2);
      expect(atSecondKill.values.slice(0, atFirstKill.values.length)).toEqual(atFirstKill.values);
      inOrderOnce(atSecondKill.values);

      // 3. NATS back first, then the node: it must drain what the dead ones left by itself.
      nats = await startNatsServer(natsOptions);
      const bus: BusConnection = connectBus({ servers: natsUrl, name: "node-restart-test" });
      try {
        const thirdAt = Date.now();
        // A batch window of 5 s: when it is stopped (just after an answer), what it took since
        // the last flush (the last 5 s, short of a tick in the last few ms) is still in memory,
        // and only the stop's own flush can deliver it.
        const third = startNodeProcess(5_000);
        await eventually(
          async () => (await onDisk()).segments === 0 && requests.length > polledBySecond + 6,
          30_000,
          100,
        ).catch(async (error: Error) => {
          throw new Error(`${error.message}; on disk ${JSON.stringify(await onDisk())}${diag()}`);
        });
        // Stopped 50 ms after a poll was answered: that answer is in memory, not yet in a batch.
        const before = requests.length;
        await eventually(async () => requests.length > before, 5_000, 5);
        await sleep(50);
        // Stopped gracefully: what it still holds goes to disk (sent at the next start), so
        // the last batch may be there rather than in the stream; it counts as delivered later.
        // A second SIGTERM while it drains must not cut the drain short. NATS is frozen
        // (SIGSTOP) from before the stop until the node has taken the second signal, so the
        // drain is still waiting on it when that signal lands.
        const thirdLines = outputs[2]!;
        const natsPid = nats.process.child.pid!;
        process.kill(natsPid, "SIGSTOP");
        const stopping = third.stop(15_000);
        try {
          await eventually(
            async () => thirdLines.some((l) => l.includes("draining: finishing")),
            10_000,
            5,
          );
          process.kill(third.child.pid!, "SIGTERM");
          // NATS stays frozen until the node has taken the second signal (or died of it).
          await Promise.race([
            stopping,
            eventually(
              async () => thirdLines.some((l) => l.includes("already draining")),
              10_000,
              5,
            ).catch(() => {}), // judged below, with what the node said
          ]);
        } finally {
          process.kill(natsPid, "SIGCONT");
        }
        expect(await stopping, `exit of the third process${diag()}`).toBe(0);
        expect(
          thirdLines.some((l) => l.includes("already draining")),
          `the repeated SIGTERM while draining; the third process said:\n${thirdLines.slice(-8).join("\n")}`,
        ).toBe(true);
        const leftover = (await onDisk()).values;
        // The node's own account of what it took (logged as it stops).
        const stoppedLine = thirdLines.find((l) => l.includes('"samplesTaken"'));
        expect(stoppedLine, `the third process's "stopped" line${diag()}`).toBeDefined();
        const account = JSON.parse(stoppedLine!) as { polls: number; samplesTaken: number };

        const nc = await bus.ready();
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
        const delivered = [...values, ...leftover];

        // Everything either killed process had put on disk, once each.
        for (const n of atSecondKill.values)
          expect(
            delivered.filter((v) => v === n),
            `buffered poll ${n}`,
          ).toHaveLength(1);
        // Everything the third process took, once each: the first `samplesTaken` polls it sent
        // (each poll's answer arrives before the next request goes out), and at most the one
        // poll in flight at the SIGTERM untaken.
        const byThird = requests.filter((r) => r.at > thirdAt).map((r) => r.n);
        const taken = byThird.slice(0, account.samplesTaken);
        const inFlightAtStop = byThird.slice(account.samplesTaken);
        expect(account.polls, "polls by the third process (one sample each)").toBe(
          account.samplesTaken,
        );
        expect(taken.length).toBe(account.samplesTaken);
        expect(taken.length).toBeGreaterThan(6);
        expect(
          inFlightAtStop.length,
          `polls ${inFlightAtStop.join(", ")} untaken`,
        ).toBeLessThanOrEqual(1);
        for (const n of taken)
          expect(
            delivered.filter((v) => v === n),
            `poll ${n} after the restart`,
          ).toHaveLength(1);
        for (const n of inFlightAtStop)
          expect(delivered, `poll ${n} was in flight at the stop, not taken`).not.toContain(n);
        // In the order taken, across both kills; nothing twice.
        inOrderOnce(delivered);
        // Lost to a SIGKILL: only polls a killed process had not flushed yet (one batch window each).
        const lost = requests
          .map((r) => r.n)
          .filter((n) => !delivered.includes(n) && !inFlightAtStop.includes(n));
        for (const n of lost)
          expect(
            (n > Math.max(...atFirstKill.values) && n <= polledByFirst) ||
              (n > Math.max(...atSecondKill.values) && n <= polledBySecond),
            `poll ${n} lost outside a kill's batch window`,
          ).toBe(true);
        expect(lost.length).toBeLessThanOrEqual(4);
        console.log(
          `node restart: ${atFirstKill.values.length} then ${atSecondKill.values.length} samples on disk at the SIGKILLs, ${taken.length} samples taken by the third process (${inFlightAtStop.length} poll in flight at its SIGTERM), ${delivered.length} delivered, each once (${lost.length} in memory at a kill)`,
        );
      } finally {
        await bus.close();
      }
    },
  );
});
