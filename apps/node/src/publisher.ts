import type { NatsConnection } from "@nats-io/transport-node";
import { v7 as uuidv7 } from "uuid";
import { publishSampleBatch, type BusConnection } from "@omniglass/bus";
import type { NodeRejection, NodeSample, SampleBatch } from "@omniglass/contracts";
import type { DiskBuffer } from "./buffer";

/*
 * The publisher: samples collected for `batchMs` become one SampleBatch on og.v1.samples.<node>
 * (the bus's publishSampleBatch: JetStream, Nats-Msg-Id = batchId), with a bounded number of publishes awaiting their ack. When
 * NATS is down or a publish fails, batches go to the disk buffer, and while the buffer holds
 * anything every new batch goes there too, so the stream receives batches in the order they were
 * taken. The buffer drains oldest first once NATS is back.
 */

const MAX_PER_BATCH = 5_000;

export interface PublisherOptions {
  bus: BusConnection;
  nodeId: string;
  buffer: DiskBuffer;
  batchMs: number;
  maxInFlight?: number;
  publishTimeoutMs?: number;
  log: (line: string) => void;
  onError: (message: string) => void;
}

export interface PublisherStats {
  connected: boolean;
  /** Samples acked by JetStream since start. */
  published: number;
  batchesPublished: number;
  /** Samples on disk waiting for NATS. */
  buffered: number;
  /** Batches on disk. */
  bufferedBatches: number;
}

export class Publisher {
  private samples: NodeSample[] = [];
  private rejections: NodeRejection[] = [];
  private queue: SampleBatch[] = [];
  private connected = false;
  private watched = new WeakSet<NatsConnection>();
  private stopped = false;
  private wake: (() => void) | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private published = 0;
  private batchesPublished = 0;
  private outageLogged = false;
  private readonly maxInFlight: number;
  private readonly publishTimeoutMs: number;

  constructor(private readonly options: PublisherOptions) {
    this.maxInFlight = options.maxInFlight ?? 64;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 3_000;
  }

  start(): void {
    this.options.bus.onConnect((nc) => {
      this.connected = !nc.isClosed();
      this.poke();
      if (this.watched.has(nc)) return;
      this.watched.add(nc);
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === "disconnect") {
            this.connected = false;
          } else if (status.type === "reconnect") {
            this.connected = true;
            this.poke();
          }
        }
        this.connected = false;
      })();
    });
    this.flushTimer = setInterval(() => this.flush(), this.options.batchMs);
    this.loop = this.run();
  }

  /** Takes samples and rejections of one poll; they leave with the next batch. */
  add(samples: NodeSample[], rejections: NodeRejection[]): void {
    if (this.stopped) return;
    this.samples.push(...samples);
    this.rejections.push(...rejections);
  }

  stats(): PublisherStats {
    return {
      connected: this.connected,
      published: this.published,
      batchesPublished: this.batchesPublished,
      buffered: this.options.buffer.bufferedSamples(),
      bufferedBatches: this.options.buffer.bufferedBatches(),
    };
  }

  private poke() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Cuts what was collected into batches (at most MAX_PER_BATCH samples each). */
  private flush(): void {
    if (this.samples.length === 0 && this.rejections.length === 0) return;
    const samples = this.samples;
    const rejections = this.rejections;
    this.samples = [];
    this.rejections = [];
    for (let i = 0; i < Math.max(samples.length, rejections.length); i += MAX_PER_BATCH) {
      this.queue.push({
        node: this.options.nodeId,
        batchId: uuidv7(),
        samples: samples.slice(i, i + MAX_PER_BATCH),
        rejections: rejections.slice(i, i + MAX_PER_BATCH),
      });
    }
    this.poke();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private publishOne(batch: SampleBatch): Promise<{ duplicate: boolean }> {
    const nc = this.options.bus.current();
    if (!nc || nc.isClosed() || !this.connected)
      return Promise.reject(new Error("NATS is not connected"));
    return publishSampleBatch(nc, batch, { timeoutMs: this.publishTimeoutMs });
  }

  /**
   * Publishes in order with at most maxInFlight awaiting acks. Returns how many leading batches
   * were acked (all = batches.length); after the first failure nothing more is sent.
   */
  private async publishInOrder(batches: SampleBatch[]): Promise<{ acked: number; error: unknown }> {
    const inFlight: Promise<{ duplicate: boolean }>[] = [];
    let sent = 0;
    let acked = 0;
    while (acked < batches.length) {
      while (sent < batches.length && inFlight.length < this.maxInFlight) {
        const p = this.publishOne(batches[sent]!);
        p.catch(() => {});
        inFlight.push(p);
        sent += 1;
      }
      try {
        const { duplicate } = await inFlight.shift()!;
        const batch = batches[acked]!;
        acked += 1;
        if (!duplicate) this.published += batch.samples.length;
        this.batchesPublished += 1;
      } catch (error) {
        await Promise.allSettled(inFlight);
        return { acked, error };
      }
    }
    return { acked, error: null };
  }

  private noteOutage(error: unknown) {
    const message = `publishing to NATS failed, buffering on disk: ${(error as Error)?.message ?? String(error)}`;
    this.options.onError(message);
    if (!this.outageLogged) {
      this.outageLogged = true;
      this.options.log(`omniglass-node: ${message}`);
    }
  }

  private async run(): Promise<void> {
    const { buffer, log } = this.options;
    while (!this.stopped || this.queue.length > 0) {
      try {
        if (this.queue.length > 0 && (!buffer.isEmpty() || !this.connected || this.stopped)) {
          if (!this.connected && !this.outageLogged)
            this.noteOutage(new Error("NATS is not connected"));
          await buffer.append(this.queue.splice(0));
          continue;
        }
        if (this.stopped) break;
        if (!buffer.isEmpty() && this.connected) {
          const segment = await buffer.oldest();
          if (!segment) continue;
          if (segment.skipped > 0)
            log(
              `omniglass-node: buffer segment ${segment.file}: ${segment.skipped} unreadable line(s) skipped`,
            );
          const { acked, error } = await this.publishInOrder(segment.batches);
          if (error) {
            this.noteOutage(error);
            await this.pause(1_000);
            continue;
          }
          await buffer.remove(segment);
          log(`omniglass-node: drained ${acked} buffered batch(es) from ${segment.file}`);
          if (buffer.isEmpty()) {
            this.outageLogged = false;
            log("omniglass-node: disk buffer drained; publishing live");
          }
          continue;
        }
        if (this.queue.length > 0 && this.connected) {
          const batches = this.queue.splice(0);
          const { acked, error } = await this.publishInOrder(batches);
          if (error) {
            this.noteOutage(error);
            // Unacked batches (and any acked after the failure: Nats-Msg-Id makes them harmless)
            // go to disk, ahead of everything newer.
            await buffer.append(batches.slice(acked));
          }
          continue;
        }
        await this.pause(this.connected ? 500 : 250);
      } catch (error) {
        log(`omniglass-node: publisher error: ${(error as Error).message}`);
        this.options.onError(`publisher: ${(error as Error).message}`);
        await this.pause(1_000);
      }
    }
  }

  /** Flushes what was collected; what is not acked by then stays on disk for the next start. */
  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flush();
    this.stopped = true;
    this.poke();
    await this.loop;
  }
}
