import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";

/**
 * A large synthetic estate for benchmarks, written with set-based SQL (INSERT … SELECT over
 * generate_series) in one transaction — no per-row round trips, no per-row audit (one audit row
 * describes the whole seed). It writes exactly what the gateway's writers would: paths are
 * `<location path>.<name>`, every component pins the latest version of an official template and
 * gets the interface rows that template declares, and every component is the primary member of
 * its room's system, filling the role for its kind.
 *
 * Shape: campus `bench-<components>` › `building-<b>` › `floor-<f>` › `room-<r>`, one system `av`
 * (a meeting room with roles) per room, six components per room (a boardroom: codec, two displays,
 * DSP, control processor, room PC). A second run with the same size refuses (409): the campus
 * exists.
 */

export interface LargeEstateInput {
  db: Database;
  components: number;
  /** Buildings to spread the rooms over (default: one per 5,000 components, at least one). */
  buildings?: number;
  /** Floors per building (default 10, fewer when there are few rooms). */
  floors?: number;
  /** The campus name (default `bench-<components>`). */
  campus?: string;
  meta?: RequestMeta;
}

export interface LargeEstateResult {
  campus: string;
  buildings: number;
  floors: number;
  rooms: number;
  systems: number;
  components: number;
  interfaces: number;
  members: number;
  milliseconds: number;
}

/** The six slots of a room: component name, template, role filled (the role accepts its kind). */
const SLOTS = [
  { name: "codec", template: "video-codec", role: "video", vendor: "Cisco", model: "Room Kit Pro" },
  {
    name: "display-1",
    template: "http-json-display",
    role: "displays",
    vendor: "Samsung",
    model: "QM85R",
  },
  {
    name: "display-2",
    template: "http-json-display",
    role: "displays",
    vendor: "Samsung",
    model: "QM85R",
  },
  { name: "dsp", template: "qsys-core-dsp", role: "audio", vendor: "QSC", model: "Core 8 Flex" },
  {
    name: "control",
    template: "control-processor",
    role: "control",
    vendor: "Crestron",
    model: "CP4N",
  },
  {
    name: "room-pc",
    template: "uc-room-pc",
    role: "compute",
    vendor: "Lenovo",
    model: "ThinkSmart Core",
  },
] as const;

const ROLES = [
  { name: "video", accepts: "codec", quorum: 1, impact: "outage" },
  { name: "displays", accepts: "display", quorum: 1, impact: "degraded" },
  { name: "audio", accepts: "dsp", quorum: 1, impact: "outage" },
  { name: "control", accepts: "control-processor", quorum: 1, impact: "degraded" },
  { name: "compute", accepts: "room-pc", quorum: 1, impact: "degraded" },
] as const;

const MAX_COMPONENTS = 5_000_000;

