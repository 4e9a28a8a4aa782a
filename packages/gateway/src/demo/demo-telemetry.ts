import { createHmac, randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { updateComponent } from "../components";
import type { Database } from "../db";
import { loadActor } from "../identity/load-actor";
import { setBinding } from "../bindings/bindings";
import { createNode, issueEnrollment } from "../nodes";
import { unsafeResolveVariables } from "../bindings/resolve-variables";
import {
  component,
  componentInterface,
  location,
  node,
  principal,
  system,
  systemMember,
  template,
} from "../schema";
import type { SecretKey } from "../secrets/envelope";

/**
 * The demo's data plane: one node at the campus polling the simulated gear `npm start` runs on
 * loopback (apps/simulator). Every component of the demo estate — displays, projectors, DSPs,
 * codecs, control processors, room PCs and switches — gets its device interface bound to the
 * node at 127.0.0.1 on a port of its own (the SNMP gear answers on UDP at that port number); the
 * simulator is then started with the fleet read back from those bindings.
 *
 * The gear asks for credentials as real gear does (display basic auth, PJLink and Q-SYS passwords,
 * the codec's bearer token, the SNMP community the estate's variables give each switch and PC).
 * The secrets are variables on the campus, derived from the install's master key so that every
 * start can hand the simulator the same ones without reading them back.
 *
 * Reachability: every simulated device shares the loopback address, which always answers an echo,
 * so each component's ping interface is bound with the device's port and the node checks it by a
 * TCP connect (refused = unreachable): a device made unreachable in the simulator reads
 * `reachable false`. The SNMP gear listens on TCP at its port number for exactly that.
 */

export const DEMO_NODE = "riverside-node";

/** The simulator's device kinds, by the template they answer. */
const SIMULATED: Record<string, { kind: SimulatedKind; interface: string }> = {
  "http-json-display": { kind: "http-display", interface: "http" },
  "pjlink-projector": { kind: "pjlink-projector", interface: "pjlink" },
  "qsys-core-dsp": { kind: "qsys-dsp", interface: "qrc" },
  "video-codec": { kind: "video-codec", interface: "https" },
  "control-processor": { kind: "control-processor", interface: "console" },
  "snmp-network-switch": { kind: "snmp-switch", interface: "snmp" },
  "uc-room-pc": { kind: "snmp-room-pc", interface: "snmp" },
};

/** The official templates' reachability interface (icmp; bound with a port, a TCP connect). */
const REACHABILITY = "ping";

export type SimulatedKind =
  | "http-display"
  | "pjlink-projector"
  | "qsys-dsp"
  | "video-codec"
  | "control-processor"
  | "snmp-switch"
  | "snmp-room-pc";

/** One entry of the simulator's fleet (apps/simulator `--fleet`). */
export interface SimulatedDevice {
  id: string;
  kind: SimulatedKind;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** snmp-switch, snmp-room-pc: the read community (the component's `snmp-community`). */
  community?: string;
  /** http-display: what it reports about itself (its inventory's), see DEMO_MISLABELLED. */
  nameplate?: { manufacturer?: string; model?: string; serial?: string };
}

/**
 * The display whose inventory is wrong, on purpose: the estate says Samsung QM85R, the device
 * reports the simulator's own nameplate (OG-D55 and its own serial). Every other display reports
 * what the inventory says, so the assessment's contradictions in the demo are the ones chosen
 * here and in demo-estate.ts (docs/guides/assessment.md).
 */
export const DEMO_MISLABELLED = "riverside.north.floor-1.boardroom-110.display-left";

interface DemoCredentials {
  httpUsername: string;
  httpPassword: string;
  pjlinkPassword: string;
  qrcUsername: string;
  qrcPassword: string;
  codecToken: string;
}

function demoCredentials(secretKey: SecretKey): DemoCredentials {
  const derive = (what: string) =>
    createHmac("sha256", secretKey.key)
      .update(`omniglass-demo:${what}`)
      .digest("base64url")
      .slice(0, 20);
  return {
    httpUsername: "monitor",
    httpPassword: derive("http-password"),
    pjlinkPassword: derive("pjlink-password"),
    qrcUsername: "monitor",
    qrcPassword: derive("qrc-password"),
    codecToken: derive("codec-token"),
  };
}

/** What each simulated kind asks for, in the simulator's fleet terms. */
function credentialsOf(kind: SimulatedKind, c: DemoCredentials) {
  switch (kind) {
    case "http-display":
      return { username: c.httpUsername, password: c.httpPassword };
    case "pjlink-projector":
      return { password: c.pjlinkPassword };
    case "qsys-dsp":
      return { username: c.qrcUsername, password: c.qrcPassword };
    case "video-codec":
      return { password: c.codecToken };
    case "control-processor":
    case "snmp-switch":
    case "snmp-room-pc":
      return {};
  }
}

export interface DemoTelemetry {
  /** False when the demo node existed and every demo component was bound already. */
  wired: boolean;
  node: { id: string; name: string };
  fleet: SimulatedDevice[];
}

const LOOPBACK = "127.0.0.1";

/**
 * Creates the demo node (when the demo campus exists and the node does not yet) and binds every
 * demo component's device and reachability interfaces to it that is not bound yet — so an
 * install wired by an earlier version gains what this one simulates, keeping the ports it had.
 * Every write goes through the gateway's writers as `owner`, so it is checked and audited.
 * Returns the fleet the simulator must run either way.
 */
export async function unsafeWireDemoTelemetry(
  db: Database,
  { owner, basePort, secretKey }: { owner: string; basePort: number; secretKey: SecretKey },
): Promise<DemoTelemetry | null> {
  const credentials = demoCredentials(secretKey);
  const existing = await findDemoNode(db);
  const [campus] = existing
    ? [null]
    : await db
        .select({ path: location.path })
        .from(location)
        .where(isNull(location.parentId))
        .orderBy(asc(location.path))
        .limit(1);
  if (!existing && !campus) return null;
  const [who] = await db
    .select({ id: principal.id, kind: principal.kind })
    .from(principal)
    .where(eq(principal.name, owner));
  if (!who) throw new Error(`demo telemetry: no principal ${owner}`);
  const actor = await loadActor(db, who.id);
  if (!actor) throw new Error(`demo telemetry: ${owner} is disabled`);
  const meta: RequestMeta = {
    requestId: randomUUID(),
    source: "cli",
    actor: { id: who.id, kind: who.kind },
    realActor: null,
    ip: null,
  };

  let demoNode = existing;
  if (!demoNode) {
    const created = await createNode({
      db,
      actor,
      meta,
      input: {
        name: DEMO_NODE,
        label: "Riverside collector",
        location: campus!.path,
        expiresInHours: 24,
      },
    });
    const variable = (key: string, value: string, secret: boolean) =>
      setBinding({
        db,
        actor,
        meta,
        kind: "variable",
        input: { target: `location.${campus!.path}`, key, value, secret },
        secretKey,
      });
    await variable("http-username", credentials.httpUsername, false);
    await variable("http-password", credentials.httpPassword, true);
    await variable("pjlink-password", credentials.pjlinkPassword, true);
    await variable("qrc-username", credentials.qrcUsername, false);
    await variable("qrc-password", credentials.qrcPassword, true);
    await variable("codec-token", credentials.codecToken, true);
    demoNode = { id: created.id, name: created.name };
  }
  const bound = await bindSimulatedGear(db, { actor, meta, nodeId: demoNode.id, basePort });
  return {
    wired: !existing || bound > 0,
    node: demoNode,
    fleet: await demoFleet(db, demoNode.id, credentials, secretKey),
  };
}

/**
 * Binds, per demo component of a simulated template, its device interface (a loopback port of
 * its own, the next after the highest the node uses) and its reachability interface (the same
 * port) to the demo node, where not bound yet. Returns how many components it changed.
 */
async function bindSimulatedGear(
  db: Database,
  {
    actor,
    meta,
    nodeId,
    basePort,
  }: { actor: Actor; meta: RequestMeta; nodeId: string; basePort: number },
): Promise<number> {
  const rows = await db
    .select({
      id: component.id,
      path: component.path,
      template: template.name,
      name: componentInterface.name,
      nodeId: componentInterface.nodeId,
      host: componentInterface.host,
      port: componentInterface.port,
    })
    .from(component)
    .innerJoin(template, eq(template.id, component.templateId))
    .innerJoin(componentInterface, eq(componentInterface.componentId, component.id))
    .where(inArray(template.name, Object.keys(SIMULATED)))
    .orderBy(asc(component.path), asc(componentInterface.name));
  const onNode = (r: (typeof rows)[number]) =>
    r.nodeId === nodeId && r.host === LOOPBACK && r.port !== null;
  let next = Math.max(basePort - 1, ...rows.filter(onNode).map((r) => r.port!)) + 1;
  const byComponent = new Map<string, typeof rows>();
  for (const row of rows) byComponent.set(row.path, [...(byComponent.get(row.path) ?? []), row]);
  let changed = 0;
  for (const [path, interfaces] of byComponent) {
    const simulated = SIMULATED[interfaces[0]!.template]!;
    const device = interfaces.find((i) => i.name === simulated.interface);
    const ping = interfaces.find((i) => i.name === REACHABILITY);
    // A device an operator bound elsewhere is theirs: left alone.
    if (!device || (device.nodeId !== null && !onNode(device))) continue;
    const port = onNode(device) ? device.port! : next++;
    const pingWanted =
      ping !== undefined &&
      (ping.nodeId === null ||
        (ping.nodeId === nodeId && (ping.host !== LOOPBACK || ping.port !== port)));
    const wanted = [
      ...(onNode(device) ? [] : [{ name: device.name, node: DEMO_NODE, host: LOOPBACK, port }]),
      ...(pingWanted ? [{ name: REACHABILITY, node: DEMO_NODE, host: LOOPBACK, port }] : []),
    ];
    if (wanted.length === 0) continue;
    // The version read now: each component changes once here.
    const [current] = await db
      .select({ version: component.version })
      .from(component)
      .where(eq(component.id, device.id));
    await updateComponent({
      db,
      actor,
      meta,
      input: { ref: path, version: current!.version, interfaces: wanted },
    });
    changed += 1;
  }
  return changed;
}

/**
 * A fresh one-time enrollment token for the demo node, for a start that finds no credential on
 * disk (the first start, or after `.data/node` was removed).
 */
export async function unsafeDemoEnrollmentToken(
  db: Database,
  { owner }: { owner: string },
): Promise<string> {
  const [who] = await db
    .select({ id: principal.id, kind: principal.kind })
    .from(principal)
    .where(eq(principal.name, owner));
  const actor = who ? await loadActor(db, who.id) : null;
  if (!who || !actor) throw new Error(`demo telemetry: no enabled principal ${owner}`);
  const issued = await issueEnrollment({
    db,
    actor,
    meta: {
      requestId: randomUUID(),
      source: "cli",
      actor: { id: who.id, kind: who.kind },
      realActor: null,
      ip: null,
    },
    input: { ref: DEMO_NODE, expiresInHours: 1 },
  });
  return issued.enrollmentToken;
}

async function findDemoNode(db: Database) {
  const [row] = await db
    .select({ id: node.id, name: principal.name })
    .from(node)
    .innerJoin(principal, eq(principal.id, node.id))
    .where(eq(principal.name, DEMO_NODE));
  return row ?? null;
}

/** The simulated devices bound to the demo node, read back from their device interfaces' bindings. */
async function demoFleet(
  db: Database,
  nodeId: string,
  credentials: DemoCredentials,
  secretKey: SecretKey,
): Promise<SimulatedDevice[]> {
  const rows = await db
    .select({
      id: component.id,
      path: component.path,
      template: template.name,
      name: componentInterface.name,
      port: componentInterface.port,
      locationPath: location.path,
      primarySystemPath: system.path,
      vendor: component.vendor,
      model: component.model,
      serial: component.serial,
    })
    .from(componentInterface)
    .innerJoin(component, eq(component.id, componentInterface.componentId))
    .innerJoin(template, eq(template.id, component.templateId))
    .innerJoin(location, eq(location.id, component.locationId))
    .leftJoin(
      systemMember,
      and(eq(systemMember.componentId, component.id), eq(systemMember.isPrimary, true)),
    )
    .leftJoin(system, eq(system.id, systemMember.systemId))
    .where(and(eq(componentInterface.nodeId, nodeId), eq(componentInterface.host, LOOPBACK)))
    .orderBy(asc(component.path));
  const devices = rows.filter(
    (row) => SIMULATED[row.template]?.interface === row.name && row.port !== null,
  );
  // The SNMP gear answers the community the estate's variable cascade gives each component.
  const snmp = devices.filter((row) => SIMULATED[row.template]!.kind.startsWith("snmp-"));
  const communities = await unsafeResolveVariables(
    db,
    secretKey,
    snmp.map((row) => ({
      id: row.id,
      path: row.path,
      locationPath: row.locationPath,
      primarySystemPath: row.primarySystemPath,
    })),
    ["snmp-community"],
  );
  return devices.map((row) => {
    const simulated = SIMULATED[row.template]!;
    const community = communities.get(row.id)?.["snmp-community"];
    const nameplate =
      simulated.kind === "http-display" && row.path !== DEMO_MISLABELLED
        ? Object.fromEntries(
            (
              [
                ["manufacturer", row.vendor],
                ["model", row.model],
                ["serial", row.serial],
              ] as const
            ).filter(([, value]) => value !== null && value !== ""),
          )
        : undefined;
    return {
      id: row.path,
      kind: simulated.kind,
      host: LOOPBACK,
      port: row.port!,
      ...credentialsOf(simulated.kind, credentials),
      ...(community !== undefined ? { community } : {}),
      ...(nameplate && Object.keys(nameplate).length > 0 ? { nameplate } : {}),
    };
  });
}
