import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, like, sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { unsafeBootstrapOwner } from "../identity/bootstrap-owner";
import { auditLog, component, componentInterface, location, system, systemMember } from "../schema";
import { createTestDatabase, type TestDatabase } from "../testing";
import { unsafeSeedDemoEstate } from "./demo-estate";
import { unsafeSeedLargeEstate } from "./large-estate";

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
