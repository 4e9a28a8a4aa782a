import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { z } from "zod";
import type {
  AlarmsChanged,
  HealthChanged,
  LiveValuesChanged,
  SampleBatch,
} from "@omniglass/contracts";
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

/** What a writer knows of an alarm change; `at` defaults to the publish time. */
export type AlarmChangeNotice = Omit<AlarmsChanged, "at"> & { at?: string };

/**
 * Tells the live views which alarms changed (opened, resolved, acknowledged, …), on core NATS
 * after the commit (the worker's ingest and clock lanes, the API's acknowledge and resolve).
 * Fire and forget like `publishLiveValues`: the alarm tables are the truth, so nothing here throws.
 */
export function publishAlarmChanges(bus: BusConnection, changes: AlarmChangeNotice[]): void {
  if (changes.length === 0) return;
  const nc = bus.current();
  if (!nc || nc.isClosed()) return;
  const now = new Date().toISOString();
  for (const change of changes) {
    try {
      const message: AlarmsChanged = {
        alarmId: change.alarmId,
        kind: change.kind,
        owner: { kind: change.owner.kind, id: change.owner.id },
        severity: change.severity,
        at: change.at ?? now,
      };
      nc.publish(SUBJECTS.liveAlarms, JSON.stringify(message));
    } catch {
      // Ignored: the console reads the alarms again on its next view.
    }
  }
}

/**
 * Tells the live views whose health verdict changed, on `og.v1.live.health.<ownerId>` after the
 * commit that recorded the transition. Fire and forget; nothing here throws.
 */
export function publishHealthChanges(bus: BusConnection, changes: HealthChanged[]): void {
  if (changes.length === 0) return;
  const nc = bus.current();
  if (!nc || nc.isClosed()) return;
  for (const change of changes) {
    try {
      const message: HealthChanged = {
        ownerKind: change.ownerKind,
        ownerId: change.ownerId,
        verdict: change.verdict,
        previous: change.previous,
        at: change.at,
      };
      nc.publish(SUBJECTS.liveHealth(change.ownerId), JSON.stringify(message));
    } catch {
      // Ignored: the console reads the verdict again on its next view.
    }
  }
}
