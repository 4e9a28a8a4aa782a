import { hostname } from "node:os";
import {
  connectBus,
  ensureTopology,
  publishJson,
  SUBJECTS,
  type ConsumerLoop,
} from "@omniglass/bus";
import { WorkerHeartbeat, type ConsumerStats } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafePruneIdempotencyKeys,
  unsafePruneWorkers,
} from "@omniglass/gateway";
import { createLogger, createRepeatGate, describeError, type Logger } from "@omniglass/log";
import { v7 as uuidv7 } from "uuid";
import { maintainPartitions, startClock, type Clock } from "./lanes/clock";
import type { SecretKey } from "@omniglass/gateway/secrets";
import { startActionsLane, startDeliveryLane, type DeliveryLane } from "./lanes/deliveries";
import { startEndpointAlarmLane } from "./lanes/endpoint-alarms";
import { startIngestLane } from "./lanes/ingest";
import { JobBook } from "./lanes/jobs";
import { startOutboxRelay, type OutboxRelay } from "./lanes/outbox";
import type { PeriodicLane } from "./lanes/periodic";
import { startPresenceLane } from "./lanes/presence";
import { startStormLane } from "./lanes/storms";
import type { WorkerMetrics } from "./metrics";

export interface WorkerOptions {
  databaseUrl: string;
  natsUrl: string;
  /** Replicas of each stream in a JetStream cluster (default 1; 3 for a three-server cluster). */
  natsReplicas?: number;
  heartbeatMs: number;
  version: string;
  /** History kept, in days (default 30): older sample partitions are dropped every hour. */
  retentionDays?: number;
  /** The clock's stale pass, in ms (default 1 s). */
  clockTickMs?: number;
  /** Plain lines instead of the logger (tests); failures then go nowhere else either. */
  log?: (line: string) => void;
  /** Structured logs (JSON lines); a JSON logger on stdout when neither this nor `log` is given. */
  logger?: Logger;
  /** Counts for Prometheus (`OMNIGLASS_WORKER_METRICS_PORT`); none when not given. */
  metrics?: WorkerMetrics;
  /**
   * The master key of sealed secrets (OMNIGLASS_SECRET_KEY): the delivery lane opens endpoints'
   * signing secrets with it. Without it no webhook is sent (deliveries wait, logged once).
   */
  secretKey?: SecretKey | null;
  /** Webhook retry delays (default the Standard Webhooks schedule); tests pass a short one. */
  webhookSchedule?: readonly number[];
  /** OMNIGLASS_WEBHOOK_FAILING_DAYS: an endpoint failing this long raises an alarm (default 3). */
  webhookFailingDays?: number;
  /**
   * Tests: how often the storm and endpoint passes run, the failing threshold in ms (instead of
   * days) and the storm grouping wait and update interval (default 10 s and 5 min).
   */
  actPasses?: {
    everyMs?: number;
    failingMs?: number;
    stormGroupWaitMs?: number;
    stormUpdateEveryMs?: number;
  };
}

export interface RunningWorker {
  id: string;
  lanes: ConsumerLoop[];
  /** Graceful stop: lanes finish the message in hand and nak the rest; a last beat says `stopped`. */
  stop(): Promise<void>;
}

/** Registry rows silent for longer than this are forgotten. */
const FORGET_AFTER_MS = 7 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;
/** Answers kept for Idempotency-Key replays. */
const KEEP_IDEMPOTENCY_MS = 24 * 3600 * 1000;

