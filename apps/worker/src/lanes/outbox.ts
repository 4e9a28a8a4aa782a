import { publishJson, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { TransitionMessage } from "@omniglass/contracts";
import {
  unsafeMarkOutboxPublished,
  unsafeUnpublishedOutbox,
  type Database,
} from "@omniglass/gateway";
import type { LaneErrorHandler } from "./types";

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * The outbox relay: moves committed alarm transitions (outbox rows, written by the trigger on
 * alarm_event in the transition's own transaction) to JetStream on og.v1.transitions, oldest
 * first, each with Nats-Msg-Id = its outbox id, and only then stamps them published. Killed
 * between the two, the next relay (this worker restarted, or another) publishes them again:
 * JetStream stores them once within the stream's duplicate window, and the actions consumer is
 * idempotent on (endpoint, alarm, seq). Every worker runs one; they may publish the same row
 * twice, harmlessly, for the same reason.
 */
export function startOutboxRelay({
  bus,
  db,
  onError,
  pollMs = 100,
  batch = 500,
}: {
  bus: BusConnection;
  db: Database;
  onError: LaneErrorHandler;
  pollMs?: number;
  batch?: number;
}): OutboxRelay {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function pass(): Promise<number> {
    const nc = bus.current();
    if (!nc || nc.isClosed()) return 0;
    const rows = await unsafeUnpublishedOutbox(db, { limit: batch });
    if (rows.length === 0) return 0;
    const published: number[] = [];
    try {
      // In order: a row is stamped only after it and every older one of this pass were acked.
      for (const row of rows) {
        await publishJson(nc, SUBJECTS.transitions, TransitionMessage, row, {
          msgId: `outbox-${row.outboxId}`,
        });
        published.push(row.outboxId);
      }
    } finally {
      await unsafeMarkOutboxPublished(db, published);
    }
    return rows.length;
  }

  const loop = () => {
    if (stopping) return;
    running = pass()
      .then((n) => n)
      .catch((error) => {
        onError("outbox", error, "relay");
        return 0;
      })
      .then((n) => {
        // A full batch: go again at once; otherwise wait for the next poll.
        if (!stopping) timer = setTimeout(loop, n >= batch ? 0 : pollMs);
      });
  };
  loop();
  return {
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
