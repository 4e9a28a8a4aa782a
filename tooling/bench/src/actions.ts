/**
 * `pnpm bench actions`: webhooks through the real worker lanes (a worker process: outbox relay →
 * JetStream → actions consumer (routing) → delivery lane, and the storm lane) against embedded
 * PostgreSQL and a nats-server, to a local receiver.
 * (a) transition commit → first webhook attempt received, p50/p99 over `--transitions` (≥ 200),
 *     one every 50 ms; baseline, measured in the same run: a direct HTTP POST of the same bodies
 *     to the same receiver.
 * (b) a storm: `--storm` transitions (default 10,000) in `--storm-seconds` (60): roots, each
 *     followed by its dependents (suppressed by it, half in each of two systems). A "pager"
 *     endpoint with the default rule (suppressed alarms do not page) gets the roots and the
 *     grouped alarm.storm summaries; a "firehose" endpoint with `suppressed: any` gets every
 *     transition (the lag of all of them, and what would be sent without grouping).
 * Prints figures; never fails on wall-clock.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RequestMeta } from "@omniglass/contracts";
import {
  createActionRule,
  createWebhookEndpoint,
  loadActor,
  openAlarm,
  unsafeSeedPolledComponents,
  type Database,
} from "@omniglass/gateway";
import { newSecretKeyBase64, parseSecretKey } from "@omniglass/gateway/secrets";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { freePort } from "@omniglass/infra";
import { fmt, machineLoad, ms, quantile, say, startBenchStack, type BenchStack } from "./stack";

export interface ActionsBenchOptions {
  transitions: number;
  storm: number;
  stormSeconds: number;
}

const WORKER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../apps/worker",
);
const GOAL_P99_MS = 2000;
/** Dependents per root in the storm (a root and its dependents: this many + 1 transitions). */
const DEPENDENTS_PER_ROOT = 99;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const meta: RequestMeta = {
  requestId: "bench",
  source: "cli",
  actor: null,
  realActor: null,
  ip: null,
};

interface Arrival {
  at: number;
  path: string;
  type: string;
  body: string;
  /** alarm transitions: `<alarm id>/<seq>`; storms: `<root>/<group>`; baseline: its index. */
  key: string;
}

/** Parameterized SQL on the pool under the handle (the bench does not depend on drizzle). */
const query = async <T>(db: Database, text: string, values: unknown[] = []) =>
  (
    await (
      db as unknown as {
        $client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
      }
    ).$client.query(text, values)
  ).rows as T[];

/** The local receiver: notes when each request arrived (the clock of this process) and answers 200. */
async function startReceiver() {
  const arrivals: Arrival[] = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      let type = "?";
      let key = req.headers["x-bench-key"]?.toString() ?? "";
      try {
        const m = JSON.parse(body) as {
          type: string;
          data: {
            seq?: number;
            alarm?: { id: string };
            root?: { id: string };
            group?: { id: string };
          };
        };
        type = m.type;
        if (!key)
          key = m.data.alarm
            ? `${m.data.alarm.id}/${m.data.seq}`
            : `${m.data.root?.id}/${m.data.group?.id}`;
      } catch {
        // not JSON: counted as "?"
      }
      arrivals.push({ at, path: req.url ?? "", type, body, key });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A custom rule that never fires by itself (`false`): the bench opens its alarms directly. */
async function benchRule(db: Database): Promise<string> {
  const [row] = await query<{ id: string }>(
    db,
    `insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind, origin)
     values (uuidv7(), 'bench-actions', 'critical', 'false', 0, 'all', 'custom') returning id`,
  );
  return row!.id;
}

const fault = (db: Database, ruleId: string, componentId: string) =>
  db.transaction((tx) =>
    openAlarm(
      tx,
      { ruleId, owner: { kind: "component", id: componentId }, instance: "" },
      {
        openedAt: Date.now(),
        sampleAt: Date.now(),
        value: { reachable: false },
        severity: "critical",
        summary: "unreachable (bench)",
        flapWindowMs: 60_000,
        flapThreshold: 10,
      },
    ),
  );

function spawnWorker(stack: BenchStack, secretKeyBase64: string) {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: stack.url,
      NATS_URL: stack.natsUrl,
      OMNIGLASS_WORKER_METRICS_PORT: "0",
      OMNIGLASS_SECRET_KEY: secretKeyBase64,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
};
const row = (label: string, s: ReturnType<typeof stats>, extra = "") =>
  say(
    `${label.padEnd(64)} ${String(s.n).padStart(6)} ${ms(s.p50).padStart(11)} ${ms(s.p99).padStart(11)} ${ms(s.max).padStart(11)}  ${extra}`,
  );
const header = () =>
  say(
    `${"".padEnd(64)} ${"n".padStart(6)} ${"p50".padStart(11)} ${"p99".padStart(11)} ${"max".padStart(11)}`,
  );

/** (a) one transition every 50 ms; commit → first attempt received, and the direct POST baseline. */
async function singleTransitions(
  db: Database,
  ruleId: string,
  components: string[],
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) {
  const committed = new Map<string, number>();
  for (const c of components) {
    const change = await fault(db, ruleId, c);
    committed.set(`${change!.alarmId}/1`, performance.now());
    await sleep(50);
  }
  const deadline = performance.now() + 60_000;
  const first = new Map<string, Arrival>();
  while (performance.now() < deadline) {
    for (const a of receiver.arrivals)
      if (a.path === "/pager" && committed.has(a.key) && !first.has(a.key)) first.set(a.key, a);
    if (first.size >= committed.size) break;
    await sleep(50);
  }
  const lags = [...first].map(([key, a]) => a.at - committed.get(key)!);
  // Baseline: the same bodies POSTed directly to the same receiver, one at a time.
  const bodies = [...first.values()].map((a) => a.body);
  const direct: number[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const key = `baseline-${i}`;
    const t = performance.now();
    await fetch(`${receiver.url}/baseline`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bench-key": key },
      body: bodies[i],
    }).then((r) => r.arrayBuffer());
    const arrived = receiver.arrivals.findLast((a) => a.key === key);
    if (arrived) direct.push(arrived.at - t);
  }
  return { lags: stats(lags), direct: stats(direct), missing: committed.size - first.size };
}

