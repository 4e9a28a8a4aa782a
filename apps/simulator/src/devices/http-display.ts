import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Server } from "node:net";
import { SimDevice } from "../device";
import { clamp, drift, round } from "../model";

/** Writes a JSON answer (or raw text, for malformed bodies). */
export function sendJson(res: ServerResponse, status: number, body: unknown, raw?: string): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Whether a request carries the expected basic credentials (always true when none are set). */
export function basicAuthorized(
  header: string | undefined,
  username: string | undefined,
  password: string | undefined,
): boolean {
  if (username === undefined && password === undefined) return true;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  return (
    decoded.slice(0, colon) === (username ?? "") && decoded.slice(colon + 1) === (password ?? "")
  );
}

const INPUTS = ["hdmi-1", "hdmi-2", "displayport-1", "usb-c"];

/**
 * A networked flat panel (template http-json-display): GET /api/status and GET /api/info, with
 * HTTP basic auth when the fleet entry has a username or password.
 */
export class HttpDisplay extends SimDevice {
  private temperature = 40;
  private volume = 35;
  private muted = false;
  private input = "hdmi-1";
  private serial = "";

  protected override resetState(): void {
    const r = this.identity;
    this.temperature = 38 + r() * 6;
    this.volume = 20 + Math.floor(r() * 40);
    this.muted = false;
    this.input = INPUTS[Math.floor(r() * 2)]!;
    this.serial = `OGD${Math.floor(r() * 1e9)
      .toString()
      .padStart(9, "0")}`;
  }

  protected override evolve(now: number, dtS: number): void {
    // A lit panel settles around 42 °C; in standby it cools towards the room's 24 °C.
    const target = this.power.isLit(now) ? 42 : 24;
    this.temperature = clamp(
      drift(this.temperature, target, { tauS: 600, sigma: 0.05, dtS, random: this.random }),
      15,
      90,
    );
  }

  protected override describeState(now: number): Record<string, unknown> {
    return { ...this.status(now), serial: this.entry.nameplate?.serial ?? this.serial };
  }

  /** The /api/status document. */
  status(now: number): Record<string, unknown> {
    return {
      power: this.power.at(now),
      input: this.input,
      temperature: round(this.temperature, 1),
      volume: this.volume,
      muted: this.muted,
    };
  }

  /** The /api/info document. */
  info(): Record<string, unknown> {
    const nameplate = this.entry.nameplate ?? {};
    return {
      manufacturer: nameplate.manufacturer ?? "Omniglass Simulated Displays",
      model: nameplate.model ?? "OG-D55",
      serial: nameplate.serial ?? this.serial,
      firmware: "2.14.3",
    };
  }

  protected override createServer(): Server {
    return createServer((req, res) => this.handle(req, res));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const now = this.advance();
    if (!basicAuthorized(req.headers.authorization, this.entry.username, this.entry.password)) {
      res.setHeader("www-authenticate", 'Basic realm="display"');
      sendJson(res, 401, { error: "unauthorized" });
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/api/status" && path !== "/api/info") {
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
    if (path === "/api/status") {
      if (this.faults.malformed) {
        // Valid JSON that violates the template: a temperature that is not a number.
        sendJson(res, 200, { ...this.status(now), temperature: "hot" });
      } else {
        sendJson(res, 200, this.status(now));
      }
      return;
    }
    if (this.faults.malformed) {
      // Truncated JSON.
      sendJson(res, 200, null, JSON.stringify(this.info()).slice(0, 30));
      return;
    }
    sendJson(res, 200, this.info());
  }
}
