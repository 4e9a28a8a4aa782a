import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, like, sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { auditLog, component, componentInterface, location, system, systemMember } from "../schema";
import { createTestDatabase, type TestDatabase } from "../testing";
import { DEMO_DECLARATIONS, unsafeSeedDemoEstate } from "./demo-estate";
import { unsafeSeedLargeEstate } from "./large-estate";
import {
  DEMO_MISLABELLED,
  DEMO_NODE,
  unsafeDemoEnrollmentToken,
  unsafeWireDemoTelemetry,
} from "./demo-telemetry";
import { newSecretKeyBase64, parseSecretKey } from "../secrets/envelope";

describe("demo and benchmark estates", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    await unsafeBootstrapOwner({
      db: handle.db,
      meta: { requestId: "demo", source: "cli", actor: null, realActor: null, ip: null },
      username: "admin",
    });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("writes the demo estate once, audited as the owner, and leaves a non-empty database alone", async () => {
    const { db } = handle;
    const first = await unsafeSeedDemoEstate(db);
    expect(first.seeded).toBe(true);
    expect(first.components).toBeGreaterThanOrEqual(100);
    expect(first.systems).toBeGreaterThanOrEqual(20);
    const [audited] = await db
      .select({ n: count() })
      .from(auditLog)
      .where(eq(auditLog.resource, "component"));
    expect(audited!.n).toBe(first.components);
    // Every room system has roles and members filling them; switches serve every room of their floor.
    const unfilled = await db.execute(sql`
      select r.name from system_role r
      where r.quorum > 0 and (select count(*) from system_member m where m.role_id = r.id) < r.quorum`);
    expect(unfilled.rows).toEqual([]);
    const second = await unsafeSeedDemoEstate(db);
    expect(second).toMatchObject({ seeded: false });
    const [components] = await db.select({ n: count() }).from(component);
    expect(components!.n).toBe(first.components);
  }, 60_000);

  it("wires the demo's gear to one node once: one loopback port each, credentials as secrets", async () => {
    const { db } = handle;
    const secretKey = parseSecretKey(newSecretKeyBase64());
    const first = await unsafeWireDemoTelemetry(db, { owner: "admin", basePort: 17100, secretKey });
    expect(first?.wired).toBe(true);
    const fleet = first!.fleet;
    const kinds = new Set(fleet.map((d) => d.kind));
    expect([...kinds].sort()).toEqual([
      "control-processor",
      "http-display",
      "pjlink-projector",
      "qsys-dsp",
      "snmp-room-pc",
      "snmp-switch",
      "video-codec",
    ]);
    // Every component of the demo estate is simulated, each on a port of its own.
    const [components] = await db.select({ n: count() }).from(component);
    expect(fleet).toHaveLength(components!.n);
    expect(new Set(fleet.map((d) => d.port)).size).toBe(fleet.length);
    expect(fleet.every((d) => d.host === "127.0.0.1" && d.port >= 17100)).toBe(true);
    const display = fleet.find((d) => d.kind === "http-display")!;
    expect(display.username).toBe("monitor");
    expect(display.password?.length).toBeGreaterThan(10);
    // Every display reports its inventory's nameplate but the one the demo mislabels on purpose
    // (the assessment's contradictions, docs/guides/assessment.md).
    const inventory = new Map((await db.select().from(component)).map((c) => [c.path, c] as const));
    for (const d of fleet.filter((f) => f.kind === "http-display")) {
      const c = inventory.get(d.id)!;
      if (d.id === DEMO_MISLABELLED) expect(d.nameplate).toBeUndefined();
      else
        expect(d.nameplate, d.id).toEqual({
          manufacturer: c.vendor,
          model: c.model,
          serial: c.serial,
        });
    }
    expect(inventory.get(DEMO_MISLABELLED)).toMatchObject({ vendor: "Samsung", model: "QM85R" });
    const declared = await db.execute(sql`
      select c.path, b.key, b.value from estate_binding b join component c on c.id = b.component_id
      where b.kind = 'tag' order by c.path, b.key`);
    expect(declared.rows).toEqual(
      DEMO_DECLARATIONS.map((d) => ({ path: d.component, key: d.signal, value: d.value })),
    );
    // The SNMP gear answers the community the variable cascade gives it (the executive floor's own).
    const community = (path: string) => fleet.find((d) => d.id === path)?.community;
    expect(community("riverside.north.floor-3.access-switch")).toBe("exec-floor-ro");
    expect(community("riverside.north.floor-1.access-switch")).toBe("omniglass-ro");
    expect(community("riverside.north.core-switch")).toBe("omniglass-ro");
    expect(community("riverside.north.floor-3.boardroom-301.room-pc")).toBe("exec-floor-ro");
    // Every device interface and every ping interface names the node; ping is checked on the
    // device's own port (a TCP connect: loopback answers every echo).
    const bound = await db
      .select({
        path: component.path,
        name: componentInterface.name,
        protocol: componentInterface.protocol,
        port: componentInterface.port,
      })
      .from(componentInterface)
      .innerJoin(component, eq(component.id, componentInterface.componentId))
      .where(sql`${componentInterface.nodeId} is not null`);
    expect(bound).toHaveLength(fleet.length * 2);
    const pings = bound.filter((i) => i.protocol === "icmp");
    expect(pings).toHaveLength(fleet.length);
    for (const ping of pings)
      expect(ping.port, ping.path).toBe(fleet.find((d) => d.id === ping.path)!.port);
    // The passwords are stored sealed, never as plain values.
    const secrets = await db.execute(
      sql`select key, value, ciphertext from estate_binding where secret order by key`,
    );
    expect(secrets.rows.map((r) => r.key)).toEqual([
      "codec-token",
      "http-password",
      "pjlink-password",
      "qrc-password",
    ]);
    expect(
      secrets.rows.every((r) => r.value === null && String(r.ciphertext).startsWith("og1.")),
    ).toBe(true);
    expect(JSON.stringify(secrets.rows)).not.toContain(display.password);

    const again = await unsafeWireDemoTelemetry(db, { owner: "admin", basePort: 17100, secretKey });
    expect(again?.wired).toBe(false);
    expect(again?.fleet).toEqual(fleet);

    // An install wired before the SNMP gear and the ping bindings existed gains them on its next
    // start, on new ports after the ones it had; what was bound keeps its port.
    await db.execute(sql`
      update component_interface set node_id = null, host = null, port = null
      where protocol = 'icmp' or component_id in (
        select c.id from component c join template t on t.id = c.template_id
        where t.name in ('snmp-network-switch', 'uc-room-pc'))`);
    const upgraded = await unsafeWireDemoTelemetry(db, {
      owner: "admin",
      basePort: 17100,
      secretKey,
    });
    expect(upgraded?.wired).toBe(true);
    const kept = fleet.filter((d) => !d.kind.startsWith("snmp-"));
    const highest = Math.max(...kept.map((d) => d.port));
    for (const device of upgraded!.fleet) {
      if (device.kind.startsWith("snmp-")) expect(device.port).toBeGreaterThan(highest);
      else expect(device).toEqual(kept.find((d) => d.id === device.id));
    }
    expect(upgraded!.fleet).toHaveLength(fleet.length);
    const [pingsBound] = await db
      .select({ n: count() })
      .from(componentInterface)
      .where(
        sql`${componentInterface.protocol} = 'icmp' and ${componentInterface.nodeId} is not null`,
      );
    expect(pingsBound!.n).toBe(fleet.length);
    const token = await unsafeDemoEnrollmentToken(db, { owner: "admin" });
    expect(token).toMatch(/^og_/);
    expect(DEMO_NODE).toBe("riverside-node");
  }, 120_000);

  it("seeds a large estate with gateway-shaped rows, and refuses the same size twice", async () => {
    const { db } = handle;
    const result = await unsafeSeedLargeEstate({ db, components: 1_000, buildings: 2 });
    expect(result).toMatchObject({ campus: "bench-1000", components: 1_000, buildings: 2 });
    const [bad] = await db
      .select({ n: count() })
      .from(component)
      .innerJoin(location, eq(location.id, component.locationId))
      .where(
        sql`${component.path} like 'bench-1000.%' and ${component.path} <> ${location.path} || '.' || ${component.name}`,
      );
    expect(bad!.n).toBe(0);
    const [badSystems] = await db
      .select({ n: count() })
      .from(system)
      .innerJoin(location, eq(location.id, system.locationId))
      .where(
        sql`${system.path} like 'bench-1000.%' and ${system.path} <> ${location.path} || '.' || ${system.name}`,
      );
    expect(badSystems!.n).toBe(0);
    const [interfaces] = await db
      .select({ n: count() })
      .from(componentInterface)
      .innerJoin(component, eq(component.id, componentInterface.componentId))
      .where(like(component.path, "bench-1000.%"));
    expect(interfaces!.n).toBe(result.interfaces);
    expect(result.interfaces).toBeGreaterThanOrEqual(2_000);
    const [members] = await db
      .select({ n: count() })
      .from(systemMember)
      .innerJoin(component, eq(component.id, systemMember.componentId))
      .where(
        sql`${component.path} like 'bench-1000.%' and ${systemMember.isPrimary} and ${systemMember.roleId} is not null`,
      );
    expect(members!.n).toBe(1_000);
    await expect(unsafeSeedLargeEstate({ db, components: 1_000 })).rejects.toThrow(
      /exists already/,
    );
  }, 60_000);
});
