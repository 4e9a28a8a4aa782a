import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import type { RequestMeta } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { writeAudit } from "../audit";
import { connectDatabase, type DatabaseHandle } from "../db";
import { auditLog, principal, role, roleGrant } from "../schema";
import { OFFICIAL_ROLES, unsafeSeedRegistries } from "../seed";
import { createTestDatabase, type TestDatabase } from "../testing";
import { unsafeAuthenticateToken } from "./authenticate";
import { unsafeBootstrapOwner } from "./bootstrap-owner";

const meta: RequestMeta = {
  requestId: "req-cli",
  source: "cli",
  actor: null,
  realActor: null,
  ip: null,
};

describe("identity core", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it("seeds the official roles idempotently and repairs an edited official row", async () => {
    const { db } = handle;
    await db
      .update(role)
      .set({ permissions: ["nothing:at-all"] })
      .where(eq(role.name, "viewer"));
    await unsafeSeedRegistries(db);
    await unsafeSeedRegistries(db);
    const rows = await db
      .select({ name: role.name, permissions: role.permissions, official: role.official })
      .from(role);
    expect(rows.map((r) => r.name).sort()).toEqual(OFFICIAL_ROLES.map((r) => r.name).sort());
    expect(rows.find((r) => r.name === "viewer")?.permissions).toEqual(["*:read"]);
  });

  it("bootstraps one owner however often it runs, with a working token each time", async () => {
    const { db } = handle;
    const first = await unsafeBootstrapOwner({
      db,
      meta,
      username: "admin",
      password: "correct horse battery",
    });
    const second = await unsafeBootstrapOwner({ db, meta, username: "admin" });
    expect(first.createdPrincipal).toBe(true);
    expect(second.createdPrincipal).toBe(false);
    expect(second.createdGrant).toBe(false);
    expect(second.principalId).toBe(first.principalId);
    expect(first.token).toMatch(/^og_[A-Za-z0-9_-]{43}$/);
    expect(second.token).not.toBe(first.token);

    const owners = await db
      .select({ n: count() })
      .from(roleGrant)
      .innerJoin(role, eq(role.id, roleGrant.roleId))
      .where(eq(role.name, "owner"));
    expect(owners[0]?.n).toBe(1);
    expect(await db.select({ n: count() }).from(principal)).toEqual([{ n: 1 }]);

    for (const token of [first.token, second.token]) {
      const actor = await unsafeAuthenticateToken({ db, secret: token });
      expect(actor).toMatchObject({ id: first.principalId, name: "admin", kind: "human" });
      expect(actor?.grants).toEqual([
        expect.objectContaining({ roleName: "owner", scope: { kind: "all" } }),
      ]);
    }
    expect(
      await unsafeAuthenticateToken({ db, secret: `${first.token.slice(0, -1)}x` }),
    ).toBeNull();
    expect(await unsafeAuthenticateToken({ db, secret: "not-a-token" })).toBeNull();
  });

  it("audits without secrets: hashes and tokens never reach an image", async () => {
    const rows = await handle.db.select().from(auditLog);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/\$argon2id|og_[A-Za-z0-9_-]{20,}/);
    expect(rows.every((r) => r.requestId === "req-cli" && r.source === "cli")).toBe(true);
  });

  it("rolls the audit row back with a mutation that fails after writing", async () => {
    const { db } = handle;
    const before = (await db.select({ n: count() }).from(auditLog))[0]!.n;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`update principal set label = 'changed' where name = 'admin'`);
        await writeAudit(tx, meta, {
          verb: "update",
          resource: "principal",
          resourceId: "x",
          after: { label: "changed" },
        });
        throw new Error("forced failure after the write");
      }),
    ).rejects.toThrow("forced failure");
    expect((await db.select({ n: count() }).from(auditLog))[0]!.n).toBe(before);
    expect((await db.select({ label: principal.label }).from(principal))[0]?.label).toBeNull();
  });
});
