import { createServer, type Server, type Socket } from "node:net";
import { SimDevice } from "../device";
import { clamp, drift, round } from "../model";

/** A Core closes a connection silent for this long (QRC: 60 s). */
export const QRC_IDLE_MS = 60_000;

const MICS = [1, 2, 3, 4] as const;

interface RpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

type RpcAnswer =
  | { jsonrpc: "2.0"; id: unknown; result: unknown }
  | { jsonrpc: "2.0"; id: unknown; error: { code: number; message: string } };

/**
 * A Q-SYS Core (template qsys-core-dsp): QRC, JSON-RPC 2.0 over TCP, every message NUL-terminated.
 * Sends EngineStatus on connect and whenever the engine changes; answers Logon, NoOp, StatusGet,
 * Control.Get and Control.Set on the named controls Mic1Level … Mic4Level, Mic1Mute … Mic4Mute.
 * With a password in the fleet entry every other method needs a Logon first (error 10).
 */
export class QsysDsp extends SimDevice {
  private levels = new Map<number, number>();
  private mutes = new Map<number, number>();
  private readonly clients = new Set<Socket>();
  private designCode = "";
  private lastEngineStatus = "";

  protected override resetState(): void {
    const r = this.identity;
    for (const mic of MICS) {
      this.levels.set(mic, -45 + r() * 20);
      this.mutes.set(mic, mic === 4 ? 1 : 0);
    }
    this.designCode = Math.floor(r() * 0xffffffff)
      .toString(16)
      .padStart(8, "0");
  }

  protected override evolve(now: number, dtS: number): void {
    const active = this.engineState(now) === "Active";
    for (const mic of MICS) {
      // Speech comes and goes around -30 dBFS; a stopped engine meters nothing.
      const target = active ? (this.random() < 0.3 ? -22 : -38) : -100;
      const next = drift(this.levels.get(mic)!, target, {
        tauS: 3,
        sigma: active ? 3 : 0,
        dtS,
        random: this.random,
      });
      this.levels.set(mic, clamp(next, -100, 20));
    }
  }

  private engineState(now: number): "Active" | "Idle" | "Standby" {
    const phase = this.power.at(now);
    return phase === "on" ? "Active" : phase === "warming" ? "Idle" : "Standby";
  }

  private designName(): string {
    return `${this.id.split("/").pop()}-design`;
  }

  /** The EngineStatus fields (notification params; StatusGet adds Platform and Status). */
  engineStatus(now: number): Record<string, unknown> {
    return {
      State: this.faults.malformed ? "Running" : this.engineState(now),
      DesignName: this.designName(),
      DesignCode: this.designCode,
      IsRedundant: false,
      IsEmulator: false,
    };
  }

  private statusGet(now: number): Record<string, unknown> {
    const state = this.engineState(now);
    const status = this.faults.malformed
      ? { Code: "two", String: "Fault" }
      : this.faults.error !== null
        ? { Code: 2, String: `Fault - ${this.faults.error}` }
        : state === "Idle"
          ? { Code: 5, String: "Initializing" }
          : { Code: 0, String: "OK" };
    return { Platform: "Core 110f", ...this.engineStatus(now), Status: status };
  }

  /** One named control as Control.Get returns it, or null when the design has no such control. */
  private control(name: string): Record<string, unknown> | null {
    const match = /^Mic([1-4])(Level|Mute)$/.exec(name);
    if (!match) return null;
    const mic = Number(match[1]);
    if (match[2] === "Level") {
      const value = round(this.levels.get(mic)!, 1);
      return {
        Name: name,
        Value: this.faults.malformed && mic === 1 ? "loud" : value,
        String: `${value.toFixed(1)}dB`,
        Position: round(clamp((value + 100) / 120, 0, 1), 4),
      };
    }
    const muted = this.mutes.get(mic)!;
    return {
      Name: name,
      Value: this.faults.malformed && mic === 1 ? 2 : muted,
      String: muted ? "muted" : "unmuted",
      Position: muted,
    };
  }

