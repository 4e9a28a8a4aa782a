/**
 * `pnpm bench estate`: list and get latency of components through the real procedure path, on a
 * large estate in a throwaway embedded PostgreSQL. Prints a table; never fails on wall-clock.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  appRouter,
  createApiDependencies,
  createCallerFactory,
  createContext,
} from "@omniglass/api";
import {
  connectDatabase,
  unsafeBootstrapOwner,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedLargeEstate,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { freePort, startEmbeddedPostgres } from "@omniglass/infra";

interface RawPool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const GOAL_P95_MS = 50;
const GOAL_RATIO = 1.5;

export interface EstateBenchOptions {
  components: number;
  buildings?: number;
  iterations: number;
}

interface Sample {
  p50: number;
  p95: number;
}

async function measure(iterations: number, run: (i: number) => Promise<unknown>): Promise<Sample> {
  for (let i = 0; i < Math.min(20, iterations); i++) await run(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

/** The port opens before PostgreSQL accepts sessions ("the database system is starting up"). */
async function untilReady<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries > 50 || !/starting up/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

export async function benchEstate(options: EstateBenchOptions) {
  const say = (line: string) => console.log(`[bench] ${line}`);
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-bench-"));
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dir, "postgres"),
    port: await freePort(),
  });
  let closeDb: (() => Promise<void>) | null = null;
  try {
    const url = await untilReady(() => unsafeEnsureDatabase(postgres.serverUrl, "bench"));
    await unsafeMigrate(url);
    const handle = connectDatabase({ url, max: 10, applicationName: "omniglass-bench" });
    closeDb = handle.close;
    const { db } = handle;
    await unsafeSeedRegistries(db);
    const meta = {
      requestId: randomUUID(),
      source: "cli" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    const owner = await unsafeBootstrapOwner({ db, meta, username: "bench-owner" });

    say(`seeding ${options.components.toLocaleString("en")} components…`);
    const seeded = await unsafeSeedLargeEstate({
      db,
      components: options.components,
      buildings: options.buildings,
    });
    const rows =
      seeded.buildings +
      seeded.floors +
      seeded.rooms +
      1 +
      seeded.systems * 6 +
      seeded.components +
      seeded.interfaces +
      seeded.members;
    say(
      `seeded ${seeded.campus}: ${seeded.buildings} buildings, ${seeded.floors} floors, ${seeded.rooms} rooms, ` +
        `${seeded.systems} systems, ${seeded.components} components, ${seeded.interfaces} interfaces, ` +
        `${seeded.members} memberships in ${(seeded.milliseconds / 1000).toFixed(1)} s ` +
        `(${Math.round(rows / (seeded.milliseconds / 1000)).toLocaleString("en")} rows/s, ` +
        `${Math.round(seeded.components / (seeded.milliseconds / 1000)).toLocaleString("en")} components/s)`,
    );
    // Vacuum now, so autovacuum of the fresh rows does not land in the middle of a measurement.
    await db.execute("vacuum analyze");

    // The last building: the worst case for a path-ordered scan that filters by prefix.
    const building = `${seeded.campus}.building-${seeded.buildings}`;
    const operator = await createTestPrincipal(url, {
      name: "bench-operator",
      grants: [{ role: "operator", location: building }],
    });

    // The procedure path: a caller per request, authenticated by its bearer token, as /api/v1 does.
    const deps = createApiDependencies({
      version: "bench",
      db,
      probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
    });
    const createCaller = createCallerFactory(appRouter);
    const callerFor = (token: string) => () =>
      createCaller(
        createContext({
          deps,
          requestId: randomUUID(),
          source: "rest",
          ip: "127.0.0.1",
          headers: new Headers({ authorization: `Bearer ${token}` }),
        }),
      );
    const actors = { all: callerFor(owner.token), scoped: callerFor(operator.token) };

    // Paths to get: components of building-1 (visible to both), cycled.
    const pathRows = await db.execute<{ path: string }>(
      `select path from component where path like '${building}.%' order by random() limit 200`,
    );
    const paths = pathRows.rows.map((r) => r.path);

    const deepToken = async (caller: (typeof actors)["all"]) => {
      let token: string | undefined;
      for (let page = 1; page < 50; page++) {
        const result = await caller().component.list({ page_size: 50, page_token: token });
        if (!result.nextPageToken) throw new Error(`only ${page} pages`);
        token = result.nextPageToken;
      }
      return token!;
    };

    const results: Record<string, Record<"all" | "scoped", Sample>> = {};
    for (const scope of ["all", "scoped"] as const) {
      const caller = actors[scope];
      const token = await deepToken(caller);
      (results["list first page"] ??= {} as never)[scope] = await measure(options.iterations, () =>
        caller().component.list({ page_size: 50 }),
      );
      (results["list page 50"] ??= {} as never)[scope] = await measure(options.iterations, () =>
        caller().component.list({ page_size: 50, page_token: token }),
      );
      (results["get by path"] ??= {} as never)[scope] = await measure(options.iterations, (i) =>
        caller().component.get({ ref: paths[i % paths.length]! }),
      );
    }

    // Raw baseline: the same first page (rows + count) and the same get, as plain SQL on the pool.
    // The gateway's own pool (drizzle keeps it as `$client`), so raw and procedure share connections.
    const pool = (db as unknown as { $client: RawPool }).$client;
    const COLUMNS = `c.*, l.path as location_path, t.name as template_name, t.version as template_version,
      t.kind, ps.id as primary_system_id, ps.path as primary_system_path`;
    const FROM = `from component c join location l on l.id = c.location_id join template t on t.id = c.template_id
      left join system_member pm on pm.component_id = c.id and pm.is_primary
      left join system ps on ps.id = pm.system_id`;
    const raw = {
      "list first page": await measure(options.iterations, () =>
        Promise.all([
          pool.query(`select ${COLUMNS} ${FROM} order by c.path limit 51`),
          pool.query(`select count(*) from component`),
        ]),
      ),
      "get by path": await measure(options.iterations, async (i) => {
        const found = await pool.query<{ id: string; template_id: string }>(
          `select ${COLUMNS} ${FROM} where c.path = $1 limit 2`,
          [paths[i % paths.length]],
        );
        const row = found.rows[0]!;
        await Promise.all([
          pool.query(`select * from component_interface where component_id = $1 order by name`, [
            row.id,
          ]),
          pool.query(
            `select s.id, s.path, m.is_primary, r.name from system_member m join system s on s.id = m.system_id
             left join system_role r on r.id = m.role_id where m.component_id = $1 order by s.path`,
            [row.id],
          ),
          pool.query(`select document from template where id = $1`, [row.template_id]),
        ]);
      }),
    };

    // The plan of the scoped first page, captured from the pool as the procedure sends it.
    const captured: { text: string; values: unknown[] }[] = [];
    const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args) => {
      const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[]?];
      const text = typeof first === "string" ? first : first.text;
      const values = (typeof first === "string" ? undefined : first.values) ?? second ?? [];
      captured.push({ text, values });
      return original(...args);
    };
    await actors.scoped().component.list({ page_size: 50 });
    (pool as unknown as { query: unknown }).query = original;
    const listStatement = captured.find(
      (q) => /from "component"/.test(q.text) && /limit/i.test(q.text) && /order by/i.test(q.text),
    );
    let plan = "(the list statement was not captured)";
    if (listStatement) {
      const explained = await original(
        `explain (analyze, costs off) ${listStatement.text}`,
        listStatement.values,
      );
      plan = (explained as { rows: { "QUERY PLAN": string }[] }).rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    }
    const index = /using (component_path_\w+)/.exec(plan)?.[1] ?? null;
    const prefixInCondition = /Index Cond: .*path.*~>=~/.test(plan);

    // The table.
    console.log("");
    console.log(
      `estate bench: ${seeded.components.toLocaleString("en")} components; scoped = operator on ${building} ` +
        `(${(seeded.components / seeded.buildings).toLocaleString("en")} components); ${options.iterations} calls each`,
    );
    const header = [
      "operation",
      "scope all p50",
      "p95",
      "scoped p50",
      "p95",
      "scoped/all (p95)",
      "goal",
    ];
    const table: string[][] = [header];
    for (const [name, byScope] of Object.entries(results)) {
      const ratio = byScope.scoped.p95 / byScope.all.p95;
      const pass =
        byScope.all.p95 < GOAL_P95_MS && byScope.scoped.p95 < GOAL_P95_MS && ratio <= GOAL_RATIO;
      table.push([
        name,
        ms(byScope.all.p50),
        ms(byScope.all.p95),
        ms(byScope.scoped.p50),
        ms(byScope.scoped.p95),
        ratio.toFixed(2),
        pass ? "PASS" : "MISS",
      ]);
    }
    for (const [name, sample] of Object.entries(raw)) {
      const procedure = results[name]!.all;
      const ratio = procedure.p95 / sample.p95;
      table.push([
        `raw SQL ${name}`,
        ms(sample.p50),
        ms(sample.p95),
        "",
        "",
        `procedure/raw ${ratio.toFixed(2)}`,
        "",
      ]);
    }
    const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
    console.log("");
    console.log(
      `goal: p95 < ${GOAL_P95_MS} ms per operation and scoped/all ≤ ${GOAL_RATIO} (informational; wall-clock never fails CI)`,
    );
    console.log(
      `scoped first page uses the component path index: ${index ? `yes (${index}; building prefix ${prefixInCondition ? "in the Index Cond" : "applied as a Filter while scanning in path order"})` : "NO"}`,
    );
    console.log(
      plan
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n"),
    );
  } finally {
    await closeDb?.();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
