import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { z } from "zod";
import { eventually, testInfra } from "@omniglass/testing";
import { connectBus, probeBus, type BusConnection } from "./connect";
import { runBatchConsumer } from "./consume";
import { publishJson } from "./publish";
import { CONSUMERS, ensureTopology, STREAMS } from "./topology";

const Job = z.object({ n: z.number().int() });

describe("bus", () => {
  let bus: BusConnection;
  const stream = `TEST_${process.pid}_${Date.now()}`;
  const subject = `test.${stream}.jobs`;

  beforeAll(async () => {
    bus = connectBus({ servers: testInfra().natsUrl, name: "bus-test" });
    const nc = await bus.ready();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`test.${stream}.>`] });
  });
  afterAll(async () => {
    const nc = await bus.ready();
    await (await jetstreamManager(nc)).streams.delete(stream);
    await bus.close();
  });

  /** A durable of its own on a subject of its own, so tests do not see each other's messages. */
  async function addConsumer(name: string) {
    const jsm = await jetstreamManager(await bus.ready());
    const filter = `${subject}.${name}`;
    await jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: 2_000_000_000,
      filter_subject: filter,
    });
    return { subject: filter, definition: { stream, config: { durable_name: name } } };
  }

  it("declares the topology idempotently", async () => {
    const nc = await bus.ready();
    await ensureTopology(nc);
    await ensureTopology(nc);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(STREAMS.presence.name);
    expect(info.config.subjects).toEqual(STREAMS.presence.subjects);
    const consumer = await jsm.consumers.info(
      CONSUMERS.presence.stream,
      CONSUMERS.presence.config.durable_name,
    );
    expect(consumer.config.ack_policy).toBe(AckPolicy.Explicit);
  });

  it("stores a retried publish once (Nats-Msg-Id)", async () => {
    const nc = await bus.ready();
    const first = await publishJson(nc, subject, Job, { n: 1 }, { msgId: "dedup-1" });
    const again = await publishJson(nc, subject, Job, { n: 1 }, { msgId: "dedup-1" });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    await (await jetstreamManager(nc)).streams.purge(stream);
  });

  it("refuses to publish what breaks the contract", async () => {
    const nc = await bus.ready();
    await expect(publishJson(nc, subject, Job, { n: 1.5 }, { msgId: "bad" })).rejects.toThrow();
  });

  it("acks handled work, terminates poison, redelivers failures", async () => {
    const { subject, definition } = await addConsumer("outcomes");
    const nc = await bus.ready();
    const js = jetstream(nc);
    await js.publish(subject, JSON.stringify({ n: 1 }));
    await js.publish(subject, "not json at all");
    await js.publish(subject, JSON.stringify({ n: 2 }));
    const attempts = new Map<number, number>();
    const loop = runBatchConsumer({
      bus,
      definition,
      schema: Job,
      maxPerHandle: 1,
      nakDelayMs: 100,
      handle: async ([
        {
          data: { n },
        },
      ]) => {
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (n === 2 && attempts.get(2)! < 3) throw new Error("transient");
      },
    });
    await eventually(async () => loop.counters().handled === 2, 10_000).catch((error: Error) => {
      throw new Error(`${error.message}; counters ${JSON.stringify(loop.counters())}`);
    });
    const counters = loop.counters();
    expect(counters).toEqual({ handled: 2, failed: 2, rejected: 1 });
    expect(attempts.get(1)).toBe(1);
    expect(attempts.get(2)).toBe(3);
    let lastStats: unknown;
    const stats = await eventually(async () => {
      const s = await loop.stats();
      lastStats = s;
      return s.ackPending === 0 ? s : null;
    }, 5_000).catch((error: Error) => {
      throw new Error(`${error.message}; stats ${JSON.stringify(lastStats)}`);
    });
    expect(stats.pending).toBe(0);
    await loop.stop();
  });

  it("on stop finishes the message in hand and acks nothing unfinished", async () => {
    const { subject, definition } = await addConsumer("graceful");
    const nc = await bus.ready();
    const js = jetstream(nc);
    for (let n = 1; n <= 5; n++) await js.publish(subject, JSON.stringify({ n }));
    let release!: () => void;
    const inHand = new Promise<void>((resolve) => (release = resolve));
    const started: number[] = [];
    const finished: number[] = [];
    const loop = runBatchConsumer({
      bus,
      definition,
      schema: Job,
      prefetch: 5,
      maxPerHandle: 1,
      handle: async ([
        {
          data: { n },
        },
      ]) => {
        started.push(n);
        if (n === 1) await inHand;
        finished.push(n);
      },
    });
    await eventually(async () => started.length === 1);
    const stopping = loop.stop();
    release();
    await stopping;
    expect(finished).toEqual([1]);

    // Everything but the finished message is still owed: a new loop on the same durable gets 2..5.
    const redelivered: number[] = [];
    const second = runBatchConsumer({
      bus,
      definition,
      schema: Job,
      maxPerHandle: 1,
      handle: async ([
        {
          data: { n },
        },
      ]) => void redelivered.push(n),
    });
    // Those prefetched are naked, or (held by the stopped consume) redelivered after ack_wait.
    await eventually(async () => new Set(redelivered).size >= 4, 10_000);
    await second.stop();
    expect([...new Set(redelivered)].sort()).toEqual([2, 3, 4, 5]);
  });

  it("probes the server", async () => {
    const check = await probeBus(bus);
    expect(check.status).toBe("up");
    expect(check.latencyMs).not.toBeNull();
    const never = connectBus({ servers: "nats://127.0.0.1:1", name: "nowhere" });
    expect(await probeBus(never)).toMatchObject({ status: "down", error: "not connected yet" });
    await never.close();
  });
});
