/**
 * The shared security suite. It walks every procedure of the router, so a new procedure is covered
 * (or this file fails until it is given a fixture): no credentials → 401; a principal lacking the
 * capability → 403; a principal whose grant is elsewhere → 404 exactly like a missing id, with the
 * database unchanged; success → exactly one audit row per mutation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Problem } from "@omniglass/contracts";
import {
  connectDatabase,
  createLocation,
  findAuditLog,
  loadActor,
  unsafeBootstrapOwner,
  type DatabaseHandle,
} from "@omniglass/gateway";
import {
  createTestDatabase,
  createTestPrincipal,
  type TestDatabase,
} from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { createApiDependencies, createContext, type ApiDependencies } from "./context";
import { handleRestRequest } from "./rest";
import { listProcedures } from "./root";

/** Open to anyone who passes the network check: liveness, and the way to get a session. */
const PUBLIC = new Set(["platform.getHealth", "auth.signIn"]);
/** Held by every authenticated principal (reading or signing out oneself). */
const SELF = new Set([
  "auth.me",
  "auth.signOut",
  "auth.listSessions",
  "auth.revokeSession",
  "auth.createOwnToken",
  "auth.revokeOwnToken",
]);

interface Fixture {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** REST path under /api/v1, with `{ref}` for the location under test. */
  path: string;
  body?: () => unknown;
  /** The procedure addresses one placed thing: test the out-of-scope 404 with it. */
  scoped?: boolean;
  /** What `{ref}` names (default: the location campus.hq.floor-1); `prepare` may override it. */
  ref?: string;
  /** Audit rows a successful call writes (default: one for a write, none for a read). */
  audits?: number;
  /** Makes what a successful call consumes (a principal to disable, a token to revoke): `{name}` placeholders. */
  prepare?: () => Promise<Record<string, string>>;
}

const ROOT_PASSWORD = "root password for the suite";

/**
 * What fixtures' `prepare` steps use, set in beforeAll: a REST call as the owner, and a service
 * principal the principal fixtures act on.
 */
const world: {
  asOwner: (method: string, path: string, body?: unknown) => Promise<Response>;
  target: string;
} = {
  asOwner: () => Promise.reject(new Error("the suite's beforeAll has not run")),
  target: "",
};

const api = (method: string, path: string, body?: unknown) => world.asOwner(method, path, body);

async function freshPrincipal(): Promise<string> {
  const response = await api("POST", "/principals", {
    kind: "service",
    name: `svc-${randomUUID().slice(0, 8)}`,
  });
  return ((await response.json()) as { id: string }).id;
}