/** (b) the storm: roots, each followed by its dependents held by it, paced over the duration. */
async function storm(
  stack: BenchStack,
  ruleId: string,
  options: ActionsBenchOptions,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) {
  const { db } = stack.database;
  // Only what arrives from here on counts.
  const from = receiver.arrivals.length;
  const arrivals = () => receiver.arrivals.slice(from);
  const perRoot = DEPENDENTS_PER_ROOT + 1;
  const roots = Math.max(1, Math.round(options.storm / perRoot));
  const total = roots * perRoot;
  const estate = await unsafeSeedPolledComponents(db, { name: "storm", components: total });
  // Two systems per root; its dependents are primary members of one or the other, alternately.
  const [type] = await query<{ id: string }>(
    db,
    `select id from system_type where name = 'meeting-room'`,
  );
  await query(
    db,
    `insert into system (id, name, type_id, location_id, path)
     select uuidv7(), 'sys-' || n, $1, $2, 'storm.sys-' || n from generate_series(0, $3::int - 1) n`,
    [type!.id, estate.locationId, roots * 2],
  );
  const plan = estate.componentIds.map((id, i) => ({
    id,
    root: Math.floor(i / perRoot),
    isRoot: i % perRoot === 0,
    system: `storm.sys-${Math.floor(i / perRoot) * 2 + ((i % perRoot) % 2)}`,
  }));
  await query(
    db,
    `insert into system_member (system_id, component_id, is_primary)
     select s.id, m.c, true from unnest($1::uuid[], $2::text[]) as m(c, path)
     join system s on s.path = m.path`,
    [
      plan.filter((p) => !p.isRoot).map((p) => p.id),
      plan.filter((p) => !p.isRoot).map((p) => p.system),
    ],
  );

  const rootAlarm = new Map<number, string>();
  const committed = new Map<string, number>(); // `<alarm>/1` → commit time
  const rootKeys = new Set<string>();
  const groupFirst = new Map<string, number>(); // `<root alarm>/<system path>` → first dependent's commit
  const started = performance.now();
  const spacing = (options.stormSeconds * 1000) / total;
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / spacing) + 1);
    if (due <= next) {
      await sleep(Math.max(1, spacing * (next + 1) - (performance.now() - started)));
      continue;
    }
    const items = plan.slice(next, due);
    next = due;
    // One transaction per tick: the roots due now, then the dependents (held by their root).
    const written = await db.transaction(async (tx) => {
      const opened: { key: string; root: boolean; group: string | null }[] = [];
      for (const p of items.filter((x) => x.isRoot)) {
        const change = await openAlarm(
          tx,
          { ruleId, owner: { kind: "component", id: p.id }, instance: "" },
          {
            openedAt: Date.now(),
            sampleAt: Date.now(),
            value: { reachable: false },
            severity: "critical",
            summary: "access switch unreachable (bench)",
            flapWindowMs: 60_000,
            flapThreshold: 10,
          },
        );
        rootAlarm.set(p.root, change!.alarmId);
        opened.push({ key: `${change!.alarmId}/1`, root: true, group: null });
      }
      const dependents = items.filter((x) => !x.isRoot && rootAlarm.has(x.root));
      if (dependents.length > 0) {
        const since = new Date().toISOString();
        const rows = (
          await tx.execute(
            `with d as (
             select * from unnest(array[${dependents.map((d) => `'${d.id}'`).join(",")}]::uuid[],
               array[${dependents.map((d) => `'${rootAlarm.get(d.root)}'`).join(",")}]::uuid[])
               as d(component, root)
           ), opened as (
             insert into alarm (id, rule_id, owner_kind, component_id, instance, severity, summary,
               lifecycle, opened_at, suppressed, suppression, root_alarm_id)
             select uuidv7(), '${ruleId}', 'component', d.component, '', 'warning',
               'unreachable behind its switch (bench)', 'open', now(), true,
               jsonb_build_object('since', '${since}'::text, 'windows', '[]'::jsonb,
                 'silences', '[]'::jsonb, 'root', jsonb_build_object('alarmId', d.root,
                 'owner', jsonb_build_object('kind', 'component', 'path', 'storm.switch'),
                 'rule', 'bench-actions', 'links', '[]'::jsonb)),
               d.root
             from d returning id, component_id
           ), events as (
             insert into alarm_event (alarm_id, seq, kind, at) select id, 1, 'fired', now() from opened
           )
           select id, component_id from opened`,
          )
        ).rows as { id: string; component_id: string }[];
        const byComponent = new Map(dependents.map((d) => [d.id, d]));
        for (const r of rows) {
          const d = byComponent.get(r.component_id)!;
          opened.push({
            key: `${r.id}/1`,
            root: false,
            group: `${rootAlarm.get(d.root)}/${d.system}`,
          });
        }
      }
      return opened;
    });
    const at = performance.now();
    for (const w of written) {
      committed.set(w.key, at);
      if (w.root) rootKeys.add(w.key);
      if (w.group && !groupFirst.has(w.group)) groupFirst.set(w.group, at);
    }
  }
  const offeredSeconds = (performance.now() - started) / 1000;

  // Drain: every transition at the firehose, and the roots and one summary per group at the pager.
  const groups = groupFirst.size;
  const deadline = performance.now() + 180_000;
  const count = (p: string, type?: string) =>
    arrivals().filter((a) => a.path === p && (!type || a.type === type)).length;
  while (performance.now() < deadline) {
    if (
      count("/firehose") >= total + groups &&
      count("/pager", "alarm.opened") >= rootKeys.size &&
      count("/pager", "alarm.storm") >= groups
    )
      break;
    await sleep(200);
  }
  await sleep(2_000); // anything extra (a duplicate) would arrive now
  const firstAt = (p: string) => {
    const seen = new Map<string, number>();
    for (const a of arrivals()) if (a.path === p && !seen.has(a.key)) seen.set(a.key, a.at);
    return seen;
  };
  const fire = firstAt("/firehose");
  const pager = firstAt("/pager");
  const lagOf = (keys: Iterable<string>, seen: Map<string, number>) =>
    [...keys].filter((k) => seen.has(k)).map((k) => seen.get(k)! - committed.get(k)!);
  const stormLag: number[] = [];
  for (const a of arrivals())
    if (a.path === "/pager" && a.type === "alarm.storm") {
      const m = JSON.parse(a.body) as { data: { root: { id: string }; group: { path: string } } };
      const first = groupFirst.get(`${m.data.root.id}/${m.data.group.path}`);
      if (first !== undefined) stormLag.push(a.at - first);
    }
  return {
    total,
    roots: rootKeys.size,
    groups,
    offeredSeconds,
    firehose: stats(lagOf(committed.keys(), fire)),
    pagerRoots: stats(lagOf(rootKeys, pager)),
    storms: stats(stormLag),
    pagerSent: count("/pager"),
    firehoseSent: count("/firehose"),
    pagerStorms: count("/pager", "alarm.storm"),
    held: lagOf(
      [...committed.keys()].filter((k) => !rootKeys.has(k)),
      pager,
    ).length,
  };
}