  protected override describeState(now: number): Record<string, unknown> {
    return {
      engine: this.engineState(now),
      status: this.statusGet(now).Status,
      mics: MICS.map((mic) => ({
        mic,
        level: round(this.levels.get(mic)!, 1),
        muted: this.mutes.get(mic) === 1,
      })),
    };
  }

  /** Pushes EngineStatus to every client when it changed (as a Core does). */
  protected override onChange(): void {
    const params = this.engineStatus(this.advance());
    const text = JSON.stringify(params);
    if (text === this.lastEngineStatus) return;
    this.lastEngineStatus = text;
    const message = this.frame({ jsonrpc: "2.0", method: "EngineStatus", params });
    for (const client of this.clients) client.write(message);
  }

  private frame(message: unknown): string {
    return `${JSON.stringify(message)}\0`;
  }

  protected override createServer(): Server {
    return createServer((socket) => this.session(socket));
  }

  private session(socket: Socket): void {
    socket.setEncoding("utf8");
    socket.setTimeout(QRC_IDLE_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    this.clients.add(socket);
    socket.once("close", () => this.clients.delete(socket));
    const session = { loggedOn: this.entry.password === undefined };
    let buffer = "";
    const params = this.engineStatus(this.advance());
    this.lastEngineStatus = JSON.stringify(params);
    socket.write(this.frame({ jsonrpc: "2.0", method: "EngineStatus", params }));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 1 << 20) {
        socket.destroy();
        return;
      }
      let end: number;
      while ((end = buffer.indexOf("\0")) >= 0) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (text.trim() === "") continue;
        const answer = this.answer(text, session);
        if (answer) socket.write(this.frame(answer));
      }
    });
  }

  /** Answers one JSON-RPC message; null for a notification (no id). */
  answer(text: string, session: { loggedOn: boolean }): RpcAnswer | null {
    const now = this.advance();
    let request: RpcRequest;
    try {
      request = JSON.parse(text) as RpcRequest;
    } catch {
      return { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } };
    }
    if (typeof request !== "object" || request === null || typeof request.method !== "string") {
      return { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } };
    }
    const id = request.id;
    const ok = (result: unknown): RpcAnswer => ({ jsonrpc: "2.0", id, result });
    const fail = (code: number, message: string): RpcAnswer => ({
      jsonrpc: "2.0",
      id,
      error: { code, message },
    });
    const answer = ((): RpcAnswer => {
      switch (request.method) {
        case "NoOp":
          return ok(true);
        case "Logon": {
          const params = (request.params ?? {}) as { User?: unknown; Password?: unknown };
          const userOk = this.entry.username === undefined || params.User === this.entry.username;
          const passwordOk =
            this.entry.password === undefined || params.Password === this.entry.password;
          if (!userOk || !passwordOk) return fail(10, "Logon required");
          session.loggedOn = true;
          return ok(true);
        }
      }
      if (!session.loggedOn) return fail(10, "Logon required");
      switch (request.method) {
        case "StatusGet":
          return ok(this.statusGet(now));
        case "Control.Get": {
          if (!Array.isArray(request.params)) return fail(-32602, "Invalid params");
          const controls = [];
          for (const name of request.params) {
            const control = typeof name === "string" ? this.control(name) : null;
            if (!control) return fail(8, `Unknown control ${String(name)}`);
            controls.push(control);
          }
          return ok(controls);
        }
        case "Control.Set": {
          const params = (request.params ?? {}) as { Name?: unknown; Value?: unknown };
          const match =
            typeof params.Name === "string" ? /^Mic([1-4])Mute$/.exec(params.Name) : null;
          if (!match) return fail(8, `Unknown control ${String(params.Name)}`);
          if (params.Value !== 0 && params.Value !== 1 && typeof params.Value !== "boolean") {
            return fail(-32602, "Invalid params");
          }
          this.mutes.set(Number(match[1]), params.Value ? 1 : 0);
          return ok(this.control(params.Name as string));
        }
        default:
          return fail(-32601, "Method not found");
      }
    })();
    return id === undefined ? null : answer;
  }
}
