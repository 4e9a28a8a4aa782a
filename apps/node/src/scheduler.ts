import type {
  FunctionRun,
  NodeRejection,
  NodeSample,
  NodeTask,
  TemplateFunction,
  Worklist,
} from "@omniglass/contracts";
import { parseDuration } from "@omniglass/domain";
import { requestDeadlineMs } from "./drivers";
import { FunctionError, type Driver } from "./drivers/types";
import { CounterMemory } from "./counters";
import { mapAnswer } from "./mapping";

/*
 * The scheduler: every task × function runs at its interval, starting at a random offset (so a
 * node's polls spread out), never twice at once (a run still going when the next is due skips
 * it), each request bounded by its interface's timeout. A new worklist replaces the schedules:
 * unchanged functions keep their rhythm, changed ones restart, removed ones stop.
 */

export interface PollOutcome {
  key: string;
  component: string;
  fn: string;
  ts: number;
  samples: NodeSample[];
  rejections: NodeRejection[];
  /** A function error: no samples. */
  error: string | null;
  durationMs: number;
}

export interface SchedulerOptions {
  drivers: Record<NodeTask["interface"]["protocol"], Driver>;
  onOutcome: (outcome: PollOutcome) => void;
  /** Upper bound of the random start offset (default: the interval, at most 15 s). */
  maxJitterMs?: number;
  log?: (line: string) => void;
}

interface Entry {
  key: string;
  signature: string;
  task: NodeTask;
  fn: TemplateFunction;
  intervalMs: number;
  timeoutMs: number;
  timer: NodeJS.Timeout | null;
  next: number;
  running: Promise<void> | null;
  controller: AbortController | null;
  skipped: number;
  lastTs: number;
  removed: boolean;
  /** What the heartbeat reports of it (issue #16): epoch ms, null before the first. */
  runningSince: number | null;
  lastRunAt: number | null;
  lastResult: "ok" | "error" | null;
  lastError: string | null;
  lastSuccessAt: number | null;
  consecutiveFailures: number;
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function functionKey(task: NodeTask, fn: TemplateFunction): string {
  return `${task.component.id}/${task.interface.name}/${fn.name}`;
}

export class Scheduler {
  private entries = new Map<string, Entry>();
  private tasks = 0;
  private signals: Worklist["signals"] = {};
  private runningCount = 0;
  private stopped = false;
  /** Counter readings, so counter outputs become rates (lost on restart: no rate from a guess). */
  private readonly counters = new CounterMemory();

  constructor(private readonly options: SchedulerOptions) {}

  counts(): { tasks: number; functions: number; running: number } {
    return { tasks: this.tasks, functions: this.entries.size, running: this.runningCount };
  }

  /** Every scheduled function's runs so far, as the heartbeat reports them. */
  runs(): FunctionRun[] {
    return [...this.entries.values()].map((e) => ({
      key: e.key.slice(0, 300),
      component: e.task.component.path.slice(0, 100),
      fn: e.fn.name,
      intervalMs: e.intervalMs,
      lastRunAt: isoOrNull(e.lastRunAt),
      lastResult: e.lastResult,
      lastError: e.lastError,
      lastSuccessAt: isoOrNull(e.lastSuccessAt),
      consecutiveFailures: e.consecutiveFailures,
      nextRunAt: isoOrNull(e.next),
      runningSince: isoOrNull(e.runningSince),
    }));
  }

  /** The request running longest now ("<component> <function> for 3 s"), or null when idle. */
  currentWork(now = Date.now()): string | null {
    let oldest: Entry | null = null;
    for (const e of this.entries.values())
      if (e.runningSince !== null && (!oldest || e.runningSince < oldest.runningSince!)) oldest = e;
    if (!oldest) return null;
    const more = this.runningCount > 1 ? ` (+${this.runningCount - 1} more)` : "";
    return `${oldest.task.component.path} ${oldest.fn.name} for ${Math.round((now - oldest.runningSince!) / 1000)} s${more}`.slice(
      0,
      300,
    );
  }

