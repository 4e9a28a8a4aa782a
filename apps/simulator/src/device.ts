import type { AddressInfo, Server, Socket } from "node:net";
import {
  type DeviceKind,
  type Faults,
  type FaultsPatch,
  type FleetEntry,
  NO_FAULTS,
} from "./fleet";
import { Power, seededRandom } from "./model";

export interface SimulatorOptions {
  /** How long warming up and cooling down take (ms); 0 makes power changes instant. */
  transitionMs: number;
  /** How long a flapping device stays reachable, then unreachable (ms). */
  flapMs: number;
  /** The clock (epoch ms). */
  now: () => number;
}

export const DEFAULT_OPTIONS: SimulatorOptions = {
  transitionMs: 3000,
  flapMs: 5000,
  now: () => Date.now(),
};

/**
 * One simulated device: its faults, power, evolving state, and the listening socket it opens and
 * closes as it becomes (un)reachable. Subclasses speak a protocol and keep the kind's state.
 */
export abstract class SimDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly host: string;
  readonly entry: FleetEntry;
  faults: Faults = { ...NO_FAULTS };
  protected power = new Power(true);
  /** When the device last booted (uptime counts from here). */
  protected bootedAt: number;
  /** Stable per-device randomness (identity), and the drift source. */
  protected identity: () => number;
  protected random: () => number = Math.random;
  protected lastAdvance: number;

  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port: number;
  private listening = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private flapDown = false;
  private flapNextAt: number | null = null;
  private lastPhase: string = "on";
  private stopped = false;
  private initialized = false;

  constructor(
    entry: FleetEntry,
    protected readonly options: SimulatorOptions,
  ) {
    this.entry = entry;
    this.id = entry.id;
    this.kind = entry.kind;
    this.host = entry.host;
    this.port = entry.port;
    this.identity = seededRandom(entry.id);
    const now = options.now();
    this.bootedAt = now - Math.floor(this.identity() * 30 * 86400_000) - 3600_000;
    this.lastAdvance = now;
  }

  /** The protocol server; created once, listened and closed as reachability changes. */
  protected abstract createServer(): Server;

  /** Evolves the kind's state over `dtS` seconds ending at `now` (drift, counters). */
  protected abstract evolve(now: number, dtS: number): void;

  /** The kind's state as the control API shows it. */
  protected abstract describeState(now: number): Record<string, unknown>;

  /** Called when the power phase or faults change, e.g. to push a QRC EngineStatus. */
  protected onChange(): void {}

  /** Back to a fresh identity-derived state (faults cleared, powered on). */
  protected abstract resetState(now: number): void;

  /** Advances the state to now; every answer calls this first. */
  advance(): number {
    const now = this.options.now();
    if (!this.initialized) {
      this.initialized = true;
      this.lastAdvance = now;
      this.resetState(now);
    }
    const dtS = Math.max(0, (now - this.lastAdvance) / 1000);
    this.lastAdvance = now;
    if (dtS > 0) this.evolve(now, dtS);
    return now;
  }

  /** The port actually listened on (the fleet's, or the one picked for 0). */
  get boundPort(): number {
    return this.port;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /** Whether the device should be answering at `now`. */
  protected shouldListen(_now: number): boolean {
    return !this.faults.unreachable && !(this.faults.flapping && this.flapDown);
  }

  /** Opens the device's socket (when reachable). */
  async start(): Promise<void> {
    this.advance();
    await this.sync();
  }

  /** Applies a change of faults, then re-evaluates reachability. */
  async applyFaults(patch: FaultsPatch): Promise<void> {
    const now = this.advance();
    const before = this.faults;
    this.faults = {
      power: patch.power ?? before.power,
      unreachable: patch.unreachable ?? before.unreachable,
      error: patch.error === undefined ? before.error : patch.error,
      flapping: patch.flapping ?? before.flapping,
      malformed: patch.malformed ?? before.malformed,
    };
    if (this.faults.flapping && !before.flapping) {
      this.flapDown = false;
      this.flapNextAt = now + this.options.flapMs;
    }
    if (!this.faults.flapping) {
      this.flapDown = false;
      this.flapNextAt = null;
    }
    if (patch.power !== undefined && patch.power !== before.power) this.powerChanged(now);
    this.lastPhase = this.power.at(now);
    this.onChange();
    await this.sync();
  }

  /** Clears every fault and restores the initial state, instantly powered on. */
  async reset(): Promise<void> {
    const now = this.advance();
    this.faults = { ...NO_FAULTS };
    this.flapDown = false;
    this.flapNextAt = null;
    this.power = new Power(true);
    this.lastPhase = "on";
    this.resetState(now);
    this.onChange();
    await this.sync();
  }

  /** Reacts to a new power target (the default: warm up or cool down). */
  protected powerChanged(now: number): void {
    this.power.set(this.faults.power, now, this.options.transitionMs);
  }

  /** The view served by the control API. */
  view(): Record<string, unknown> {
    const now = this.advance();
    return {
      id: this.id,
      kind: this.kind,
      host: this.host,
      port: this.port,
      listening: this.listening,
      faults: { ...this.faults },
      state: { power: this.power.at(now), ...this.describeState(now) },
    };
  }

  /** Closes the socket for good. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.enqueue(() => this.close());
  }

  /** Listens or closes to match `shouldListen`, and schedules the next change (flap, transition). */
  protected async sync(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.options.now();
    const want = this.shouldListen(now);
    await this.enqueue(() => (want ? this.open() : this.close()));
    const next = this.nextChangeIn(now);
    if (next !== null && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.tick();
      }, next);
      this.timer.unref?.();
    }
  }

  /** Milliseconds until the next self-driven change (a flap or the end of a power transition). */
  protected nextChangeIn(now: number): number | null {
    const waits: number[] = [];
    if (this.flapNextAt !== null) waits.push(Math.max(0, this.flapNextAt - now));
    const settles = this.power.settlesAt(now);
    if (settles !== null) waits.push(Math.max(0, settles - now));
    return waits.length ? Math.min(...waits) : null;
  }

  private tick(): void {
    const now = this.options.now();
    if (this.flapNextAt !== null && now >= this.flapNextAt) {
      this.flapDown = !this.flapDown;
      this.flapNextAt = now + this.options.flapMs;
    }
    const phase = this.power.at(now);
    if (phase !== this.lastPhase) {
      this.lastPhase = phase;
      this.settled(now);
      this.onChange();
    }
    void this.sync();
  }

  /** Called when a power transition ends (e.g. a processor finishing its boot). */
  protected settled(_now: number): void {}

  /** After the device's socket listens: open what else it answers on (an SNMP agent's UDP). */
  protected async opened(): Promise<void> {}

  /** Before the device's socket closes: close what `opened` opened. */
  protected async closing(): Promise<void> {}

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => {});
    return next;
  }

  private async open(): Promise<void> {
    if (this.listening || this.stopped) return;
    if (!this.server) {
      this.server = this.createServer();
      this.server.on("connection", (socket: Socket) => {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
      });
      // TLS servers report their raw TCP connections here too.
    }
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(
          new Error(`${this.id}: cannot listen on ${this.host}:${this.port}: ${error.message}`),
        );
      };
      const onListening = () => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ port: this.port, host: this.host, exclusive: true });
    });
    this.port = (server.address() as AddressInfo).port;
    this.listening = true;
    try {
      await this.opened();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async close(): Promise<void> {
    if (!this.listening || !this.server) return;
    await this.closing().catch(() => {});
    const server = this.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    this.listening = false;
  }
}
