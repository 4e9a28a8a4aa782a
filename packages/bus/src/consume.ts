import { jetstream, type Consumer, type JsMsg } from "@nats-io/jetstream";
import type { ConsumerStats } from "@omniglass/contracts";
import type { z } from "zod";
import type { BusConnection } from "./connect";
import type { ConsumerDefinition } from "./topology";

export interface ConsumerLoop {
  readonly name: string;
  counters(): { handled: number; failed: number; rejected: number };
  /** Pending counts as the server sees them; throws when NATS is unreachable. */
  stats(): Promise<ConsumerStats>;
  /** Stops fetching, lets the message in hand finish, naks the rest of the batch. */
  stop(): Promise<void>;
}

export interface BatchConsumerOptions<T extends z.ZodType> {
  bus: BusConnection;
  definition: ConsumerDefinition;
  /** The message contract; a message that fails it is terminated (never redelivered) and counted. */
  schema: T;
  /**
   * Does the work for every message available now (at least one, so a batch of one reads
   * `async ([{ data }]) => …`). Resolving acks them all; throwing naks them all for redelivery
   * after `nakDelayMs`.
   */
  handle: (
    items: [{ data: z.output<T>; msg: JsMsg }, ...{ data: z.output<T>; msg: JsMsg }[]],
  ) => Promise<void>;
  /** Messages pulled ahead and buffered (JetStream's max_messages for `consume`). */
  prefetch?: number;
  /** At most this many messages per `handle` call. */
  maxPerHandle?: number;
  /** A message's weight (e.g. its samples); a call stops taking messages past `maxWeight`. */
  weigh?: (data: z.output<T>) => number;
  maxWeight?: number;
  /**
   * Handler calls in flight at once (default 1). With 2, the next write is prepared and sent
   * while the previous one commits; a further call starts only with a full load (maxPerHandle
   * messages or maxWeight) or when nothing is in flight, so writes stay large. Each call's
   * messages are acked after that call resolved, whatever the order.
   */
  concurrency?: number;
  /** Parses a message's JSON (default: `schema.parse`); throwing rejects the message. */
  parse?: (raw: unknown) => z.output<T>;
  nakDelayMs?: number;
  onError?: (
    error: unknown,
    context: { stage: "fetch" | "handle" | "reject"; subject?: string },
  ) => void;
}

/**
 * The one durable consumer loop. It hands its handler every message available at once, up to
 * `maxPerHandle` (the ingest lane: several sample batches become one transaction); a lane that
 * handles one message at a time passes `maxPerHandle: 1` (the presence lane). At-least-once:
 * messages are acked only after the handler resolved, so a crash or a stop redelivers the
 * unfinished ones; a NATS outage is survived by consuming again.
 */
