import { writeFileSync, renameSync } from "node:fs";
import type { Logger } from "@omniglass/log";
import type { ManagedProcess } from "./processes";

export type SupervisedState = "starting" | "running" | "restarting" | "failed" | "stopped";

/** One supervised process as the status file (and through it the platform page) shows it. */
export interface SupervisedStatus {
  name: string;
  state: SupervisedState;
  pid: number | null;
  /** When the current run began (ISO). */
  startedAt: string | null;
  restarts: number;
  lastExit: { reason: string; at: string } | null;
  /** Why the supervisor stopped restarting it (state `failed`). */
  gaveUp: string | null;
  /** Its Prometheus endpoint on loopback, when it has one. */
  metricsUrl: string | null;
  /** A few of its metrics, read from `metricsUrl` by the supervisor (one machine only). */
  figures: Record<string, number> | null;
}

export interface SupervisorStatus {
  pid: number;
  updatedAt: string;
  processes: SupervisedStatus[];
}

export interface SupervisedSpec {
  name: string;
  /** Starts the process and resolves once it is up (throws when it cannot start). */
  start(): Promise<ManagedProcess>;
  /** Without it the product cannot run: giving up on it stops everything. */
  essential: boolean;
  metricsUrl?: string;
}

export interface SupervisorOptions {
  log: Logger;
  /** First restart delay; doubled per crash in the window, capped at `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many crashes within `windowMs`. */
  maxCrashes?: number;
  windowMs?: number;
  /** Written (atomically) on every change, for the web process and for operators. */
  statusFile?: string;
  /** Told when the supervisor gave up on an essential process. */
  onGiveUp(name: string, reason: string): void;
  /** Told after each (re)start, e.g. to refresh the runtime file's pid list. */
  onStarted?(name: string, process: ManagedProcess): void;
}

interface Entry {
  spec: SupervisedSpec;
  status: SupervisedStatus;
  current: ManagedProcess | null;
  crashes: number[];
  timer: NodeJS.Timeout | null;
}

/** `exited`'s value as words: "exit code 1", "killed by SIGKILL". */
export function describeExit(result: number | string): string {
  if (typeof result === "number") return `exit code ${result}`;
  if (result.startsWith("SIG")) return `killed by ${result}`;
  return result;
}

/**
 * Keeps `npm start`'s children running: a child that exits on its own is restarted after
 * `initialDelayMs` doubled per crash in the last `windowMs` (0.5 s, 1 s, 2 s … up to 30 s), and
 * given up on only after `maxCrashes` crashes in that window — saying which process and why.
 * Restarts and the last exit reason are kept per process and written to `statusFile`.
 */
