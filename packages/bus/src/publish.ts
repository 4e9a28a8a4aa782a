import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { z } from "zod";
import type { LiveValuesChanged, SampleBatch } from "@omniglass/contracts";
import type { BusConnection } from "./connect";
import { SUBJECTS } from "./subjects";

/**
 * Publishes one JSON message to JetStream after validating it against its contract.
 * `msgId` becomes `Nats-Msg-Id`, so a retried publish inside the stream's duplicate window is stored once.
 */
export async function publishJson<T extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  schema: T,
  payload: z.input<T>,
  { msgId, timeoutMs = 2_000 }: { msgId: string; timeoutMs?: number },
): Promise<{ seq: number; duplicate: boolean }> {
  const data = schema.parse(payload);
  const ack = await jetstream(nc, { timeout: timeoutMs }).publish(subject, JSON.stringify(data), {
    msgID: msgId,
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

/**
 * Publishes a node's SampleBatch on og.v1.samples.<node> with `Nats-Msg-Id` = its batchId, so a
 * batch sent again after a lost ack (or from the disk buffer) is stored once. The node built it
 * from checked samples and the ingest lane checks it again, so it is not parsed here: this is the
 * hot path (a batch holds up to 5,000 samples).
 */
export async function publishSampleBatch(
  nc: NatsConnection,
  batch: SampleBatch,
  { timeoutMs = 3_000 }: { timeoutMs?: number } = {},
): Promise<{ seq: number; duplicate: boolean }> {
  const ack = await jetstream(nc, { timeout: timeoutMs }).publish(
    SUBJECTS.samples(batch.node),
    JSON.stringify(batch),
    { msgID: batch.batchId },
  );
  return { seq: ack.seq, duplicate: ack.duplicate };
}

/**
 * Tells the live views which owners' current values changed, on core NATS after a commit (the
 * worker's ingest and clock lanes, the web process's push API). Fire and forget: a lost message
 * costs a re-read, so nothing here throws.
 */
export function publishLiveValues(
  bus: BusConnection,
  changed: Pick<LiveValuesChanged, "ownerKind" | "ownerId" | "signals">[],
): void {
  const nc = bus.current();
  if (!nc || nc.isClosed()) return;
  const at = new Date().toISOString();
  for (const owner of changed) {
    try {
      const message: LiveValuesChanged = {
        ownerKind: owner.ownerKind,
        ownerId: owner.ownerId,
        signals: owner.signals,
        at,
      };
      nc.publish(SUBJECTS.liveValues(owner.ownerId), JSON.stringify(message));
    } catch {
      // Ignored: the console reads the values again on its next view.
    }
  }
}
