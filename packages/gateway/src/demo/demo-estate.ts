import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { setBinding } from "../bindings/bindings";
import { createComponent } from "../components";
import type { Database } from "../db";
import { loadActor } from "../identity/load-actor";
import { createLocation } from "../locations/create-location";
import { component, location, principal, system } from "../schema";
import { addMember, createRole } from "../systems";
import { createSystem } from "../systems";

/**
 * The demo estate `npm start` writes into an empty embedded database: the Riverside campus, two
 * buildings, five floors, 22 rooms of realistic composition (boardrooms, huddle rooms, classrooms,
 * an auditorium and a lobby video wall), a switch per floor and a core switch per building, with
 * roles, members, tags and variables. Every write goes through the gateway's public functions as
 * the demo owner, so it is checked and audited like any other; all of it in one transaction.
 * Addresses are private example data (10.20.x.y), never contacted by this code.
 */

type Kind =
  "codec" | "display" | "dsp" | "control-processor" | "room-pc" | "projector" | "network-switch";

const TEMPLATE: Record<Kind, string> = {
  codec: "video-codec",
  display: "http-json-display",
  dsp: "qsys-core-dsp",
  "control-processor": "control-processor",
  "room-pc": "uc-room-pc",
  projector: "pjlink-projector",
  "network-switch": "snmp-network-switch",
};

interface Device {
  name: string;
  label: string;
  kind: Kind;
  vendor: string;
  model: string;
  role: string;
}

interface Role {
  name: string;
  label: string;
  accepts: Kind[];
  quorum: number;
  impact: "outage" | "degraded" | "none";
}

interface RoomKind {
  systemType: string;
  roles: Role[];
  devices: Device[];
}

const NETWORK: Role = {
  name: "network",
  label: "Floor network",
  accepts: ["network-switch"],
  quorum: 1,
  impact: "outage",
};

const display = (name: string, label: string, role: string, model = "QM85R"): Device => ({
  name,
  label,
  kind: "display",
  vendor: "Samsung",
  model,
  role,
});