export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxCrashes: number;
  private readonly windowMs: number;

  constructor(private readonly options: SupervisorOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Starts a process for the first time (a failure here is the caller's to report) and watches it. */
  async add(spec: SupervisedSpec): Promise<ManagedProcess> {
    const entry: Entry = {
      spec,
      current: null,
      crashes: [],
      timer: null,
      status: {
        name: spec.name,
        state: "starting",
        pid: null,
        startedAt: null,
        restarts: 0,
        lastExit: null,
        gaveUp: null,
        metricsUrl: spec.metricsUrl ?? null,
        figures: null,
      },
    };
    this.entries.push(entry);
    this.write();
    const process = await spec.start();
    this.watch(entry, process);
    return process;
  }

  status(): SupervisorStatus {
    return {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      processes: this.entries.map((e) => ({ ...e.status })),
    };
  }

  /** Processes currently running, for the runtime file. */
  running(): { name: string; process: ManagedProcess }[] {
    return this.entries.flatMap((e) =>
      e.current ? [{ name: e.spec.name, process: e.current }] : [],
    );
  }

  setFigures(name: string, figures: Record<string, number> | null) {
    const entry = this.entries.find((e) => e.spec.name === name);
    if (!entry) return;
    entry.status.figures = figures;
    this.write();
  }

  /**
   * Stops every process, in the reverse of the order they were added in groups: `order` lists
   * names per step (each step's processes stop together); anything unnamed stops last.
   */
  async stopAll(order: string[][], graceMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const e of this.entries) if (e.timer) clearTimeout(e.timer);
    const named = new Set(order.flat());
    const steps = [...order, this.entries.map((e) => e.spec.name).filter((n) => !named.has(n))];
    for (const step of steps) {
      await Promise.all(
        this.entries
          .filter((e) => step.includes(e.spec.name))
          .map(async (e) => {
            const current = e.current;
            e.current = null;
            if (current)
              await current.stop(graceMs, e.spec.name === "postgres" ? "SIGINT" : "SIGTERM");
            e.status.state = "stopped";
            e.status.pid = null;
          }),
      );
    }
    this.write();
  }

  private watch(entry: Entry, child: ManagedProcess) {
    entry.current = child;
    entry.status.state = "running";
    entry.status.pid = child.child.pid ?? null;
    entry.status.startedAt = new Date().toISOString();
    this.write();
    this.options.onStarted?.(entry.spec.name, child);
    void child.exited.then((result) => {
      if (this.stopping || entry.current !== child) return;
      entry.current = null;
      // What it started (PostgreSQL's backends, say) goes with it, so the restart finds its port free.
      if (child.child.pid) {
        try {
          process.kill(-child.child.pid, "SIGKILL");
        } catch {
          // The group is gone already.
        }
      }
      this.crashed(entry, describeExit(result));
    });
  }

  private crashed(entry: Entry, reason: string) {
    const now = Date.now();
    entry.crashes = [...entry.crashes.filter((t) => now - t < this.windowMs), now];
    entry.status.lastExit = { reason, at: new Date(now).toISOString() };
    entry.status.pid = null;
    const { log } = this.options;
    if (entry.crashes.length >= this.maxCrashes) {
      const why = `${entry.spec.name} crashed ${entry.crashes.length} times in ${Math.round(this.windowMs / 1000)} s (last: ${reason}); not restarting it`;
      entry.status.state = "failed";
      entry.status.gaveUp = why;
      this.write();
      log.error({ child: entry.spec.name, reason, crashes: entry.crashes.length }, why);
      if (entry.spec.essential) this.options.onGiveUp(entry.spec.name, why);
      return;
    }
    const delayMs = Math.min(
      this.maxDelayMs,
      this.initialDelayMs * 2 ** (entry.crashes.length - 1),
    );
    entry.status.state = "restarting";
    this.write();
    log.warn(
      { child: entry.spec.name, reason, delayMs, restarts: entry.status.restarts + 1 },
      `${entry.spec.name} exited (${reason}); restarting in ${(delayMs / 1000).toFixed(1)} s`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (this.stopping) return;
      entry.status.restarts++;
      entry.spec.start().then(
        (child) => {
          if (this.stopping) {
            void child.stop();
            return;
          }
          log.info(
            { child: entry.spec.name, pid: child.child.pid, restarts: entry.status.restarts },
            `${entry.spec.name} restarted (pid ${child.child.pid})`,
          );
          this.watch(entry, child);
        },
        (error: unknown) => {
          if (!this.stopping)
            this.crashed(entry, `could not start: ${(error as Error).message ?? String(error)}`);
        },
      );
    }, delayMs);
  }

  private write() {
    const file = this.options.statusFile;
    if (!file) return;
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(this.status(), null, 2), { mode: 0o644 });
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.log.warn({ err: error }, "could not write the supervisor status file");
    }
  }
}

/**
 * Sums a few metrics out of a Prometheus text exposition (all label sets of each name added up),
 * for the status file: the platform page shows them without its own Prometheus.
 */
export function sumMetrics(text: string, names: readonly string[]): Record<string, number> {
  const wanted = new Set(names);
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || !wanted.has(match[1]!)) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) out[match[1]!] = (out[match[1]!] ?? 0) + value;
  }
  return out;
}
