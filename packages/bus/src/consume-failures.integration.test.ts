import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { z } from "zod";
import { eventually, testInfra } from "@omniglass/testing";
import { connectBus, type BusConnection } from "./connect";
import { runBatchConsumer } from "./consume";

/*
 * runBatchConsumer's failure paths with several messages per handler call (as the ingest lane
 * runs it): a call that throws has every one of its messages redelivered and none lost; a
 * message breaking the contract is terminated on arrival (never redelivered, never handed to the
 * handler, counted) while the messages around it are handled.
 */

const Job = z.object({ n: z.number().int() });

describe("batch consumer failure paths", () => {
  let bus: BusConnection;
  const stream = `TEST_FAIL_${process.pid}_${Date.now()}`;
  const subject = `test.${stream}.jobs`;

  beforeAll(async () => {
    bus = connectBus({ servers: testInfra().natsUrl, name: "consume-failures-test" });
    const jsm = await jetstreamManager(await bus.ready());
    await jsm.streams.add({ name: stream, subjects: [`test.${stream}.>`] });
  });
  afterAll(async () => {
    await (await jetstreamManager(await bus.ready())).streams.delete(stream);
    await bus.close();
  });

  async function addConsumer(name: string) {
    const jsm = await jetstreamManager(await bus.ready());
    const filter = `${subject}.${name}`;
    await jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      ack_wait: 2_000_000_000,
      filter_subject: filter,
    });
    return {
      subject: filter,
      definition: { stream, config: { durable_name: name } },
      info: async () => jsm.consumers.info(stream, name),
    };
  }

  it("redelivers every message of a failed call and loses none", async () => {
    const { subject, definition, info } = await addConsumer("failed-call");
    const js = jetstream(await bus.ready());
    for (let n = 1; n <= 20; n++) await js.publish(subject, JSON.stringify({ n }));
    const calls: number[][] = [];
    const done = new Map<number, number>();
    let failures = 0;
    const loop = runBatchConsumer({
      bus,
      definition,
      schema: Job,
      maxPerHandle: 8,
      nakDelayMs: 100,
      handle: async (items) => {
        const ns = items.map(({ data }) => data.n);
        calls.push(ns);
        // A write takes a while: the next messages queue up behind it, so calls hold several.
        await new Promise((r) => setTimeout(r, 50));
        // The first two calls holding several messages fail as a whole (a database error).
        if (ns.length > 1 && failures < 2) {
          failures += 1;
          throw new Error("the database went away");
        }
        for (const n of ns) done.set(n, (done.get(n) ?? 0) + 1);
      },
    });
    try {
      await eventually(async () => done.size === 20, 15_000).catch((error: Error) => {
        throw new Error(`${error.message}; calls ${JSON.stringify(calls)}`);
      });
      expect(failures).toBe(2);
      const failedMessages = calls
        .filter((c) => c.length > 1)
        .slice(0, 2)
        .flat();
      expect(failedMessages.length).toBeGreaterThan(2);
      // Each message handled exactly once in the end (the failed calls' included).
      expect([...done.values()].every((count) => count === 1)).toBe(true);
      const counters = loop.counters();
      expect(counters.failed).toBe(failedMessages.length);
      expect(counters.handled).toBe(20);
      expect(counters.rejected).toBe(0);
      const settled = await eventually(async () => {
        const i = await info();
        return i.num_ack_pending === 0 ? i : null;
      }, 5_000);
      expect(settled.num_pending).toBe(0);
      // The server delivered the failed ones again: one delivery per message plus one per failure.
      expect(settled.delivered.consumer_seq).toBe(20 + failedMessages.length);
    } finally {
      await loop.stop();
    }
  });

  it("terminates a poison message on arrival, counts it, and handles those around it", async () => {
    const { subject, definition, info } = await addConsumer("poison");
    const js = jetstream(await bus.ready());
    await js.publish(subject, JSON.stringify({ n: 1 }));
    await js.publish(subject, "{ not json");
    await js.publish(subject, JSON.stringify({ n: 2.5 })); // JSON, but breaks the contract
    for (let n = 2; n <= 6; n++) await js.publish(subject, JSON.stringify({ n }));
    const handled: number[] = [];
    const rejectedSubjects: string[] = [];
    const loop = runBatchConsumer({
      bus,
      definition,
      schema: Job,
      maxPerHandle: 16,
      handle: async (items) => void handled.push(...items.map(({ data }) => data.n)),
      onError: (_error, context) => {
        if (context.stage === "reject") rejectedSubjects.push(context.subject ?? "");
      },
    });
    try {
      await eventually(async () => handled.length === 6, 10_000);
      expect(handled.sort()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(loop.counters()).toEqual({ handled: 6, failed: 0, rejected: 2 });
      expect(rejectedSubjects).toEqual([subject, subject]);
      // Past the ack wait (2 s) nothing comes back: the poison was terminated, not left unacked.
      await new Promise((r) => setTimeout(r, 2_500));
      const settled = await info();
      expect(settled.num_ack_pending).toBe(0);
      expect(settled.num_pending).toBe(0);
      expect(settled.num_redelivered).toBe(0);
      expect(settled.delivered.consumer_seq).toBe(8);
      expect(loop.counters()).toEqual({ handled: 6, failed: 0, rejected: 2 });
    } finally {
      await loop.stop();
    }
  });
});