const ROOMS: Record<"boardroom" | "huddle" | "classroom" | "auditorium" | "videoWall", RoomKind> = {
  boardroom: {
    systemType: "meeting-room",
    roles: [
      {
        name: "video",
        label: "Video conferencing",
        accepts: ["codec"],
        quorum: 1,
        impact: "outage",
      },
      { name: "displays", label: "Displays", accepts: ["display"], quorum: 1, impact: "degraded" },
      {
        name: "audio",
        label: "Microphones and DSP",
        accepts: ["dsp"],
        quorum: 1,
        impact: "outage",
      },
      {
        name: "control",
        label: "Room control",
        accepts: ["control-processor"],
        quorum: 1,
        impact: "degraded",
      },
      { name: "compute", label: "Room PC", accepts: ["room-pc"], quorum: 1, impact: "degraded" },
      NETWORK,
    ],
    devices: [
      {
        name: "codec",
        label: "Video codec",
        kind: "codec",
        vendor: "Cisco",
        model: "Room Kit Pro",
        role: "video",
      },
      display("display-left", "Left display", "displays"),
      display("display-right", "Right display", "displays"),
      {
        name: "dsp",
        label: "Audio DSP",
        kind: "dsp",
        vendor: "QSC",
        model: "Core 8 Flex",
        role: "audio",
      },
      {
        name: "control",
        label: "Control processor",
        kind: "control-processor",
        vendor: "Crestron",
        model: "CP4N",
        role: "control",
      },
      {
        name: "room-pc",
        label: "Teams room PC",
        kind: "room-pc",
        vendor: "Lenovo",
        model: "ThinkSmart Core",
        role: "compute",
      },
    ],
  },
  huddle: {
    systemType: "huddle-room",
    roles: [
      { name: "display", label: "Display", accepts: ["display"], quorum: 1, impact: "outage" },
      { name: "compute", label: "Room PC", accepts: ["room-pc"], quorum: 1, impact: "outage" },
      NETWORK,
    ],
    devices: [
      display("display", "Display", "display", "QM55R"),
      {
        name: "room-pc",
        label: "Room PC",
        kind: "room-pc",
        vendor: "Lenovo",
        model: "ThinkSmart Core",
        role: "compute",
      },
    ],
  },
  classroom: {
    systemType: "classroom",
    roles: [
      {
        name: "projection",
        label: "Projection",
        accepts: ["projector"],
        quorum: 1,
        impact: "outage",
      },
      { name: "audio", label: "Voice lift", accepts: ["dsp"], quorum: 1, impact: "degraded" },
      {
        name: "control",
        label: "Lectern control",
        accepts: ["control-processor"],
        quorum: 1,
        impact: "degraded",
      },
      { name: "lectern", label: "Lectern PC", accepts: ["room-pc"], quorum: 1, impact: "degraded" },
      {
        name: "confidence",
        label: "Confidence monitor",
        accepts: ["display"],
        quorum: 0,
        impact: "none",
      },
      NETWORK,
    ],
    devices: [
      {
        name: "projector",
        label: "Projector",
        kind: "projector",
        vendor: "Epson",
        model: "EB-L1100U",
        role: "projection",
      },
      {
        name: "dsp",
        label: "Audio DSP",
        kind: "dsp",
        vendor: "QSC",
        model: "Core Nano",
        role: "audio",
      },
      {
        name: "control",
        label: "Control processor",
        kind: "control-processor",
        vendor: "Crestron",
        model: "CP4N",
        role: "control",
      },
      {
        name: "lectern-pc",
        label: "Lectern PC",
        kind: "room-pc",
        vendor: "Dell",
        model: "OptiPlex 7010 Micro",
        role: "lectern",
      },
      display("confidence", "Confidence monitor", "confidence", "QM43R"),
    ],
  },
  auditorium: {
    systemType: "auditorium",
    roles: [
      {
        name: "projection",
        label: "Main projection",
        accepts: ["projector"],
        quorum: 1,
        impact: "degraded",
      },
      {
        name: "audio",
        label: "Redundant audio cores",
        accepts: ["dsp"],
        quorum: 1,
        impact: "outage",
      },
      {
        name: "video",
        label: "Lecture capture",
        accepts: ["codec"],
        quorum: 1,
        impact: "degraded",
      },
      {
        name: "control",
        label: "Show control",
        accepts: ["control-processor"],
        quorum: 1,
        impact: "outage",
      },
      {
        name: "compute",
        label: "Presentation PC",
        accepts: ["room-pc"],
        quorum: 1,
        impact: "degraded",
      },
      {
        name: "displays",
        label: "Stage displays",
        accepts: ["display"],
        quorum: 2,
        impact: "degraded",
      },
      NETWORK,
    ],
    devices: [
      ...(["left", "right"] as const).map((side): Device => ({
        name: `projector-${side}`,
        label: `Projector ${side}`,
        kind: "projector",
        vendor: "Barco",
        model: "G62-W11",
        role: "projection",
      })),
      ...(["a", "b"] as const).map((core): Device => ({
        name: `dsp-${core}`,
        label: `Audio core ${core.toUpperCase()}`,
        kind: "dsp",
        vendor: "QSC",
        model: "Core 110f",
        role: "audio",
      })),
      {
        name: "codec",
        label: "Lecture capture codec",
        kind: "codec",
        vendor: "Poly",
        model: "G7500",
        role: "video",
      },
      {
        name: "control",
        label: "Show control processor",
        kind: "control-processor",
        vendor: "Crestron",
        model: "CP4N",
        role: "control",
      },
      {
        name: "presentation-pc",
        label: "Presentation PC",
        kind: "room-pc",
        vendor: "Dell",
        model: "OptiPlex 7010 Tower",
        role: "compute",
      },
      display("confidence-left", "Confidence monitor left", "displays", "QM55R"),
      display("confidence-right", "Confidence monitor right", "displays", "QM55R"),
      display("stage-left", "Stage display left", "displays"),
      display("stage-right", "Stage display right", "displays"),
    ],
  },
  videoWall: {
    systemType: "video-wall",
    roles: [
      { name: "panels", label: "Wall panels", accepts: ["display"], quorum: 6, impact: "degraded" },
      {
        name: "control",
        label: "Wall processor",
        accepts: ["control-processor"],
        quorum: 1,
        impact: "outage",
      },
      NETWORK,
    ],
    devices: [
      ...[1, 2, 3, 4, 5, 6].map((n): Device => ({
        name: `panel-${n}`,
        label: `Panel ${n} (row ${n <= 3 ? 1 : 2}, column ${((n - 1) % 3) + 1})`,
        kind: "display",
        vendor: "LG",
        model: "55VM5J-H",
        role: "panels",
      })),
      {
        name: "control",
        label: "Wall control processor",
        kind: "control-processor",
        vendor: "Crestron",
        model: "CP4N",
        role: "control",
      },
    ],
  },
};

interface Room {
  name: string;
  label: string;
  kind: keyof typeof ROOMS;
}

const CAMPUS = { name: "riverside", label: "Riverside Campus" };

