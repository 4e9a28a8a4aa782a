import { jetstream, type Consumer, type JsMsg } from "@nats-io/jetstream";
import type { ConsumerStats } from "@omniglass/contracts";
import type { z } from "zod";
import type { BusConnection } from "./connect";
import type { ConsumerDefinition } from "./topology";

export interface ConsumerLoopOptions<T extends z.ZodType> {
  bus: BusConnection;
  definition: ConsumerDefinition;
  /** The message contract; a message that fails it is terminated (never redelivered) and counted. */
  schema: T;
  /** Does the work. Resolving acks the message; throwing naks it for redelivery after `nakDelayMs`. */
  handle: (data: z.output<T>, msg: JsMsg) => Promise<void>;
  batch?: number;
  expiresMs?: number;
  nakDelayMs?: number;
  onError?: (
    error: unknown,
    context: { stage: "fetch" | "handle" | "reject"; subject?: string },
  ) => void;
}

export interface ConsumerLoop {
  readonly name: string;
  counters(): { handled: number; failed: number; rejected: number };
  /** Pending counts as the server sees them; throws when NATS is unreachable. */
  stats(): Promise<ConsumerStats>;
  /** Stops fetching, lets the message in hand finish, naks the rest of the batch. */
  stop(): Promise<void>;
}

/**
 * A durable pull-consumer loop with at-least-once delivery: a message is acked only after its
 * handler resolved, so a crash or a stop redelivers what was not finished. Survives NATS outages
 * by retrying the fetch.
 */
export function runConsumer<T extends z.ZodType>(options: ConsumerLoopOptions<T>): ConsumerLoop {
  const { bus, definition, schema, handle } = options;
  const batch = options.batch ?? 64;
  const expiresMs = options.expiresMs ?? 2_000;
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

  async function process(msg: JsMsg) {
    let data: z.output<T>;
    try {
      data = schema.parse(msg.json());
    } catch (error) {
      counters.rejected += 1;
      onError(error, { stage: "reject", subject: msg.subject });
      // No reason text: nats-server 2.9 (Debian 12) ignores a "+TERM <reason>" it does not know.
      msg.term();
      return;
    }
    try {
      await handle(data, msg);
      msg.ack();
      counters.handled += 1;
    } catch (error) {
      counters.failed += 1;
      onError(error, { stage: "handle", subject: msg.subject });
      msg.nak(nakDelayMs);
    }
  }

  const loop = (async () => {
    while (!stopping) {
      try {
        const c = await getConsumer();
        const messages = await c.fetch({ max_messages: batch, expires: expiresMs });
        current = messages;
        for await (const msg of messages) {
          if (stopping) {
            msg.nak();
            continue;
          }
          await process(msg);
        }
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
