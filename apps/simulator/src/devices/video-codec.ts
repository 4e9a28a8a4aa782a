import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:net";
import { SimDevice } from "../device";
import { sharedSelfSigned } from "../self-signed";
import { sendJson } from "./http-display";

type CallState = "idle" | "connecting" | "connected" | "disconnecting";

/** How long each call phase lasts, in seconds (a call every few minutes in a demo). */
const CALL_PHASE_S: Record<CallState, number> = {
  idle: 240,
  connecting: 8,
  connected: 180,
  disconnecting: 3,
};
const NEXT_CALL_STATE: Record<CallState, CallState> = {
  idle: "connecting",
  connecting: "connected",
  connected: "disconnecting",
  disconnecting: "idle",
};

/** Whether a request carries the expected bearer token (always true when none is set). */
export function bearerAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1] === token;
}

/**
 * A room video codec (template video-codec): HTTPS with a self-signed certificate, GET
 * /api/v1/status, a bearer token (the fleet entry's `password`) when one is set.
 */
export class VideoCodec extends SimDevice {
  private call: CallState = "idle";
  private callPhaseLeftS = 0;
  private connected = 3;

  protected override resetState(now: number): void {
    this.call = "idle";
    this.callPhaseLeftS = 30 + this.identity() * CALL_PHASE_S.idle;
    this.connected = 3;
    this.bootedAt = now - Math.floor(this.identity() * 20 * 86400_000) - 3600_000;
  }

  protected override evolve(now: number, dtS: number): void {
    if (this.power.at(now) !== "on") {
      this.call = "idle";
      return;
    }
    let left = dtS;
    while (left > 0) {
      if (left < this.callPhaseLeftS) {
        this.callPhaseLeftS -= left;
        break;
      }
      left -= this.callPhaseLeftS;
      this.call = NEXT_CALL_STATE[this.call];
      this.callPhaseLeftS = CALL_PHASE_S[this.call] * (0.5 + this.random());
    }
  }

  /** The /api/v1/status document. */
  status(now: number): Record<string, unknown> {
    const phase = this.power.at(now);
    const standby = phase === "on" ? "awake" : phase === "warming" ? "halfwake" : "standby";
    return {
      call: { state: this.call },
      standby: { state: standby },
      peripherals: { connected: this.connected, missing: 0 },
      system: { uptime: Math.floor((now - this.bootedAt) / 1000), software: "ce11.14.2.3 (sim)" },
    };
  }

  protected override describeState(now: number): Record<string, unknown> {
    return this.status(now);
  }

  protected override createServer(): Server {
    return createServer(sharedSelfSigned(), (req, res) => this.handle(req, res));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const now = this.advance();
    if (!bearerAuthorized(req.headers.authorization, this.entry.password)) {
      res.setHeader("www-authenticate", 'Bearer realm="codec"');
      sendJson(res, 401, { error: "unauthorized" });
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/api/v1/status") {
      sendJson(res, 404, { error: "not found" });
      return;
    }
    if (req.method !== "GET") {
      res.setHeader("allow", "GET");
      sendJson(res, 405, { error: "method not allowed" });
      return;
    }
    if (this.faults.error !== null) {
      sendJson(res, 500, { error: this.faults.error });
      return;
    }
    const status = this.status(now);
    if (this.faults.malformed) {
      // Valid JSON whose values break the template: counts and uptime that are not numbers.
      sendJson(res, 200, {
        ...status,
        peripherals: { connected: "three", missing: "none" },
        system: { uptime: "forever", software: 11 },
      });
      return;
    }
    sendJson(res, 200, status);
  }
}
