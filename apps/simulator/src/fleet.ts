import { z } from "zod";

/** The kinds of simulated gear, each answering one template of the official library. */
export const DEVICE_KINDS = [
  "http-display",
  "pjlink-projector",
  "qsys-dsp",
  "video-codec",
  "control-processor",
  "snmp-switch",
  "snmp-room-pc",
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** The template each kind answers (packages/gateway/templates/<name>.yaml). */
export const TEMPLATE_OF: Record<DeviceKind, string> = {
  "http-display": "http-json-display",
  "pjlink-projector": "pjlink-projector",
  "qsys-dsp": "qsys-core-dsp",
  "video-codec": "video-codec",
  "control-processor": "control-processor",
  "snmp-switch": "snmp-network-switch",
  "snmp-room-pc": "uc-room-pc",
};

/** A loopback IPv4 address: the simulator never listens beyond this machine. */
const Loopback = z
  .string()
  .regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, "a loopback IPv4 address (127.x.y.z)");

export const FleetEntry = z
  .object({
    id: z.string().min(1).max(300),
    kind: z.enum(DEVICE_KINDS),
    /** 0 picks a free port (the chosen one is reported by the control API). */
    port: z.number().int().min(0).max(65535),
    host: Loopback.default("127.0.0.1"),
    /** http-display: basic auth; pjlink: PJLink password; qsys: Logon; codec: the bearer token. */
    password: z.string().min(1).max(200).optional(),
    /** http-display: basic auth user; qsys: Logon user. */
    username: z.string().min(1).max(200).optional(),
    /**
     * snmp-switch, snmp-room-pc: the read community the agent answers (default `public`); the
     * agent listens on UDP at the same port number as the device's TCP port.
     */
    community: z.string().min(1).max(200).optional(),
    /**
     * http-display: what the device says about itself in /api/info, in place of the simulator's
     * own (manufacturer "Omniglass Simulated Displays", model OG-D55, a serial from its id) —
     * the demo gives each display its inventory's, so that a contradiction is one it chose.
     */
    nameplate: z
      .object({
        manufacturer: z.string().min(1).max(200),
        model: z.string().min(1).max(200),
        serial: z.string().min(1).max(200),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type FleetEntry = z.infer<typeof FleetEntry>;

export const Fleet = z
  .array(FleetEntry)
  .max(5000)
  .superRefine((entries, ctx) => {
    const ids = new Set<string>();
    const ports = new Set<string>();
    entries.forEach((entry, index) => {
      if (ids.has(entry.id)) {
        ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate id ${entry.id}` });
      }
      ids.add(entry.id);
      const where = `${entry.host}:${entry.port}`;
      if (entry.port !== 0 && ports.has(where)) {
        ctx.addIssue({ code: "custom", path: [index, "port"], message: `duplicate port ${where}` });
      }
      ports.add(where);
    });
  });
export type Fleet = z.infer<typeof Fleet>;

/** The faults switched on a device; `power` is the target power state. */
export interface Faults {
  power: "on" | "off";
  unreachable: boolean;
  error: string | null;
  flapping: boolean;
  malformed: boolean;
}

export const NO_FAULTS: Faults = {
  power: "on",
  unreachable: false,
  error: null,
  flapping: false,
  malformed: false,
};

/** A change of faults (the body of `POST /devices/{id}/faults`): only the fields given change. */
export const FaultsPatch = z
  .object({
    power: z.enum(["on", "off"]).optional(),
    unreachable: z.boolean().optional(),
    error: z.string().min(1).max(200).nullable().optional(),
    flapping: z.boolean().optional(),
    malformed: z.boolean().optional(),
  })
  .strict();
export type FaultsPatch = z.infer<typeof FaultsPatch>;

/** "a.b: message; c: message" — every issue with the field it concerns. */
export function describeIssues(error: z.ZodError, root = ""): string {
  const name = (path: PropertyKey[]) =>
    [root, ...path.map(String)].filter(Boolean).join(".") || "(root)";
  return error.issues
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `${name([...issue.path, key])}: unknown field`)
        : [`${name(issue.path)}: ${issue.message}`],
    )
    .join("; ");
}

/** Parses a fleet, throwing an error naming each offending field. */
export function parseFleet(input: unknown): Fleet {
  const parsed = Fleet.safeParse(input);
  if (!parsed.success) throw new Error(`invalid fleet: ${describeIssues(parsed.error, "fleet")}`);
  return parsed.data;
}