export async function benchActions(options: ActionsBenchOptions) {
  const stack = await startBenchStack("actions", 10);
  const receiver = await startReceiver();
  const secretKeyBase64 = newSecretKeyBase64();
  const secretKey = parseSecretKey(secretKeyBase64);
  let worker: ReturnType<typeof spawnWorker> | null = null;
  try {
    say(`actions bench; ${machineLoad()}`);
    const { db } = stack.database;
    const ruleId = await benchRule(db);
    const single = await unsafeSeedPolledComponents(db, {
      name: "single",
      components: options.transitions + 1,
    });
    const owner = await createTestPrincipal(stack.url, {
      name: "bench-owner",
      grants: [{ role: "owner" }],
    });
    const ctx = { db, actor: (await loadActor(db, owner.id))!, meta };
    const endpoint = async (name: string) =>
      createWebhookEndpoint({
        ...ctx,
        input: { name, url: `${receiver.url}/${name}`, enabled: true },
        options: { secretKey, allowLoopback: true },
      });
    const pager = await endpoint("pager");
    await createActionRule({
      ...ctx,
      input: {
        name: "pager",
        enabled: true,
        matchers: {},
        scope: { kind: "all" },
        endpointIds: [pager.id],
      },
    });

    worker = spawnWorker(stack, secretKeyBase64);
    // The worker is up once a warm-up transition arrives.
    const warm = await fault(db, ruleId, single.componentIds[options.transitions]!);
    for (let tries = 0; !receiver.arrivals.some((a) => a.key === `${warm!.alarmId}/1`); tries++) {
      if (tries > 600) throw new Error("no webhook arrived within 60 s of starting the worker");
      await sleep(100);
    }
    say(`worker up; ${machineLoad()}`);

    const a = await singleTransitions(
      db,
      ruleId,
      single.componentIds.slice(0, options.transitions),
      receiver,
    );

    // (b) adds the firehose: every transition, suppressed or not.
    const firehose = await endpoint("firehose");
    await createActionRule({
      ...ctx,
      input: {
        name: "firehose",
        enabled: true,
        matchers: { suppressed: "any" },
        scope: { kind: "all" },
        endpointIds: [firehose.id],
      },
    });
    const before = receiver.arrivals.length;
    const b = await storm(stack, ruleId, options, receiver);
    const loadAfter = machineLoad();

    say("");
    say(`(a) ${fmt(options.transitions)} transitions, one every 50 ms, one worker process`);
    header();
    row(
      "transition commit → first webhook attempt received",
      a.lags,
      `goal p99 ≤ ${GOAL_P99_MS} ms`,
    );
    row("baseline: direct HTTP POST of the same body → received", a.direct);
    say(
      `    ratio p50 ${(a.lags.p50 / a.direct.p50).toFixed(0)}×, p99 ${(a.lags.p99 / a.direct.p99).toFixed(0)}× the direct POST; ${a.missing} not received; goal ${a.lags.p99 <= GOAL_P99_MS ? "met" : "missed"}`,
    );
    say("");
    say(
      `(b) storm: ${fmt(b.total)} transitions (${b.roots} roots × ${DEPENDENTS_PER_ROOT} dependents held by them, 2 systems each) offered in ${b.offeredSeconds.toFixed(1)} s (${fmt(b.total / b.offeredSeconds)}/s)`,
    );
    header();
    row("firehose (suppressed: any): commit → received, every transition", b.firehose);
    row("pager (default rule): root commit → its alarm.opened received", b.pagerRoots);
    row(
      "pager: a group's first dependent commit → its alarm.storm",
      b.storms,
      "includes the 10 s grouping wait",
    );
    say(
      `    notifications to the pager: ${fmt(b.pagerSent)} (${b.roots} roots + ${b.pagerStorms} storm summaries for ${b.groups} groups; ${b.held} per-dependent) vs ${fmt(b.total)} transitions — ${(b.total / Math.max(1, b.pagerSent)).toFixed(0)}× fewer; the firehose got ${fmt(b.firehoseSent)} (every transition + its summaries)`,
    );
    say(`    received during (b): ${fmt(receiver.arrivals.length - before)}; ${loadAfter}`);
  } finally {
    if (worker?.pid) {
      try {
        process.kill(-worker.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const w = worker;
      await new Promise((resolve) => {
        if (w.exitCode !== null) resolve(null);
        else w.once("exit", resolve);
        setTimeout(resolve, 5000);
      });
    }
    await receiver.close();
    await stack.close();
  }
}
