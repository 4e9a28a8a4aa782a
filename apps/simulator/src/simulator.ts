import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_OPTIONS, type SimDevice, type SimulatorOptions } from "./device";
import { ControlProcessor } from "./devices/control-processor";
import { HttpDisplay } from "./devices/http-display";
import { PjlinkProjector } from "./devices/pjlink-projector";
import { QsysDsp } from "./devices/qsys-dsp";
import { SnmpRoomPc } from "./devices/snmp-room-pc";
import { SnmpSwitch } from "./devices/snmp-switch";
import { VideoCodec } from "./devices/video-codec";
import { type DeviceKind, describeIssues, FaultsPatch, type FleetEntry, parseFleet } from "./fleet";

const CLASSES: Record<DeviceKind, new (entry: FleetEntry, options: SimulatorOptions) => SimDevice> =
  {
    "http-display": HttpDisplay,
    "pjlink-projector": PjlinkProjector,
    "qsys-dsp": QsysDsp,
    "video-codec": VideoCodec,
    "control-processor": ControlProcessor,
    "snmp-switch": SnmpSwitch,
    "snmp-room-pc": SnmpRoomPc,
  };

export interface StartOptions extends Partial<SimulatorOptions> {
  /** The control API's port; 0 (the default) picks a free one. */
  controlPort?: number;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>` */
  controlUrl: string;
  devices: Map<string, SimDevice>;
  device(id: string): SimDevice;
  stop(): Promise<void>;
}

/** Listens for every device of the fleet and the control API; resolves once all listen. */
export async function startSimulator(
  fleet: unknown,
  options: StartOptions = {},
): Promise<Simulator> {
  const entries = parseFleet(fleet);
  const deviceOptions: SimulatorOptions = {
    transitionMs: options.transitionMs ?? DEFAULT_OPTIONS.transitionMs,
    flapMs: options.flapMs ?? DEFAULT_OPTIONS.flapMs,
    now: options.now ?? DEFAULT_OPTIONS.now,
  };
  const devices = new Map<string, SimDevice>();
  for (const entry of entries) {
    devices.set(entry.id, new CLASSES[entry.kind](entry, deviceOptions));
  }
  const stopDevices = () => Promise.all([...devices.values()].map((d) => d.stop()));
  const control = createServer((req, res) => {
    handleControl(devices, req, res).catch((error: unknown) => {
      if (!res.headersSent) problem(res, 500, "Internal error", (error as Error).message);
      else res.destroy();
    });
  });
  try {
    // Start in slices so a big fleet does not open thousands of listens at once.
    const all = [...devices.values()];
    for (let i = 0; i < all.length; i += 64) {
      await Promise.all(all.slice(i, i + 64).map((d) => d.start()));
    }
    await listen(control, options.controlPort ?? 0);
  } catch (error) {
    await stopDevices();
    control.close();
    throw error;
  }
  const port = (control.address() as AddressInfo).port;
  return {
    controlUrl: `http://127.0.0.1:${port}`,
    devices,
    device(id) {
      const device = devices.get(id);
      if (!device) throw new Error(`no device ${id}`);
      return device;
    },
    async stop() {
      control.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => control.close(() => resolve())),
        stopDevices(),
      ]);
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(text);
}

/** An RFC 9457 problem, like the platform's API. */
function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  const text = JSON.stringify({ type: "about:blank", title, status, detail });
  res.writeHead(status, { "content-type": "application/problem+json" });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The control API: GET /devices, GET /devices/{id}, POST /devices/{id}/faults,
 * POST /devices/{id}/reset. Ids may contain slashes (component paths), raw or percent-encoded.
 */
async function handleControl(
  devices: Map<string, SimDevice>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const path = url.pathname;
  if (path === "/devices" || path === "/devices/") {
    if (req.method !== "GET") return methodNotAllowed(res, "GET");
    json(
      res,
      200,
      [...devices.values()].map((d) => d.view()),
    );
    return;
  }
  if (path === "/healthz") {
    json(res, 200, { ok: true, devices: devices.size });
    return;
  }
  if (!path.startsWith("/devices/")) {
    problem(res, 404, "Not found", `no route ${path}`);
    return;
  }
  let rest: string;
  try {
    rest = decodeURIComponent(path.slice("/devices/".length));
  } catch {
    problem(res, 400, "Bad request", "id: not a valid percent-encoded device id");
    return;
  }
  let action: "view" | "faults" | "reset" = "view";
  let id = rest;
  if (!devices.has(rest)) {
    const match = /^(.+)\/(faults|reset)$/.exec(rest);
    if (match) {
      id = match[1]!;
      action = match[2] as "faults" | "reset";
    }
  }
  const device = devices.get(id);
  if (!device) {
    problem(res, 404, "Not found", `id: no device ${id}`);
    return;
  }
  if (action === "view") {
    if (req.method !== "GET") return methodNotAllowed(res, "GET");
    json(res, 200, device.view());
    return;
  }
  if (req.method !== "POST") return methodNotAllowed(res, "POST");
  if (action === "reset") {
    await device.reset();
    json(res, 200, device.view());
    return;
  }
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    problem(res, 400, "Bad request", `body: not JSON (${(error as Error).message})`);
    return;
  }
  const parsed = FaultsPatch.safeParse(body);
  if (!parsed.success) {
    problem(res, 400, "Bad request", describeIssues(parsed.error, "body"));
    return;
  }
  await device.applyFaults(parsed.data);
  json(res, 200, device.view());
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader("allow", allow);
  problem(res, 405, "Method not allowed", `use ${allow}`);
}