const BUILDINGS: {
  name: string;
  label: string;
  octet: number;
  floors: { name: string; label: string; rooms: Room[] }[];
}[] = [
  {
    name: "north",
    label: "North Hall",
    octet: 10,
    floors: [
      {
        name: "floor-1",
        label: "Ground floor",
        rooms: [
          { name: "lobby", label: "Lobby video wall", kind: "videoWall" },
          { name: "huddle-101", label: "Huddle 1.01", kind: "huddle" },
          { name: "huddle-102", label: "Huddle 1.02", kind: "huddle" },
          { name: "boardroom-110", label: "Boardroom 1.10", kind: "boardroom" },
        ],
      },
      {
        name: "floor-2",
        label: "Second floor",
        rooms: [
          { name: "boardroom-201", label: "Boardroom 2.01", kind: "boardroom" },
          { name: "meeting-202", label: "Meeting room 2.02", kind: "boardroom" },
          { name: "meeting-206", label: "Meeting room 2.06", kind: "boardroom" },
          { name: "huddle-203", label: "Huddle 2.03", kind: "huddle" },
          { name: "huddle-204", label: "Huddle 2.04", kind: "huddle" },
          { name: "huddle-205", label: "Huddle 2.05", kind: "huddle" },
        ],
      },
      {
        name: "floor-3",
        label: "Executive floor",
        rooms: [
          { name: "boardroom-301", label: "Executive boardroom", kind: "boardroom" },
          { name: "meeting-302", label: "Meeting room 3.02", kind: "boardroom" },
          { name: "meeting-304", label: "Meeting room 3.04", kind: "boardroom" },
          { name: "huddle-303", label: "Huddle 3.03", kind: "huddle" },
        ],
      },
    ],
  },
  {
    name: "south",
    label: "South Hall (teaching)",
    octet: 20,
    floors: [
      {
        name: "floor-1",
        label: "Ground floor",
        rooms: [
          { name: "auditorium", label: "Main auditorium", kind: "auditorium" },
          { name: "classroom-101", label: "Classroom 1.01", kind: "classroom" },
          { name: "classroom-102", label: "Classroom 1.02", kind: "classroom" },
        ],
      },
      {
        name: "floor-2",
        label: "First floor",
        rooms: [
          { name: "classroom-201", label: "Classroom 2.01", kind: "classroom" },
          { name: "classroom-202", label: "Classroom 2.02", kind: "classroom" },
          { name: "classroom-203", label: "Classroom 2.03", kind: "classroom" },
          { name: "meeting-210", label: "Staff meeting room", kind: "boardroom" },
          { name: "huddle-204", label: "Study huddle 2.04", kind: "huddle" },
        ],
      },
    ],
  },
];

export interface DemoEstateResult {
  /** False when the database already held locations: nothing was written. */
  seeded: boolean;
  locations: number;
  systems: number;
  components: number;
}

const mac = (a: number, b: number, c: number) =>
  `02:00:5e:${[a, b, c].map((n) => (n & 0xff).toString(16).padStart(2, "0")).join(":")}`;

/**
 * Writes the demo estate as `owner` (the demo owner `npm start` bootstraps) when the database has
 * no location yet; otherwise does nothing. One transaction: a failure leaves nothing behind.
 */
export async function unsafeSeedDemoEstate(
  db: Database,
  { owner = "admin" }: { owner?: string } = {},
): Promise<DemoEstateResult> {
  const [who] = await db
    .select({ id: principal.id, kind: principal.kind })
    .from(principal)
    .where(eq(principal.name, owner));
  if (!who) throw new Error(`demo estate: no principal ${owner}`);
  const actor = await loadActor(db, who.id);
  if (!actor) throw new Error(`demo estate: ${owner} is disabled`);
  const meta: RequestMeta = {
    requestId: randomUUID(),
    source: "cli",
    actor: { id: who.id, kind: who.kind },
    realActor: null,
    ip: null,
  };

  return db.transaction(async (tx) => {
    // Serialise concurrent starts on the same database, then re-check emptiness under the lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('omniglass-demo-estate'))`);
    const [existing] = await tx.select({ n: count() }).from(location);
    if ((existing?.n ?? 0) > 0)
      return { seeded: false, locations: existing!.n, systems: 0, components: 0 };
    // The gateway's writers open their own transaction; on a transaction handle that is a savepoint.
    const w = { db: tx as unknown as Database, actor: actor satisfies Actor, meta };
    await writeEstate(w);
    // One after the other: a transaction's client takes one query at a time.
    const [l] = await tx.select({ n: count() }).from(location);
    const [s] = await tx.select({ n: count() }).from(system);
    const [c] = await tx.select({ n: count() }).from(component);
    return { seeded: true, locations: l!.n, systems: s!.n, components: c!.n };
  });
}