/**
 * A worker process: connects to Postgres and NATS (retrying forever, so either may come up later
 * or restart underneath it), declares the JetStream topology on every (re)connect, runs its lanes
 * and heartbeats.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const id = uuidv7();
  const logger = (
    options.logger ?? createLogger({ process: "worker", level: options.log ? "silent" : "info" })
  ).child({ workerId: id });
  const log =
    options.log ?? ((line: string) => logger.info(line.replace(/^omniglass-worker: /, "")));
  // A failure that repeats (PostgreSQL away, retried every 250 ms) is logged once per kind with a count.
  const gate = createRepeatGate(logger);
  const startedAt = new Date().toISOString();
  const database = connectDatabase({
    url: options.databaseUrl,
    max: 5,
    applicationName: "omniglass-worker",
  });
  const bus = connectBus({ servers: options.natsUrl, name: `omniglass-worker-${id}` });
  let lastError: { message: string; at: number } | null = null;
  const recordError = (lane: string, error: unknown, stage: string) => {
    const message = `${lane} ${stage}: ${describeError(error)}`.slice(0, 500);
    options.metrics?.observeError(lane, stage);
    gate.fail(`${lane} ${stage}`, { lane, stage, err: error }, message);
    lastError = { message, at: Date.now() };
  };

  let topologyReady = false;
  let partitionsReady = false;
  let stopping = false;
  const retentionDays = options.retentionDays ?? 30;
  const lanes: ConsumerLoop[] = [];
  let clock: Clock | null = null;
  let relay: OutboxRelay | null = null;
  let deliveries: DeliveryLane | null = null;
  const periodic: PeriodicLane[] = [];
  // Every clock job's runs, for the heartbeat (the schedules view's actual side).
  const jobs = new JobBook();
  // Lanes start once the streams they read exist (the first declaration) and today's sample
  // partitions do, then live for good: the consumer loops ride out later outages by themselves.
  const startLanes = () => {
    if (lanes.length > 0 || stopping || !topologyReady || !partitionsReady) return;
    lanes.push(startPresenceLane({ bus, db: database.db, onError: recordError }));
    lanes.push(
      startIngestLane({
        bus,
        db: database.db,
        retentionDays,
        onError: recordError,
        log,
        metrics: options.metrics,
      }),
    );
    lanes.push(startActionsLane({ bus, db: database.db, onError: recordError }));
    relay = startOutboxRelay({ bus, db: database.db, onError: recordError });
    if (options.secretKey)
      deliveries = startDeliveryLane({
        db: database.db,
        secretKey: options.secretKey,
        onError: recordError,
        schedule: options.webhookSchedule,
      });
    else log("omniglass-worker: no OMNIGLASS_SECRET_KEY: webhooks are not sent");
    const act = options.actPasses ?? {};
    periodic.push(
      startStormLane({
        db: database.db,
        onError: recordError,
        jobs,
        everyMs: act.everyMs,
        groupWaitMs: act.stormGroupWaitMs,
        updateEveryMs: act.stormUpdateEveryMs,
      }),
      startEndpointAlarmLane({
        bus,
        db: database.db,
        onError: recordError,
        jobs,
        everyMs: act.everyMs,
        failingMs:
          act.failingMs ??
          (options.webhookFailingDays === undefined
            ? undefined
            : options.webhookFailingDays * 86_400_000),
      }),
    );
    clock = startClock({
      bus,
      db: database.db,
      retentionDays,
      onError: recordError,
      log,
      tickMs: options.clockTickMs,
      metrics: options.metrics,
      jobs,
    });
  };
  const preparing = (async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        const dropped = await maintainPartitions(database.db, retentionDays, jobs);
        if (dropped.length > 0) log(`omniglass-worker: dropped history ${dropped.join(", ")}`);
        partitionsReady = true;
        startLanes();
        return;
      } catch (error) {
        recordError("clock", error, "partitions");
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
      }
    }
  })();
  bus.onConnect((nc) => {
    void (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await ensureTopology(nc, { replicas: options.natsReplicas ?? 1 });
          topologyReady = true;
          startLanes();
          log("omniglass-worker: JetStream topology declared");
          return;
        } catch (error) {
          recordError("topology", error, "declare");
          if (nc.isClosed()) return;
          await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
        }
      }
    })();
  });

  const lastStats = new Map<string, ConsumerStats>();
  options.metrics?.consumersFrom(() => [...lastStats.values()]);
  async function consumerStats(): Promise<ConsumerStats[]> {
    await Promise.all(
      lanes.map(async (lane) => {
        try {
          const stats = await withTimeout(lane.stats(), 1_000);
          lastStats.set(lane.name, stats);
        } catch {
          // Keep the last known figures; the beat itself cannot be sent while NATS is away anyway.
        }
      }),
    );
    return [...lastStats.values()];
  }

  async function beat(lifecycle: "running" | "stopping" | "stopped") {
    const nc = bus.current();
    if (!nc || nc.isClosed() || !topologyReady) return;
    const beatAt = new Date().toISOString();
    const recentError =
      lastError && Date.now() - lastError.at < options.heartbeatMs * 6 ? lastError.message : null;
    await publishJson(
      nc,
      SUBJECTS.workerPresence(id),
      WorkerHeartbeat,
      {
        workerId: id,
        hostname: hostname(),
        pid: process.pid,
        version: options.version,
        startedAt,
        beatAt,
        intervalMs: options.heartbeatMs,
        lifecycle,
        consumers: lifecycle === "running" ? await consumerStats() : [...lastStats.values()],
        lastError: recentError,
        jobs: jobs.list(),
        busy: jobs.busy(),
        natsServer: nc.getServer().slice(0, 300),
      },
      { msgId: `${id}:${beatAt}:${lifecycle}` },
    );
  }

  let beating: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beat("running").catch((error) => recordError("heartbeat", error, "publish"));
  }, options.heartbeatMs);
  // The first beat as soon as the topology exists, so a new worker shows up at once.
  const firstBeat = setInterval(() => {
    if (!topologyReady) return;
    clearInterval(firstBeat);
    beating = beat("running").catch((error) => recordError("heartbeat", error, "publish"));
  }, 50);

  const prune = async () => {
    try {
      const forgotten = await jobs.run("registry-prune", PRUNE_EVERY_MS, async () => {
        const n = await unsafePruneWorkers({
          db: database.db,
          olderThan: new Date(Date.now() - FORGET_AFTER_MS),
        });
        await unsafePruneIdempotencyKeys({
          db: database.db,
          olderThan: new Date(Date.now() - KEEP_IDEMPOTENCY_MS),
        });
        return n;
      });
      if (forgotten > 0) log(`omniglass-worker: forgot ${forgotten} worker(s) silent for 7 days`);
    } catch (error) {
      recordError("registry", error, "prune");
    }
  };
  void prune();
  const pruning = setInterval(() => void prune(), PRUNE_EVERY_MS);
  pruning.unref();

  let stopped: Promise<void> | null = null;
  return {
    id,
    lanes,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearInterval(heartbeat);
        clearInterval(firstBeat);
        clearInterval(pruning);
        await beating;
        await preparing;
        await clock?.stop();
        await relay?.stop();
        await deliveries?.stop();
        await Promise.all(periodic.map((lane) => lane.stop()));
        await Promise.all(lanes.map((lane) => lane.stop()));
        await withTimeout(beat("stopped"), 2_000).catch(() => {});
        await bus.close();
        await database.close();
      })()),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
