import os from "node:os";
import path from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { connectBus, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { NodeHeartbeat, type Worklist } from "@omniglass/contracts";
import { summarizeNodeSchedule } from "@omniglass/domain";
import { DiskBuffer } from "./buffer";
import { saveWorklist, loadWorklist, WorklistAuthError, type WorklistSource } from "./credential";
import { DRIVERS, type Driver } from "./drivers";
import { Publisher } from "./publisher";
import { Scheduler, type PollOutcome } from "./scheduler";

/*
 * The edge collector's runtime: keeps a worklist (refreshed from its source), runs its functions
 * (Scheduler), batches samples to NATS with a disk buffer (Publisher), and heartbeats.
 */

export interface NodeOptions {
  nodeId: string;
  natsUrl: string;
  stateDir: string;
  heartbeatMs: number;
  worklistRefreshMs: number;
  batchMs: number;
  version: string;
  worklistSource: WorklistSource;
  drivers?: Partial<Record<keyof typeof DRIVERS, Driver>>;
  /** Upper bound of a function's random start offset (default 15 s). */
  maxJitterMs?: number;
  log?: (line: string) => void;
  /** Every poll's outcome, after it was handed to the publisher (tests, diagnostics). */
  onPoll?: (outcome: PollOutcome) => void;
}

export interface NodeStats {
  worklistEtag: string | null;
  tasks: number;
  functions: number;
  running: number;
  polls: number;
  pollErrors: number;
  samplesTaken: number;
  rejections: number;
  published: number;
  buffered: number;
  bufferedBatches: number;
  connected: boolean;
  lastError: { message: string; at: string } | null;
}

export interface RunningNode {
  readonly id: string;
  stats(): NodeStats;
  /** Fetches the worklist now (also done every worklistRefreshMs). */
  refreshWorklist(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const log = options.log ?? ((line: string) => console.log(line));
  const startedAt = new Date().toISOString();
  const counters = { polls: 0, pollErrors: 0, samplesTaken: 0, rejections: 0 };
  let lastError: { message: string; at: string } | null = null;
  const setError = (message: string) => {
    lastError = { message: message.slice(0, 2000), at: new Date().toISOString() };
  };
  const errorsLogged = new Map<string, string>();

  const buffer = await DiskBuffer.open(path.join(options.stateDir, "buffer"));
  if (!buffer.isEmpty())
    log(
      `omniglass-node: ${buffer.bufferedSamples()} sample(s) in ${buffer.bufferedBatches()} batch(es) buffered on disk from before; draining once NATS is up`,
    );
  const bus: BusConnection = connectBus({
    servers: options.natsUrl,
    name: `omniglass-node-${options.nodeId}`,
  });
  const publisher = new Publisher({
    bus,
    nodeId: options.nodeId,
    buffer,
    batchMs: options.batchMs,
    log,
    onError: setError,
  });
  publisher.start();

  const scheduler = new Scheduler({
    drivers: { ...DRIVERS, ...options.drivers },
    maxJitterMs: options.maxJitterMs,
    log,
    onOutcome: (outcome) => {
      counters.polls += 1;
      counters.samplesTaken += outcome.samples.length;
      counters.rejections += outcome.rejections.length;
      publisher.add(outcome.samples, outcome.rejections);
      // Log a function's error when it starts or changes, and its recovery; not every poll.
      const previous = errorsLogged.get(outcome.key);
      if (outcome.error) {
        counters.pollErrors += 1;
        setError(outcome.error);
        if (previous !== outcome.error) log(`omniglass-node: poll failed: ${outcome.error}`);
        errorsLogged.set(outcome.key, outcome.error);
      } else if (previous !== undefined) {
        errorsLogged.delete(outcome.key);
        log(`omniglass-node: ${outcome.key} answers again`);
      }
      if (outcome.rejections.length > 0 && !outcome.error) {
        const first = outcome.rejections[0]!;
        setError(`${first.signal}${first.instance ? `[${first.instance}]` : ""}: ${first.detail}`);
      }
      options.onPoll?.(outcome);
    },
  });

  let worklist: Worklist | null = await loadWorklist(options.stateDir);
  if (worklist) {
    log(
      `omniglass-node: resuming the saved worklist ${worklist.etag} (${worklist.tasks.length} task(s))`,
    );
    scheduler.apply(worklist);
  }
  let authFailing = false;
  const refreshWorklist = async () => {
    try {
      const next = await options.worklistSource.fetch();
      authFailing = false;
      if (next.node.id !== options.nodeId) {
        const message = `the worklist is for node ${next.node.id}, not this node (${options.nodeId}); ignored`;
        setError(message);
        log(`omniglass-node: ${message}`);
        return;
      }
      if (next.etag !== worklist?.etag) {
        const fns = next.tasks.reduce((n, t) => n + t.functions.length, 0);
        log(
          `omniglass-node: worklist ${next.etag}: ${next.tasks.length} task(s), ${fns} function(s)`,
        );
        worklist = next;
        scheduler.apply(next);
        await saveWorklist(options.stateDir, next).catch((error: Error) =>
          log(`omniglass-node: could not save the worklist: ${error.message}`),
        );
      }
    } catch (error) {
      const message = `worklist refresh failed (keeping ${worklist ? `worklist ${worklist.etag}` : "no worklist"}): ${(error as Error).message}`;
      setError(message);
      if (error instanceof WorklistAuthError) {
        if (!authFailing) log(`omniglass-node: ERROR ${message}`);
        authFailing = true;
      } else {
        log(`omniglass-node: ${message}`);
      }
    }
  };
  await refreshWorklist();
  const refreshTimer = setInterval(() => void refreshWorklist(), options.worklistRefreshMs);

  const heartbeat = async () => {
    const nc = bus.current();
    const stats = publisher.stats();
    if (!nc || nc.isClosed() || !stats.connected) return;
    const counts = scheduler.counts();
    const beatAt = new Date().toISOString();
    const beat = NodeHeartbeat.parse({
      nodeId: options.nodeId,
      version: options.version,
      hostname: os.hostname().slice(0, 255),
      startedAt,
      beatAt,
      intervalMs: options.heartbeatMs,
      worklistEtag: worklist?.etag.slice(0, 200) ?? null,
      tasks: counts.tasks,
      functions: counts.functions,
      running: counts.running,
      buffered: stats.buffered,
      published: stats.published,
      lastError,
      // Bounded: counts of all functions, the worst HEARTBEAT_FUNCTIONS_MAX listed.
      schedule: summarizeNodeSchedule(scheduler.runs(), Date.now()),
      currentWork: scheduler.currentWork(),
      natsServer: nc.getServer().slice(0, 300),
    });
    await jetstream(nc, { timeout: 2_000 })
      .publish(SUBJECTS.nodePresence(options.nodeId), JSON.stringify(beat), {
        msgID: `${options.nodeId}:${beatAt}`,
      })
      .catch(() => {});
  };
  void heartbeat();
  const heartbeatTimer = setInterval(() => void heartbeat(), options.heartbeatMs);

  return {
    id: options.nodeId,
    refreshWorklist,
    stats: () => {
      const counts = scheduler.counts();
      const stats = publisher.stats();
      return {
        worklistEtag: worklist?.etag ?? null,
        ...counts,
        ...counters,
        published: stats.published,
        buffered: stats.buffered,
        bufferedBatches: stats.bufferedBatches,
        connected: stats.connected,
        lastError,
      };
    },
    stop: async () => {
      clearInterval(refreshTimer);
      clearInterval(heartbeatTimer);
      await scheduler.stop();
      await publisher.stop();
      await buffer.close();
      await bus.close();
    },
  };
}
