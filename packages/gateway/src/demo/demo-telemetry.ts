import { createHmac, randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import { updateComponent } from "../components";
import type { Database } from "../db";
import { loadActor } from "../identity/load-actor";
import { setBinding } from "../bindings/bindings";
import { createNode, issueEnrollment } from "../nodes";
import { component, componentInterface, location, node, principal, template } from "../schema";
import type { SecretKey } from "../secrets/envelope";

/**
 * The demo's data plane: one node at the campus polling the simulated AV gear `npm start` runs on
 * loopback (apps/simulator). The demo estate's displays, projectors, DSPs, codecs and control
 * processors get their device interface bound to the node at 127.0.0.1 on a port of their own;
 * the simulator is then started with the fleet read back from those bindings.
 *
 * The gear asks for credentials as real gear does (display basic auth, PJLink and Q-SYS passwords,
 * the codec's bearer token). They are secret variables on the campus, derived from the install's
 * master key so that every start can hand the simulator the same ones without reading them back.
 *
 * Ping interfaces stay unbound: every simulated device shares the loopback address, which always
 * answers an echo, so reachability would read true even for a device made unreachable.
 */

export const DEMO_NODE = "riverside-node";

/** The simulator's device kinds, by the template they answer. */
const SIMULATED: Record<string, { kind: SimulatedKind; interface: string }> = {
  "http-json-display": { kind: "http-display", interface: "http" },
  "pjlink-projector": { kind: "pjlink-projector", interface: "pjlink" },
  "qsys-core-dsp": { kind: "qsys-dsp", interface: "qrc" },
  "video-codec": { kind: "video-codec", interface: "https" },
  "control-processor": { kind: "control-processor", interface: "console" },
};

export type SimulatedKind =
  "http-display" | "pjlink-projector" | "qsys-dsp" | "video-codec" | "control-processor";

/** One entry of the simulator's fleet (apps/simulator `--fleet`). */
export interface SimulatedDevice {
  id: string;
  kind: SimulatedKind;
  host: string;
  port: number;
  username?: string;
  password?: string;
}

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
      return {};
  }
}

export interface DemoTelemetry {
  /** False when the demo node already existed: the bindings were left as they are. */
  wired: boolean;
  node: { id: string; name: string };
  fleet: SimulatedDevice[];
}

const LOOPBACK = "127.0.0.1";

/**
 * Creates the demo node and binds the simulated gear to it, once (when the node does not exist
 * yet and the demo campus does). Every write goes through the gateway's writers as `owner`, so
 * it is checked and audited. Returns the fleet the simulator must run either way.
 */
export async function unsafeWireDemoTelemetry(
  db: Database,
  { owner, basePort, secretKey }: { owner: string; basePort: number; secretKey: SecretKey },
): Promise<DemoTelemetry | null> {
  const credentials = demoCredentials(secretKey);
  const existing = await findDemoNode(db);
  if (existing)
    return { wired: false, node: existing, fleet: await demoFleet(db, existing.id, credentials) };

  const [campus] = await db
    .select({ path: location.path })
    .from(location)
    .where(isNull(location.parentId))
    .orderBy(asc(location.path))
    .limit(1);
  if (!campus) return null;
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

  const created = await createNode({
    db,
    actor,
    meta,
    input: {
      name: DEMO_NODE,
      label: "Riverside collector",
      location: campus.path,
      expiresInHours: 24,
    },
  });
  const variable = (key: string, value: string, secret: boolean) =>
    setBinding({
      db,
      actor,
      meta,
      kind: "variable",
      input: { target: `location.${campus.path}`, key, value, secret },
      secretKey,
    });
  await variable("http-username", credentials.httpUsername, false);
  await variable("http-password", credentials.httpPassword, true);
  await variable("pjlink-password", credentials.pjlinkPassword, true);
  await variable("qrc-username", credentials.qrcUsername, false);
  await variable("qrc-password", credentials.qrcPassword, true);
  await variable("codec-token", credentials.codecToken, true);
  const devices = await db
    .select({ path: component.path, version: component.version, template: template.name })
    .from(component)
    .innerJoin(template, eq(template.id, component.templateId))
    .where(inArray(template.name, Object.keys(SIMULATED)))
    .orderBy(asc(component.path));
  let port = basePort;
  for (const device of devices) {
    const simulated = SIMULATED[device.template]!;
    await updateComponent({
      db,
      actor,
      meta,
      input: {
        ref: device.path,
        version: device.version,
        interfaces: [{ name: simulated.interface, node: DEMO_NODE, host: LOOPBACK, port: port++ }],
      },
    });
  }
  const wiredNode = { id: created.id, name: created.name };
  return { wired: true, node: wiredNode, fleet: await demoFleet(db, wiredNode.id, credentials) };
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

/** The simulated devices bound to the demo node, read back from their interface bindings. */
async function demoFleet(
  db: Database,
  nodeId: string,
  credentials: DemoCredentials,
): Promise<SimulatedDevice[]> {
  const rows = await db
    .select({
      path: component.path,
      template: template.name,
      host: componentInterface.host,
      port: componentInterface.port,
    })
    .from(componentInterface)
    .innerJoin(component, eq(component.id, componentInterface.componentId))
    .innerJoin(template, eq(template.id, component.templateId))
    .where(and(eq(componentInterface.nodeId, nodeId), eq(componentInterface.host, LOOPBACK)))
    .orderBy(asc(component.path));
  return rows.flatMap((row) => {
    const simulated = SIMULATED[row.template];
    if (!simulated || row.port === null) return [];
    return [
      {
        id: row.path,
        kind: simulated.kind,
        host: LOOPBACK,
        port: row.port,
        ...credentialsOf(simulated.kind, credentials),
      },
    ];
  });
}