export async function unsafeSeedLargeEstate({
  db,
  components,
  buildings,
  floors,
  campus,
  meta,
}: LargeEstateInput): Promise<LargeEstateResult> {
  if (!Number.isInteger(components) || components < 1 || components > MAX_COMPONENTS)
    throw new OmniglassError(
      "INVALID",
      `components must be a whole number from 1 to ${MAX_COMPONENTS}.`,
    );
  const perRoom = SLOTS.length;
  const rooms = Math.ceil(components / perRoom);
  const B = Math.max(1, Math.min(buildings ?? Math.ceil(components / 5_000), rooms));
  const F = Math.max(1, Math.min(floors ?? 10, Math.ceil(rooms / B)));
  const roomsPerFloor = Math.ceil(rooms / (B * F));
  const root = campus ?? `bench-${components}`;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(root) || root.length > 100)
    throw new OmniglassError("INVALID", `${root} is not a valid location name.`);
  const started = performance.now();

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('omniglass-large-estate'))`);
    const taken = await tx.execute(sql`select 1 from location where path = ${root}`);
    if (taken.rows.length > 0)
      throw new OmniglassError(
        "CONFLICT",
        `A campus ${root} exists already: this estate was seeded before. Pick another size, or delete it first.`,
      );
    const uuid = await uuidv7Function(tx);
    const types = await tx.execute<{ name: string; id: string }>(
      sql`select name, id from location_type where name in ('campus', 'building', 'floor', 'room')`,
    );
    const typeId = Object.fromEntries(types.rows.map((r) => [r.name, r.id]));
    for (const kind of ["campus", "building", "floor", "room"])
      if (!typeId[kind]) throw new Error(`location type ${kind} is missing: run migrate first`);

    // Locations: campus, buildings, floors, rooms (each level one statement).
    await tx.execute(sql`
      insert into location (id, parent_id, type_id, name, label, path, depth)
      values (${sql.raw(uuid)}, null, ${typeId.campus}, ${root}, ${`Benchmark campus (${components} components)`}, ${root}, 0)`);
    await tx.execute(sql`
      insert into location (id, parent_id, type_id, name, label, path, depth)
      select ${sql.raw(uuid)}, c.id, ${typeId.building}, 'building-' || b, 'Building ' || b,
             c.path || '.building-' || b, 1
      from location c, generate_series(1, ${B}::int) b
      where c.path = ${root}`);
    await tx.execute(sql`
      insert into location (id, parent_id, type_id, name, label, path, depth)
      select ${sql.raw(uuid)}, bl.id, ${typeId.floor}, 'floor-' || f, 'Floor ' || f,
             bl.path || '.floor-' || f, 2
      from location bl, generate_series(1, ${F}::int) f
      where bl.path like ${`${root}.%`} and bl.depth = 1
      order by bl.path, f`);
    // Room r (0-based) sits on floor r / roomsPerFloor, counted building by building.
    await tx.execute(sql`
      insert into location (id, parent_id, type_id, name, label, path, depth)
      select ${sql.raw(uuid)}, fl.id, ${typeId.room}, 'room-' || (r + 1), 'Room ' || (r + 1),
             fl.path || '.room-' || (r + 1), 3
      from generate_series(0, ${rooms - 1}::int) r
      join location fl on fl.path = ${root} || '.building-' || (r / ${roomsPerFloor * F} + 1)
                                         || '.floor-' || ((r / ${roomsPerFloor}) % ${F} + 1)
      order by r`);

    // One system per room, with its roles.
    await tx.execute(sql`
      insert into system (id, name, label, type_id, location_id, path)
      select ${sql.raw(uuid)}, 'av', rm.label || ' AV', st.id, rm.id, rm.path || '.av'
      from location rm, system_type st
      where st.name = 'meeting-room' and rm.depth = 3 and rm.path like ${`${root}.%`}
      order by rm.path`);
    const roleValues = sql.join(
      ROLES.map((r, i) => sql`(${i}, ${r.name}, ${r.accepts}, ${r.quorum}::int, ${r.impact})`),
      sql`, `,
    );
    await tx.execute(sql`
      insert into system_role (id, system_id, name, accepts, quorum, impact)
      select ${sql.raw(uuid)}, s.id, v.name, array[v.accepts], v.quorum, v.impact
      from system s
      cross join (values ${roleValues}) as v(ord, name, accepts, quorum, impact)
      where s.path like ${`${root}.%`}
      order by s.path, v.ord`);

    const names = [...new Set(SLOTS.map((s) => s.template))];
    const present = await tx.execute<{ name: string }>(
      sql`select distinct name from template where name in (${sql.join(
        names.map((n) => sql`${n}`),
        sql`, `,
      )})`,
    );
    if (present.rows.length !== names.length)
      throw new Error("the official templates are missing: run migrate (it seeds them) first");

    // Components: component i is slot i % 6 of room i / 6; each pins its template's latest version.
    const slotValues = sql.join(
      SLOTS.map(
        (s, i) => sql`(${i}::int, ${s.name}, ${s.template}, ${s.role}, ${s.vendor}, ${s.model})`,
      ),
      sql`, `,
    );
    await tx.execute(sql`
      with slot(ord, name, template, role, vendor, model) as (values ${slotValues}),
      latest as (
        select distinct on (name) id, name from template order by name, version desc
      )
      insert into component (id, name, label, location_id, path, template_id, vendor, model, serial, address)
      select ${sql.raw(uuid)}, slot.name, rm.label || ' ' || slot.name, rm.id, rm.path || '.' || slot.name,
             latest.id, slot.vendor, slot.model, 'BENCH' || lpad(i::text, 8, '0'),
             '10.' || (20 + i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256)
      from generate_series(0, ${components - 1}::int) i
      join slot on slot.ord = i % ${perRoom}
      join latest on latest.name = slot.template
      join location rm on rm.path = ${root} || '.building-' || ((i / ${perRoom}) / ${roomsPerFloor * F} + 1)
                                         || '.floor-' || (((i / ${perRoom}) / ${roomsPerFloor}) % ${F} + 1)
                                         || '.room-' || (i / ${perRoom} + 1)
      order by i`);
    // Interfaces, as createComponent binds them: one row per declared interface, no node, defaults.
    await tx.execute(sql`
      insert into component_interface (id, component_id, name, protocol)
      select ${sql.raw(uuid)}, c.id, i->>'name', i->>'protocol'
      from component c
      join template t on t.id = c.template_id
      cross join lateral jsonb_array_elements(t.document->'interfaces') i
      where c.path like ${`${root}.%`}
      order by c.id`);

    // Every component is the primary member of its room's system, in the role for its slot.
    await tx.execute(sql`
      with slot(ord, name, template, role, vendor, model) as (values ${slotValues})
      insert into system_member (system_id, component_id, is_primary, role_id)
      select s.id, c.id, true, r.id
      from component c
      join slot on slot.name = c.name
      join system s on s.location_id = c.location_id and s.name = 'av'
      join system_role r on r.system_id = s.id and r.name = slot.role
      where c.path like ${`${root}.%`}`);

    // A tag per building, so scoped views have something to filter on.
    await tx.execute(sql`
      insert into estate_binding (id, kind, key, value, level, location_id)
      select ${sql.raw(uuid)}, 'tag', 'building', to_jsonb(bl.name), 'location', bl.id
      from location bl where bl.depth = 1 and bl.path like ${`${root}.%`}`);

    const counted = await tx.execute<Record<string, number>>(sql`
      select
        (select count(*)::int from location where path like ${`${root}.%`} and depth = 3) as rooms,
        (select count(*)::int from system where path like ${`${root}.%`}) as systems,
        (select count(*)::int from component where path like ${`${root}.%`}) as components,
        (select count(*)::int from component_interface ci join component c on c.id = ci.component_id
           where c.path like ${`${root}.%`}) as interfaces,
        (select count(*)::int from system_member m join system s on s.id = m.system_id
           where s.path like ${`${root}.%`}) as members`);
    const n = counted.rows[0]!;
    if (n.components !== components)
      throw new Error(`large estate: wrote ${n.components} components, expected ${components}`);
    const result: LargeEstateResult = {
      campus: root,
      buildings: B,
      floors: B * F,
      rooms: n.rooms!,
      systems: n.systems!,
      components: n.components,
      interfaces: n.interfaces!,
      members: n.members!,
      milliseconds: 0,
    };
    const [campusRow] = (
      await tx.execute<{ id: string }>(sql`select id from location where path = ${root}`)
    ).rows;
    await writeAudit(
      tx,
      meta ?? {
        requestId: randomUUID(),
        source: "cli",
        actor: null,
        realActor: null,
        ip: null,
      },
      { verb: "seed", resource: "location", resourceId: campusRow!.id, after: result },
    );
    return { ...result, milliseconds: Math.round(performance.now() - started) };
  });
}

/**
 * The SQL expression making a uuid v7: PostgreSQL 18's `uuidv7()`, else an equivalent temporary
 * function (the 48-bit millisecond clock over random bits, version and variant set).
 */
async function uuidv7Function(tx: Transaction): Promise<string> {
  const version = await tx.execute<{ v: number }>(
    sql`select current_setting('server_version_num')::int as v`,
  );
  if ((version.rows[0]?.v ?? 0) >= 180000) return "uuidv7()";
  await tx.execute(sql`
    create or replace function pg_temp.og_uuidv7() returns uuid language sql volatile as $$
      select encode(
        set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
          placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
          from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
    $$`);
  return "pg_temp.og_uuidv7()";
}
