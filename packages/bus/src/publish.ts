import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { z } from "zod";

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
