import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { connectBus, probeBus, type BusConnection } from "@omniglass/bus";
import {
  HealthReport,
  listOf,
  PlatformStatus,
  Problem,
  Worker,
  type WorkerHeartbeat,
} from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeBootstrapOwner,
  unsafeRecordWorkerHeartbeat,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { createApiDependencies, createContext, type ApiDependencies } from "./context";
import { handleRestRequest } from "./rest";
import { appRouter } from "./root";

const ORIGIN = "http://127.0.0.1";

describe("one procedure, served over tRPC and REST", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let bus: BusConnection;
  let deps: ApiDependencies;
  let authorization: Headers;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    bus = connectBus({ servers: infra.natsUrl, name: "api-test" });
    await bus.ready();
    deps = createApiDependencies({
      version: "9.9.9-test",
      db: handle.db,
      probeBus: () => probeBus(bus),
    });
    const owner = await unsafeBootstrapOwner({
      db: handle.db,
      meta: { requestId: "setup", source: "cli", actor: null, realActor: null, ip: null },
      username: "owner",
    });
    authorization = new Headers({ authorization: `Bearer ${owner.token}` });
    for (let i = 1; i <= 3; i++) {
      const at = new Date(Date.now() - i * 1000).toISOString();
      const heartbeat: WorkerHeartbeat = {
        workerId: `01936f2c-0000-7000-8000-00000000000${i}`,
        hostname: `host-${i}`,
        pid: 100 + i,
        version: "0.1.0",
        startedAt: at,
        beatAt: at,
        intervalMs: 5000,
        lifecycle: "running",
        consumers: [],
        lastError: null,
      };
      await unsafeRecordWorkerHeartbeat({ db: handle.db, heartbeat });
    }
  });
  afterAll(async () => {
    await bus.close();
    await handle.close();
    await database.drop();
  });

  const rest = (path: string, init?: RequestInit) =>
    handleRestRequest(
      new Request(`${ORIGIN}/api/v1${path}`, { ...init, headers: authorization }),
      createContext({
        deps,
        requestId: "req-rest",
        source: "rest",
        ip: "127.0.0.1",
        headers: authorization,
      }),
    );

  const trpc = async (path: string, input?: unknown) => {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request(`${ORIGIN}/api/trpc/${path}${query}`, { headers: authorization }),
      router: appRouter,
      createContext: () =>
        createContext({
          deps,
          requestId: "req-trpc",
          source: "console",
          ip: "127.0.0.1",
          headers: authorization,
        }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        result?: { data: unknown };
        error?: { data: Record<string, unknown>; message: string };
      },
    };
  };

  it("gives the same answer over both transports", async () => {
    const overRest = await rest("/workers?page_size=2");
    expect(overRest.status).toBe(200);
    const restBody = listOf(Worker).parse(await overRest.json());
    const overTrpc = await trpc("worker.list", { page_size: 2 });
    expect(overTrpc.status).toBe(200);
    expect(overTrpc.body.result?.data).toEqual(restBody);
    expect(restBody.items.map((w) => w.pid)).toEqual([101, 102]);
    expect(restBody.nextPageToken).toEqual(expect.any(String));

    const second = await (
      await rest(
        `/workers?page_size=2&page_token=${encodeURIComponent(restBody.nextPageToken ?? "")}`,
      )
    ).json();
    expect(second).toEqual({ items: [expect.objectContaining({ pid: 103 })], nextPageToken: null });
  });

  it("reports health with both dependencies up", async () => {
    const response = await rest("/health");
    expect(response.status).toBe(200);
    const body = HealthReport.parse(await response.json());
    expect(body).toMatchObject({
      status: "up",
      version: "9.9.9-test",
      db: { status: "up" },
      nats: { status: "up" },
    });
    const status = PlatformStatus.parse(await (await rest("/platform/status")).json());
    expect(status.dependencies.map((d) => [d.name, d.status])).toEqual([
      ["database", "up"],
      ["nats", "up"],
    ]);
    expect(status.dependencies[0]?.since).not.toBeNull();
  });

  it("answers a malformed request with 400 problem+json naming the field", async () => {
    for (const [query, field] of [
      ["page_size=abc", "page_size"],
      ["page_size=9999", "page_size"],
      ["page_size=0", "page_size"],
      ["page_token=bm90LWEtY3Vyc29y", "page_token"],
    ] as const) {
      const response = await rest(`/workers?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = Problem.parse(await response.json());
      expect(body).toMatchObject({
        status: 400,
        code: "INVALID",
        type: "urn:omniglass:problem:invalid",
        requestId: "req-rest",
      });
      expect(body.errors?.map((e) => e.field)).toContain(field);
      expect(body.detail).toContain(field);
    }
  });

  it("answers the same malformed input over tRPC with BAD_REQUEST and the field", async () => {
    const { status, body } = await trpc("worker.list", { page_size: 9999 });
    expect(status).toBe(400);
    expect(body.error?.data).toMatchObject({
      code: "INVALID",
      httpStatus: 400,
      requestId: "req-trpc",
    });
    expect(body.error?.data.fieldErrors).toEqual([expect.objectContaining({ field: "page_size" })]);
  });

  it("answers an unknown path and a wrong method with problem+json", async () => {
    const missing = await rest("/no-such-thing");
    expect(missing.status).toBe(404);
    expect(Problem.parse(await missing.json())).toMatchObject({ code: "NOT_FOUND", status: 404 });
    const wrongMethod = await rest("/workers", { method: "DELETE" });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.headers.get("content-type")).toBe("application/problem+json");
  });

  it("never leaks a stack or SQL", async () => {
    const responses = await Promise.all([
      rest("/workers?page_size=abc"),
      rest("/nope"),
      rest("/workers?page_token=%%%"),
    ]);
    for (const response of responses) {
      const text = await response.text();
      expect(text).not.toMatch(/\bat .+\.ts:\d+|stack|select .* from/i);
    }
  });

  it("answers 503, not 500, when the database is unreachable", async () => {
    const unreachable = connectDatabase({ url: "postgres://nobody:x@127.0.0.1:1/none" });
    const offline: ApiDependencies = { ...deps, db: unreachable.db };
    try {
      const response = await handleRestRequest(
        new Request(`${ORIGIN}/api/v1/workers`, { headers: authorization }),
        createContext({
          deps: offline,
          requestId: "req-down",
          source: "rest",
          ip: null,
          headers: authorization,
        }),
      );
      expect(response.status).toBe(503);
      const body = Problem.parse(await response.json());
      expect(body.code).toBe("UNAVAILABLE");
      expect(body.detail).not.toContain("postgres://");
    } finally {
      await unreachable.close();
    }
  });

  it("counts calls by procedure, transport and outcome", async () => {
    await rest("/workers?page_size=abc");
    const text = await deps.metrics.registry.metrics();
    expect(text).toMatch(
      /omniglass_procedure_calls_total\{procedure="worker.list",transport="rest",outcome="INVALID"\} [1-9]/,
    );
    expect(text).toMatch(
      /omniglass_procedure_calls_total\{procedure="worker.list",transport="console",outcome="ok"\} [1-9]/,
    );
    expect(text).toContain("omniglass_process_cpu_user_seconds_total");
  });
});