const FIXTURES: Record<string, Fixture> = {
  "auth.me": { method: "GET", path: "/auth/me" },
  "auth.listSessions": { method: "GET", path: "/auth/sessions" },
  "auth.revokeSession": {
    method: "DELETE",
    path: "/auth/sessions/{id}",
    prepare: async () => {
      await api("POST", "/auth/login", { username: "root", password: ROOT_PASSWORD });
      const sessions = (await (await api("GET", "/auth/sessions")).json()) as {
        items: { id: string }[];
      };
      return { id: sessions.items[0]!.id };
    },
  },
  "auth.createOwnToken": { method: "POST", path: "/auth/tokens", body: () => ({ name: "mine" }) },
  "auth.revokeOwnToken": {
    method: "DELETE",
    path: "/auth/tokens/{tokenId}",
    prepare: async () => {
      const response = await api("POST", "/auth/tokens", { name: "to-revoke" });
      return { tokenId: ((await response.json()) as { id: string }).id };
    },
  },
  // With a bearer token there is no session to end: an idempotent no-op, so no audit row.
  "auth.signOut": { method: "POST", path: "/auth/logout", audits: 0 },
  "location.list": { method: "GET", path: "/locations" },
  "location.get": { method: "GET", path: "/locations/{ref}", scoped: true },
  "location.create": {
    method: "POST",
    path: "/locations",
    body: () => ({ name: `room-${randomUUID().slice(0, 8)}`, type: "room", parent: "{ref}" }),
    scoped: true,
  },
  "location.update": {
    method: "PATCH",
    path: "/locations/{ref}",
    body: () => ({ label: `Label ${randomUUID().slice(0, 6)}` }),
    scoped: true,
  },
  "location.delete": { method: "DELETE", path: "/locations/{ref}", scoped: true },
  "location.rename": {
    method: "POST",
    path: "/locations/{ref}/rename",
    body: () => ({ name: `renamed-${randomUUID().slice(0, 6)}` }),
    scoped: true,
  },
  "locationType.list": { method: "GET", path: "/location-types" },
  "system.list": { method: "GET", path: "/systems" },
  "system.listTypes": { method: "GET", path: "/system-types" },
  // System fixtures address a system placed in campus.hq.floor-1 (made in beforeAll), so the
  // out-of-scope 404 and the success path are those of a real system.
  "system.get": {
    method: "GET",
    path: "/systems/{ref}",
    scoped: true,
    ref: "campus.hq.floor-1.av",
  },
  "system.create": {
    method: "POST",
    path: "/systems",
    body: () => ({
      name: `room-av-${randomUUID().slice(0, 6)}`,
      type: "meeting-room",
      location: "{ref}",
    }),
    scoped: true,
  },
  "system.update": {
    method: "PATCH",
    path: "/systems/{ref}",
    body: () => ({ label: `AV ${randomUUID().slice(0, 6)}` }),
    scoped: true,
    ref: "campus.hq.floor-1.av",
  },
  "system.delete": {
    method: "DELETE",
    path: "/systems/{ref}",
    scoped: true,
    ref: "campus.hq.floor-1.av",
    prepare: async () => {
      const response = await api("POST", "/systems", {
        name: `doomed-${randomUUID().slice(0, 6)}`,
        type: "meeting-room",
        location: "campus.hq.floor-1",
      });
      return { ref: ((await response.json()) as { path: string }).path };
    },
  },
  "locationType.create": {
    method: "POST",
    path: "/location-types",
    body: () => ({ name: `kind-${randomUUID().slice(0, 8)}`, label: "Kind" }),
  },
  "role.list": { method: "GET", path: "/roles" },
  "platform.getStatus": { method: "GET", path: "/platform/status" },
  "worker.list": { method: "GET", path: "/workers" },
  "audit.list": { method: "GET", path: "/audit-log" },
  "principal.list": { method: "GET", path: "/principals" },
  "principal.get": {
    method: "GET",
    path: "/principals/{id}",
    prepare: async () => ({ id: world.target }),
  },
  "principal.create": {
    method: "POST",
    path: "/principals",
    body: () => ({ kind: "service", name: `svc-${randomUUID().slice(0, 8)}` }),
  },
  "principal.update": {
    method: "PATCH",
    path: "/principals/{id}",
    body: () => ({ label: `Label ${randomUUID().slice(0, 6)}` }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.disable": {
    method: "POST",
    path: "/principals/{id}/disable",
    prepare: async () => ({ id: await freshPrincipal() }),
  },
  "principal.enable": {
    method: "POST",
    path: "/principals/{id}/enable",
    prepare: async () => {
      const id = await freshPrincipal();
      await api("POST", `/principals/${id}/disable`);
      return { id };
    },
  },
  "principal.createToken": {
    method: "POST",
    path: "/principals/{id}/tokens",
    body: () => ({ name: "ci" }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.revokeToken": {
    method: "DELETE",
    path: "/principals/{id}/tokens/{tokenId}",
    prepare: async () => {
      const response = await api("POST", `/principals/${world.target}/tokens`, {
        name: "to-revoke",
      });
      return { id: world.target, tokenId: ((await response.json()) as { id: string }).id };
    },
  },
  "principal.createGrant": {
    method: "POST",
    path: "/principals/{id}/grants",
    body: () => ({ role: "viewer", scope: { kind: "location", location: "campus.hq" } }),
    prepare: async () => ({ id: world.target }),
  },
  "principal.deleteGrant": {
    method: "DELETE",
    path: "/principals/{id}/grants/{grantId}",
    prepare: async () => {
      const response = await api("POST", `/principals/${world.target}/grants`, {
        role: "viewer",
        scope: { kind: "all" },
      });
      return { id: world.target, grantId: ((await response.json()) as { id: string }).id };
    },
  },
};

describe("security suite", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let deps: ApiDependencies;
  const tokens: Record<"owner" | "nobody" | "viewer" | "operatorHq" | "adminAnnex", string> =
    {} as never;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    deps = createApiDependencies({
      version: "test",
      db: handle.db,
      probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
    });
    const meta = {
      requestId: "setup",
      source: "cli" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    const owner = await unsafeBootstrapOwner({
      db: handle.db,
      meta,
      username: "root",
      password: ROOT_PASSWORD,
    });
    tokens.owner = owner.token;
    const actor = (await loadActor(handle.db, owner.principalId))!;
    for (const [name, type, parent] of [
      ["campus", "campus", undefined],
      ["hq", "building", "campus"],
      ["annex", "building", "campus"],
      ["floor-1", "floor", "campus.hq"],
    ] as const) {
      await createLocation({ db: handle.db, actor, meta, input: { name, type, parent } });
    }
    world.asOwner = (method: string, path: string, body?: unknown) =>
      call(
        {
          method: method as Fixture["method"],
          path,
          body: body === undefined ? undefined : () => body,
        },
        owner.token,
        "",
      );
    world.target = await freshPrincipal();
    await api("POST", "/systems", {
      name: "av",
      type: "meeting-room",
      location: "campus.hq.floor-1",
    });
    tokens.nobody = (await createTestPrincipal(database.url, { name: "nobody", grants: [] })).token;
    tokens.viewer = (
      await createTestPrincipal(database.url, { name: "viewer", grants: [{ role: "viewer" }] })
    ).token;
    tokens.operatorHq = (
      await createTestPrincipal(database.url, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    tokens.adminAnnex = (
      await createTestPrincipal(database.url, {
        name: "admin-annex",
        grants: [{ role: "admin", location: "campus.annex" }],
      })
    ).token;
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  async function call(
    fixture: Fixture,
    token: string | null,
    ref: string,
    values: Record<string, string> = {},
  ) {
    const placeholders: Record<string, string> = {
      id: randomUUID(),
      tokenId: randomUUID(),
      grantId: randomUUID(),
      ref,
      ...values,
    };
    const path = fixture.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(placeholders[name] ?? ""),
    );
    const body = fixture.body
      ? JSON.stringify(fixture.body(), (_k, v: unknown) => (v === "{ref}" ? ref : v))
      : undefined;
    const headers = new Headers({
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
    const request = new Request(`http://127.0.0.1/api/v1${path}`, {
      method: fixture.method,
      headers,
      body,
    });
    return handleRestRequest(
      request,
      createContext({ deps, requestId: randomUUID(), source: "rest", ip: "127.0.0.1", headers }),
    );
  }

  async function auditCount() {
    const meta = {
      requestId: "count",
      source: "rest" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    let count = 0;
    let page_token: string | undefined;
    do {
      const page = await findAuditLog({
        db: handle.db,
        meta,
        input: { page_size: 500, page_token },
      });
      count += page.items.length;
      page_token = page.nextPageToken ?? undefined;
    } while (page_token);
    return count;
  }

  async function snapshot() {
    return JSON.stringify(
      await handle.db.query.location.findMany({ orderBy: (l, { asc }) => asc(l.path) }),
    );
  }

  it("every procedure is public by decision or declares exactly one capability", () => {
    for (const { path, meta } of listProcedures()) {
      if (PUBLIC.has(path)) {
        expect(meta.capability, path).toBeUndefined();
        continue;
      }
      expect(meta.capability, `${path} declares no capability`).toMatch(
        /^[a-z][a-z-]*:[a-z][a-z-]*$/,
      );
    }
  });

  it("every guarded procedure has a fixture here", () => {
    const guarded = listProcedures()
      .filter((p) => !PUBLIC.has(p.path))
      .map((p) => p.path)
      .sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(guarded);
  });

  for (const [path, fixture] of Object.entries(FIXTURES)) {
    describe(path, () => {
      it("answers 401 without credentials, and with a token that is not one, changing nothing", async () => {
        const before = [await snapshot(), await auditCount()];
        for (const token of [null, "og_not-a-real-token", "garbage"]) {
          const response = await call(fixture, token, fixture.ref ?? "campus.hq.floor-1");
          expect(response.status, String(token)).toBe(401);
          expect(Problem.parse(await response.json()).code).toBe("UNAUTHENTICATED");
        }
        expect([await snapshot(), await auditCount()]).toEqual(before);
      });

      if (!SELF.has(path)) {
        it("answers 403 to a principal without the capability, changing nothing", async () => {
          const before = [await snapshot(), await auditCount()];
          const response = await call(fixture, tokens.nobody, fixture.ref ?? "campus.hq.floor-1");
          expect(response.status).toBe(403);
          expect(Problem.parse(await response.json()).code).toBe("FORBIDDEN");
          expect([await snapshot(), await auditCount()]).toEqual(before);
        });
      }

      if (fixture.scoped) {
        it("answers 404 to a principal scoped elsewhere, exactly as for a missing id, changing nothing", async () => {
          const before = [await snapshot(), await auditCount()];
          const outside = await call(
            fixture,
            tokens.adminAnnex,
            fixture.ref ?? "campus.hq.floor-1",
          );
          const missing = await call(fixture, tokens.adminAnnex, randomUUID());
          expect(outside.status).toBe(404);
          const [a, b] = [Problem.parse(await outside.json()), Problem.parse(await missing.json())];
          expect({ status: a.status, code: a.code, title: a.title, detail: a.detail }).toEqual({
            status: b.status,
            code: b.code,
            title: b.title,
            detail: b.detail,
          });
          expect([await snapshot(), await auditCount()]).toEqual(before);
        });
      }

      it("succeeds for the owner, writing exactly one audit row per mutation", async () => {
        // Deleting or renaming consumes the location: those get a fresh one.
        const consumes =
          fixture.path.startsWith("/locations/") &&
          (fixture.method === "DELETE" || fixture.path.endsWith("/rename"));
        const ref = consumes ? await freshLocation() : (fixture.ref ?? "campus.hq.floor-1");
        const values = (await fixture.prepare?.()) ?? {};
        const before = await auditCount();
        const response = await call(fixture, tokens.owner, ref, values);
        expect(response.status, await response.clone().text()).toBe(200);
        expect(await auditCount()).toBe(
          before + (fixture.audits ?? (fixture.method === "GET" ? 0 : 1)),
        );
      });
    });
  }

  async function freshLocation() {
    const response = await call(FIXTURES["location.create"]!, tokens.owner, "campus.hq");
    return ((await response.json()) as { path: string }).path;
  }

  describe("narrow principals", () => {
    it("lets a viewer read but not write", async () => {
      expect((await call(FIXTURES["location.get"]!, tokens.viewer, "campus.annex")).status).toBe(
        200,
      );
      const write = await call(FIXTURES["location.update"]!, tokens.viewer, "campus.annex");
      expect(write.status).toBe(403);
    });

    it("scopes an operator to its building: reads inside, 404 outside, 403 for writes it may read", async () => {
      const list = (await (
        await call(FIXTURES["location.list"]!, tokens.operatorHq, "")
      ).json()) as { items: { path: string }[] };
      const paths = list.items.map((l) => l.path);
      expect(paths.slice(0, 2)).toEqual(["campus.hq", "campus.hq.floor-1"]);
      expect(paths.every((p) => p === "campus.hq" || p.startsWith("campus.hq."))).toBe(true);
      expect(
        (await call(FIXTURES["location.get"]!, tokens.operatorHq, "campus.hq.floor-1")).status,
      ).toBe(200);
      expect(
        (await call(FIXTURES["location.get"]!, tokens.operatorHq, "campus.annex")).status,
      ).toBe(404);
      expect(
        (await call(FIXTURES["location.update"]!, tokens.operatorHq, "campus.hq")).status,
      ).toBe(403);
    });

    it("lets an admin scoped to one building create inside it and nowhere else", async () => {
      const inside = await call(FIXTURES["location.create"]!, tokens.adminAnnex, "campus.annex");
      expect(inside.status).toBe(200);
      const outside = await call(FIXTURES["location.create"]!, tokens.adminAnnex, "campus.hq");
      expect(outside.status).toBe(404);
    });
  });
});
