import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import type { CreateComponentInput } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { unsafeSeedLargeEstate } from "../demo/large-estate";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { loadActor } from "../identity/load-actor";
import { createNode } from "../nodes/create-node";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { createComponent } from "./create-component";
import { createComponentsBulk, type BulkComponentInput } from "./create-components-bulk";

/**
 * The bulk component writer against the single one: the same rows, the same audit entries, the
 * same change-log rows (ids, paths and timestamps apart), the same authorization, and a number of
 * statements that does not grow with the number of components.
 */
describe("createComponentsBulk", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let owner: Actor;
  let rooms: string[];
  let iface: string;
  const statements: string[] = [];
  const meta = {
    requestId: "bulk",
    source: "cli" as const,
    actor: null,
    realActor: null,
    ip: null,
  };
  const rows = async <T>(query: SQL) => (await handle.db.execute(query)).rows as T[];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2, onQuery: (q) => statements.push(q) });
    const boot = await unsafeBootstrapOwner({ db: handle.db, meta, username: "admin" });
    owner = (await loadActor(handle.db, boot.principalId))!;
    await unsafeSeedLargeEstate({ db: handle.db, components: 60, campus: "bulk", buildings: 2 });
    rooms = (
      await rows<{ path: string }>(sql`select path from location where depth = 3 order by path`)
    ).map((r) => r.path);
    await createNode({
      db: handle.db,
      actor: owner,
      meta,
      input: { name: "edge-bulk", location: "bulk", expiresInHours: 24 },
    });
    const [doc] = await rows<{ document: { interfaces: { name: string }[] } }>(
      sql`select document from template where name = 'http-json-display' order by version desc limit 1`,
    );
    iface = doc!.document.interfaces[0]!.name;
  }, 300_000);
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  /** A room's worth of varied inputs: defaults, overrides, a node, an interface binding. */
  const inputs = (room: string, count = 6): BulkComponentInput[] =>
    Array.from({ length: count }, (_, i) => {
      const base = { name: `bulk-${i}`, location: room };
      switch (i % 4) {
        case 0:
          return { ...base, template: "http-json-display", label: `Display ${i}` };
        case 1:
          return {
            ...base,
            template: "http-json-display@1",
            vendor: "Acme",
            model: "M1",
            serial: `S${i}`,
            address: `10.9.0.${i}`,
          };
        case 2:
          return {
            ...base,
            template: "http-json-display",
            node: "edge-bulk",
            interfaces: [{ name: iface, host: "10.9.9.9", port: 8080 }],
          };
        default:
          return {
            ...base,
            template: "video-codec",
            interfaces: [],
            node: "edge-bulk",
            label: "Codec",
          };
      }
    });

  /** What a room's new components wrote, with ids, paths and times normalized away. */
  async function written(room: string) {
    const ids = await rows<{ id: string }>(
      sql`select c.id from component c join location l on l.id = c.location_id where l.path = ${room} and c.name like 'bulk-%' order by c.name`,
    );
    const list = sql.raw(`array[${ids.map((r) => `'${r.id}'`).join(",") || "null"}]::uuid[]`);
    const normalize = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replaceAll(room, "ROOM")
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "ID")
          .replace(/"\d{4}-\d\d-\d\dT[^"]+"/g, '"TIME"'),
      ) as unknown;
    return normalize({
      components: await rows(sql`
        select name, label, template_id, vendor, model, serial, mac, address, version
        from component where id = any(${list}) order by name`),
      interfaces: await rows(sql`
        select c.name as component, i.name, i.protocol, i.node_id, i.host, i.port, i.parameters
        from component_interface i join component c on c.id = i.component_id
        where c.id = any(${list}) order by c.name, i.name`),
      audit: await rows(sql`
        select verb, resource, before, after, scope_kind, scope_path, source, request_id
        from audit_log where resource = 'component' and resource_id = any(${list}::text[])
        order by after->>'name'`),
      changes: await rows(sql`
        select table_name, op, count(*)::int as n from estate_change
        where object_id = any(${list}) or object_id in (
          select i.id from component_interface i where i.component_id = any(${list}))
        group by table_name, op order by table_name, op`),
    });
  }

  it("writes the same rows, audit entries and change-log rows as one createComponent each", async () => {
    const [single, bulk] = [rooms[0]!, rooms[1]!];
    for (const input of inputs(single))
      await createComponent({
        db: handle.db,
        actor: owner,
        meta,
        input: input as CreateComponentInput,
      });
    const details = await handle.db.transaction((tx) =>
      createComponentsBulk(tx, { actor: owner, meta }, inputs(bulk)),
    );
    expect(details.map((d) => d.name)).toEqual(inputs(bulk).map((i) => i.name));
    const one = await written(single);
    const many = await written(bulk);
    expect((one as { components: unknown[] }).components).toHaveLength(6);
    expect((one as { audit: unknown[] }).audit).toHaveLength(6);
    expect((one as { interfaces: unknown[] }).interfaces.length).toBeGreaterThan(0);
    expect(many).toEqual(one);
  });

  it("sends the same number of statements for 5 components as for 60", async () => {
    const count = async (room: string, n: number) => {
      statements.length = 0;
      await handle.db.transaction((tx) =>
        createComponentsBulk(tx, { actor: owner, meta }, inputs(room, n)),
      );
      return statements.length;
    };
    const few = await count(rooms[2]!, 5);
    const many = await count(rooms[3]!, 60);
    expect(many).toBe(few);
    // Resolve (locations, 2 templates, the node), 2 inserts, health, 5 read-backs, 1 audit, …
    expect(few).toBeLessThanOrEqual(30);
  });

  it("authorizes every component before writing any: one outside the actor's scope, nothing written", async () => {
    const [inside, outside] = [rooms[4]!, rooms[rooms.length - 1]!];
    expect(inside.split(".")[1]).not.toBe(outside.split(".")[1]);
    const scoped = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "scoped",
          kind: "human",
          grants: [
            { role: "viewer" },
            { role: "admin", location: inside.split(".").slice(0, 2).join(".") },
          ],
        })
      ).id,
    ))!;
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from component`);
    await expect(
      handle.db.transaction((tx) =>
        createComponentsBulk(tx, { actor: scoped, meta }, [
          ...inputs(inside, 3),
          ...inputs(outside, 1),
        ]),
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await rows(sql`select count(*)::int as n from component`)).toEqual(before);
    // Inside its scope, the same actor creates them.
    const made = await handle.db.transaction((tx) =>
      createComponentsBulk(tx, { actor: scoped, meta }, inputs(inside, 3)),
    );
    expect(made).toHaveLength(3);
  });

  it("refuses a name taken in its location, as createComponent does, and writes nothing", async () => {
    const room = rooms[5]!;
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from component`);
    const taken = { name: "codec", location: room, template: "video-codec" };
    const single = await createComponent({ db: handle.db, actor: owner, meta, input: taken }).catch(
      (error: unknown) => error,
    );
    const bulk = await handle.db
      .transaction((tx) =>
        createComponentsBulk(tx, { actor: owner, meta }, [...inputs(room, 2), taken]),
      )
      .catch((error: unknown) => error);
    expect(bulk).toMatchObject({ code: (single as { code: string }).code });
    expect((bulk as Error).message).toBe((single as Error).message);
    expect(await rows(sql`select count(*)::int as n from component`)).toEqual(before);
  });
});
