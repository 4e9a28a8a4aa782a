/**
 * `pnpm bench actions`: webhooks through the real worker lanes (a worker process: outbox relay →
 * JetStream → actions consumer (routing) → delivery lane, and the storm lane) against embedded
 * PostgreSQL and a nats-server, to a local receiver.
 * (a) transition commit → first webhook attempt received, p50/p99 over `--transitions` (≥ 200),
 *     one every 50 ms; baseline, measured in the same run: a direct HTTP POST of the same bodies
 *     to the same receiver.
 * (b) a storm: `--storm` transitions (default 10,000) in `--storm-seconds` (60): roots (a
 *     collector down), each followed by its dependents (the components it polls, opened by
 *     openAlarm and held by dependency suppression; half in each of two systems). A "pager"
 *     endpoint with the default rule (suppressed alarms do not page) gets the roots and the
 *     grouped alarm.storm summaries; a "firehose" endpoint with `suppressed: any` gets every
 *     transition (the lag of all of them, and what would be sent without grouping).
 *     `--direct-writes`: the dependents written directly, held, as dependency suppression
 *     writes them (the act pipeline alone, without openAlarm's own cost).
 * Prints figures; never fails on wall-clock.
 */
import { spawn } from "node:child_process";
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
import {
  query,
  sleep,
  startReceiver,
  stats,
  type Arrival,
  type Receiver,
} from "./actions-receiver";
import { DEPENDENTS_PER_ROOT, storm, type StormOptions } from "./actions-storm";
import { fmt, machineLoad, ms, say, startBenchStack, type BenchStack } from "./stack";

export interface ActionsBenchOptions extends StormOptions {
  transitions: number;
}

const WORKER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../apps/worker",
);
const GOAL_P99_MS = 2000;
const meta: RequestMeta = {
  requestId: "bench",
  source: "cli",
  actor: null,
  realActor: null,
  ip: null,
};

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
  receiver: Receiver,
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
      `(b) storm: ${fmt(b.total)} transitions (${b.roots} collectors down × the ${DEPENDENTS_PER_ROOT} components each polls, ${options.directWrites ? "written held directly" : "opened by openAlarm and held by dependency suppression"}, 2 systems each) offered in ${b.offeredSeconds.toFixed(1)} s (${fmt(b.total / b.offeredSeconds)}/s)`,
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
      `    notifications to the pager: ${fmt(b.pagerSent)} (${b.roots} roots + ${b.pagerStorms} storm summaries for ${b.groups} groups; ${b.held} per-dependent; ${b.notHeld} dependents not held) vs ${fmt(b.total)} transitions — ${(b.total / Math.max(1, b.pagerSent)).toFixed(0)}× fewer; the firehose got ${fmt(b.firehoseSent)} (every transition + its summaries)`,
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