export function runBatchConsumer<T extends z.ZodType>(
  options: BatchConsumerOptions<T>,
): ConsumerLoop {
  const { bus, definition, schema, handle } = options;
  const prefetch = options.prefetch ?? 64;
  const maxPerHandle = options.maxPerHandle ?? 32;
  const weigh = options.weigh ?? (() => 1);
  const maxWeight = options.maxWeight ?? Infinity;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const parseData = options.parse ?? ((raw: unknown) => schema.parse(raw) as z.output<T>);
  const nakDelayMs = options.nakDelayMs ?? 1_000;
  const onError = options.onError ?? (() => {});
  const counters = { handled: 0, failed: 0, rejected: 0 };
  let stopping = false;
  let consumer: Consumer | null = null;
  let current: { stop(): void } | null = null;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function getConsumer(): Promise<Consumer> {
    if (consumer) return consumer;
    const nc = await bus.ready();
    consumer = await jetstream(nc).consumers.get(definition.stream, definition.config.durable_name);
    return consumer;
  }

  type Item = { data: z.output<T>; msg: JsMsg };

  /** Parses a message on arrival; a message that fails its contract is terminated here. */
  function parse(msg: JsMsg): Item | null {
    try {
      return { data: parseData(msg.json()), msg };
    } catch (error) {
      counters.rejected += 1;
      onError(error, { stage: "reject", subject: msg.subject });
      // No reason text: nats-server 2.9 (Debian 12) ignores a "+TERM <reason>" it does not know.
      msg.term();
      return null;
    }
  }

  async function processAll(items: Item[]) {
    // Tell the server the messages in hand are being worked on, so a long write (a database
    // slow to answer) is not redelivered to another worker meanwhile.
    const ackWaitMs = (definition.config.ack_wait ?? 30_000_000_000) / 1_000_000;
    const working = setInterval(
      () => {
        for (const { msg } of items) msg.working();
      },
      Math.max(1_000, ackWaitMs / 3),
    );
    try {
      // Never empty: a call starts only with at least one message taken.
      await handle(items as [Item, ...Item[]]);
      for (const { msg } of items) msg.ack();
      counters.handled += items.length;
    } catch (error) {
      counters.failed += items.length;
      onError(error, { stage: "handle", subject: items[0]!.msg.subject });
      for (const { msg } of items) msg.nak(nakDelayMs);
    } finally {
      clearInterval(working);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        const c = await getConsumer();
        const messages = await c.consume({ max_messages: prefetch, expires: 5_000 });
        current = messages;
        const queue: Item[] = [];
        const signal: { arrived: (() => void) | null; ended: boolean; failure: unknown } = {
          arrived: null,
          ended: false,
          failure: null,
        };
        const reader = (async () => {
          try {
            for await (const msg of messages) {
              if (stopping) {
                msg.nak();
                continue;
              }
              const item = parse(msg);
              if (item) queue.push(item);
              signal.arrived?.();
            }
          } catch (error) {
            signal.failure = error;
          } finally {
            signal.ended = true;
            signal.arrived?.();
          }
        })();
        const inFlight = new Set<Promise<void>>();
        let settled: (() => void) | null = null;
        while (!stopping) {
          // Take what is there, up to the limits; the first message always goes.
          let weight = 0;
          let take = 0;
          let full = false;
          while (take < queue.length) {
            if (take >= maxPerHandle) {
              full = true;
              break;
            }
            const w = weigh(queue[take]!.data);
            if (take > 0 && weight + w > maxWeight) {
              full = true;
              break;
            }
            weight += w;
            take += 1;
          }
          if (take >= maxPerHandle || weight >= maxWeight) full = true;
          const start = take > 0 && inFlight.size < concurrency && (inFlight.size === 0 || full);
          if (start) {
            const p: Promise<void> = processAll(queue.splice(0, take)).finally(() => {
              inFlight.delete(p);
              settled?.();
            });
            inFlight.add(p);
            continue;
          }
          if (queue.length === 0 && signal.ended && inFlight.size === 0) break;
          // Wait for a message or for a call in flight to finish.
          await new Promise<void>((resolve) => {
            signal.arrived = resolve;
            settled = resolve;
            if (signal.ended && queue.length === 0 && inFlight.size === 0) resolve();
          });
          signal.arrived = null;
          settled = null;
        }
        await Promise.all(inFlight);
        if (stopping) messages.stop();
        await reader;
        for (const { msg } of queue.splice(0)) msg.nak();
        if (signal.failure && !stopping) throw signal.failure;
      } catch (error) {
        if (stopping) break;
        consumer = null;
        onError(error, { stage: "fetch" });
        await pause(1_000);
      } finally {
        current = null;
      }
    }
  })();

  return {
    name: definition.config.durable_name,
    counters: () => ({ ...counters }),
    stats: async () => {
      const info = await (await getConsumer()).info();
      return {
        stream: definition.stream,
        name: definition.config.durable_name,
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
        redelivered: info.num_redelivered,
      };
    },
    stop: async () => {
      stopping = true;
      current?.stop();
      wake?.();
      await loop;
    },
  };
}