async function writeEstate(w: { db: Database; actor: Actor; meta: RequestMeta }) {
  const tag = (target: string, key: string, value: string) =>
    setBinding({ ...w, kind: "tag", input: { target, key, value } });
  const variable = (target: string, key: string, value: string | object) =>
    setBinding({ ...w, kind: "variable", input: { target, key, value } });

  await createLocation({ ...w, input: { ...CAMPUS, type: "campus" } });
  await variable(`location.${CAMPUS.name}`, "snmp-community", "omniglass-ro");
  await variable(`location.${CAMPUS.name}`, "ntp-server", "10.20.0.123");
  await tag(`location.${CAMPUS.name}`, "site", "riverside");

  let serial = 1000;
  for (const building of BUILDINGS) {
    const buildingPath = `${CAMPUS.name}.${building.name}`;
    await createLocation({
      ...w,
      input: { name: building.name, label: building.label, type: "building", parent: CAMPUS.name },
    });
    await tag(`location.${buildingPath}`, "building", building.name);
    await variable(`location.${buildingPath}`, "support-team", {
      team: `av-${building.name}`,
      email: `av-${building.name}@example.com`,
      phone: "+1-555-0100",
    });
    // The building's core switch sits in the building itself, on the management VLAN.
    await createComponent({
      ...w,
      input: {
        name: "core-switch",
        label: `${building.label} core switch`,
        location: buildingPath,
        template: TEMPLATE["network-switch"],
        vendor: "Cisco",
        model: "Catalyst 9500-24Y4C",
        serial: `FDO${serial++}C0RE`,
        mac: mac(building.octet, 0, 1),
        address: `10.20.${building.octet}.1`,
      },
    });

    for (const [floorIndex, floor] of building.floors.entries()) {
      const floorPath = `${buildingPath}.${floor.name}`;
      const subnet = building.octet + floorIndex + 1;
      await createLocation({
        ...w,
        input: { name: floor.name, label: floor.label, type: "floor", parent: buildingPath },
      });
      if (building.name === "north" && floor.name === "floor-3")
        await variable(`location.${floorPath}`, "snmp-community", "exec-floor-ro");
      const switchPath = `${floorPath}.access-switch`;
      await createComponent({
        ...w,
        input: {
          name: "access-switch",
          label: `${building.label}, ${floor.label.toLowerCase()} access switch`,
          location: floorPath,
          template: TEMPLATE["network-switch"],
          vendor: building.name === "north" ? "Cisco" : "Aruba",
          model: building.name === "north" ? "Catalyst 9300-48P" : "CX 6300M",
          serial: `SW${serial++}`,
          mac: mac(subnet, 0, 2),
          address: `10.20.${subnet}.2`,
        },
      });

      let host = 10;
      for (const room of floor.rooms) {
        const roomPath = `${floorPath}.${room.name}`;
        const spec = ROOMS[room.kind];
        await createLocation({
          ...w,
          input: { name: room.name, label: room.label, type: "room", parent: floorPath },
        });
        const systemPath = `${roomPath}.av`;
        await createSystem({
          ...w,
          input: {
            name: "av",
            label: `${room.label} AV`,
            type: spec.systemType,
            location: roomPath,
          },
        });
        for (const role of spec.roles)
          await createRole({
            ...w,
            input: { ref: systemPath, ...role, accepts: [...role.accepts] },
          });
        for (const device of spec.devices) {
          await createComponent({
            ...w,
            input: {
              name: device.name,
              label: `${room.label} ${device.label.toLowerCase()}`,
              location: roomPath,
              template: TEMPLATE[device.kind],
              system: systemPath,
              role: device.role,
              vendor: device.vendor,
              model: device.model,
              serial: `${device.vendor.slice(0, 3).toUpperCase()}${serial++}`,
              mac: mac(subnet, host >> 8, host),
              address: `10.20.${subnet}.${host++}`,
            },
          });
        }
        // The floor switch serves every room on the floor: a member, not its primary system.
        await addMember({
          ...w,
          input: { ref: systemPath, component: switchPath, primary: false, role: "network" },
        });
        if (room.kind === "auditorium" || room.name === "boardroom-301")
          await tag(`system.${systemPath}`, "criticality", "high");
        if (room.kind === "classroom") await tag(`system.${systemPath}`, "timetabled", "yes");
      }
    }
  }
  // Declarations the assessment holds against what the devices report (docs/guides/assessment.md):
  // a tag on a component named for a signal is the value it should report.
  for (const d of DEMO_DECLARATIONS) await tag(`component.${d.component}`, d.signal, d.value);
}

/**
 * Declared values the demo's devices contradict, so a new user finds contradictions in the
 * assessment of riverside: a boardroom display declared on an input the simulated panel never
 * selects (it offers hdmi-1 to usb-c and starts on hdmi-1 or hdmi-2), and a projector declared
 * on a firmware PJLink does not report (the template reads no firmware-version).
 */
export const DEMO_DECLARATIONS = [
  {
    component: "riverside.north.floor-1.boardroom-110.display-left",
    signal: "input-source",
    value: "hdmi-3",
  },
  {
    component: "riverside.south.floor-1.classroom-101.projector",
    signal: "firmware-version",
    value: "1.04",
  },
] as const;