  /** Applies a worklist: keeps unchanged functions' timers, (re)starts the rest, stops the removed. */
  apply(worklist: Worklist): void {
    if (this.stopped) return;
    const wanted = new Map<string, { task: NodeTask; fn: TemplateFunction; signature: string }>();
    for (const task of worklist.tasks) {
      for (const fn of task.functions) {
        if (fn.interface !== task.interface.name) continue;
        const key = functionKey(task, fn);
        wanted.set(key, {
          task,
          fn,
          signature: JSON.stringify([task.interface, task.host, task.port, task.secrets, fn]),
        });
      }
    }
    for (const [key, entry] of this.entries) {
      if (wanted.get(key)?.signature !== entry.signature) this.remove(entry);
    }
    for (const [key, { task, fn, signature }] of wanted) {
      if (this.entries.has(key)) continue;
      let intervalMs: number;
      let timeoutMs: number;
      try {
        intervalMs = parseDuration(fn.interval);
        timeoutMs = requestDeadlineMs(task, fn);
      } catch (error) {
        this.options.log?.(`omniglass-node: ${key}: ${(error as Error).message}; not scheduled`);
        continue;
      }
      const jitterCap = Math.min(intervalMs, this.options.maxJitterMs ?? 15_000);
      const entry: Entry = {
        key,
        signature,
        task,
        fn,
        intervalMs,
        timeoutMs,
        timer: null,
        next: Date.now() + Math.floor(Math.random() * jitterCap),
        running: null,
        controller: null,
        skipped: 0,
        lastTs: 0,
        removed: false,
        runningSince: null,
        lastRunAt: null,
        lastResult: null,
        lastError: null,
        lastSuccessAt: null,
        consecutiveFailures: 0,
      };
      this.entries.set(key, entry);
      this.arm(entry);
    }
    this.tasks = worklist.tasks.length;
    this.signals = worklist.signals;
  }

  private remove(entry: Entry) {
    entry.removed = true;
    this.counters.forget(entry.task.component.id, entry.fn.name);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    this.entries.delete(entry.key);
  }

  private arm(entry: Entry) {
    if (entry.removed || this.stopped) return;
    entry.timer = setTimeout(() => this.tick(entry), Math.max(0, entry.next - Date.now()));
  }

  private tick(entry: Entry) {
    if (entry.removed || this.stopped) return;
    const now = Date.now();
    entry.next += entry.intervalMs;
    // Far behind (a suspended process): realign rather than fire a burst.
    if (entry.next <= now) entry.next = now + entry.intervalMs;
    this.arm(entry);
    if (entry.running) {
      entry.skipped += 1;
      if (entry.skipped === 1 || entry.skipped % 100 === 0)
        this.options.log?.(
          `omniglass-node: ${entry.key}: still running when due again; skipped (${entry.skipped} so far)`,
        );
      return;
    }
    entry.running = this.run(entry).finally(() => {
      entry.running = null;
    });
  }

  /** Runs one function now (the scheduler's tick; exported for tests). */
  private async run(entry: Entry): Promise<void> {
    const { task, fn, timeoutMs } = entry;
    const driver = this.options.drivers[task.interface.protocol];
    const controller = new AbortController();
    entry.controller = controller;
    this.runningCount += 1;
    const started = Date.now();
    entry.runningSince = started;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        // A driver that ignores the abort still cannot hold the function past its timeout.
        setTimeout(
          () => reject(new FunctionError(`no answer within ${task.interface.timeout}`)),
          250,
        );
      }, timeoutMs);
    });
    deadline.catch(() => {});
    let outcome: PollOutcome;
    try {
      const answer = await Promise.race([
        driver({ task, fn, timeoutMs, signal: controller.signal }),
        deadline,
      ]);
      // Stamped when the device answered; strictly increasing per function.
      const ts = Math.max(Date.now(), entry.lastTs + 1);
      entry.lastTs = ts;
      const mapped = mapAnswer(fn, answer, {
        component: task.component.id,
        ts,
        signals: this.signals,
        counters: this.counters,
      });
      outcome = {
        key: entry.key,
        component: task.component.id,
        fn: fn.name,
        ts,
        ...mapped,
        error: null,
        durationMs: Date.now() - started,
      };
    } catch (error) {
      const message =
        error instanceof FunctionError
          ? error.message
          : `unexpected: ${error instanceof Error ? error.message : String(error)}`;
      outcome = {
        key: entry.key,
        component: task.component.id,
        fn: fn.name,
        ts: Date.now(),
        samples: [],
        rejections: [],
        error: `${task.component.path} ${fn.name}: ${message}`,
        durationMs: Date.now() - started,
      };
    } finally {
      clearTimeout(timer);
      controller.abort();
      entry.controller = null;
      this.runningCount -= 1;
      entry.runningSince = null;
    }
    entry.lastRunAt = Date.now();
    if (outcome.error) {
      entry.lastResult = "error";
      entry.lastError = outcome.error.slice(0, 500);
      entry.consecutiveFailures += 1;
    } else {
      entry.lastResult = "ok";
      entry.lastError = null;
      entry.lastSuccessAt = entry.lastRunAt;
      entry.consecutiveFailures = 0;
    }
    if (!this.stopped || outcome.samples.length > 0) this.options.onOutcome(outcome);
  }

  /** Stops every timer and aborts what is in flight; resolves when nothing runs. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.controller?.abort();
      if (entry.running) running.push(entry.running);
    }
    await Promise.allSettled(running);
  }
}
