/**
 * `pnpm bench alarms`: (1) under background ingest (~10,000 samples/s through a real worker
 * process), how long a faulting sample takes from its publish to its alarm committed (seen by a
 * poller) and to the alarm-change message on NATS (what the console's live relay forwards);
 * and to the console's SSE event (GET /api/live/alarms on a real web process, when built);
 * (2) with 100,000 open alarms, the alarm list page, one acknowledge and a bulk acknowledge of
 * 1,000 through the gateway's own functions (findAlarms, acknowledgeAlarm, acknowledgeAlarms).
 * Prints figures; never fails on wall-clock.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publishJson, SUBJECTS } from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import { unsafeSeedPolledComponents } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { freePort } from "@omniglass/infra";
import { alarmQueue } from "./alarm-queue";
import { fmt, machineLoad, ms, quantile, say, startBenchStack, type BenchStack } from "./stack";

export interface AlarmsBenchOptions {
  alarms: number;
  rate: number;
  faults: number;
  iterations: number;
}

const WORKER_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../apps/worker",
);
const GOALS = { commitP99: 1000, sseP99: 1500 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../apps/web");

/**
 * A real web process (the last `pnpm --filter @omniglass/web build`) and one SSE stream of
 * `/api/live/alarms` read as an owner's API token: when each component's alarm was announced
 * opened. Null when the web does not come up (no build): the SSE hop is then not measured.
 */
async function openConsoleStream(stack: BenchStack, token: string) {
  const port = await freePort();
  const web = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: stack.url,
      NATS_URL: stack.natsUrl,
      OMNIGLASS_PORT: String(port),
      OMNIGLASS_HOST: "127.0.0.1",
    },
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const stop = async () => {
    if (!web.pid || web.exitCode !== null) return;
    try {
      process.kill(-web.pid, "SIGTERM");
    } catch {
      return;
    }
    await new Promise((resolve) => {
      web.once("exit", resolve);
      setTimeout(resolve, 5000);
    });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (tries > 120 || web.exitCode !== null) {
      await stop();
      return null;
    }
    const ok = await fetch(`${url}/api/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(500);
  }
  const seen = new Map<string, number>();
  const abort = new AbortController();
  const response = await fetch(`${url}/api/live/alarms`, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) {
    await stop();
    return null;
  }
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === "ready") ready();
          if (event !== "alarm" || !data) continue;
          const m = JSON.parse(data) as { kind: string; owner: { id: string } };
          if (m.kind === "opened" && !seen.has(m.owner.id)) seen.set(m.owner.id, performance.now());
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await Promise.race([isReady, sleep(10_000)]);
  return {
    seen,
    close: async () => {
      abort.abort();
      await reading;
      await stop();
    },
  };
}

/** Part 1: fault → alarm latency under background ingest, through a real worker process. */
async function faultLatency(stack: BenchStack, options: AlarmsBenchOptions) {
  const { db } = stack.database;
  const background = await unsafeSeedPolledComponents(db, { name: "bg", components: 100 });
  const faults = await unsafeSeedPolledComponents(db, {
    name: "faults",
    components: options.faults + 1,
    template: "http-json-display",
  });
  // A rule that opens on the faulting sample itself (the official one waits 2 min of sustain).
  await db.execute(`insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind,
      scope_location_id, origin)
    values (uuidv7(), 'bench-fault', 'critical', 'signals["reachable"] == false', 0, 'location',
      '${faults.locationId}', 'custom')`);

  const worker = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: stack.url,
      NATS_URL: stack.natsUrl,
      OMNIGLASS_WORKER_METRICS_PORT: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const nc = await stack.bus.ready();
  const seen = new Map<string, number>();
  const sub = nc.subscribe(SUBJECTS.liveAlarms, {
    callback: (_err, msg) => {
      try {
        const m = msg.json<{ kind: string; owner: { id: string } }>();
        if (m.kind === "opened" && !seen.has(m.owner.id)) seen.set(m.owner.id, performance.now());
      } catch {
        // not an alarm change
      }
    },
  });
  const fault = async (component: string, batchId: string) => {
    const at = performance.now();
    await publishJson(
      nc,
      SUBJECTS.samples(faults.nodeId),
      SampleBatch,
      {
        node: faults.nodeId,
        batchId,
        samples: [{ component, signal: "reachable", instance: "", ts: Date.now(), value: false }],
        rejections: [],
      },
      { msgId: batchId },
    );
    return at;
  };
  let consoleStream: Awaited<ReturnType<typeof openConsoleStream>> = null;
  try {
    // The worker is up once a warm-up fault's alarm message arrives.
    const warm = faults.componentIds[options.faults]!;
    for (let tries = 0; !seen.has(warm); tries++) {
      if (tries > 600) throw new Error("the worker opened no alarm within 60 s");
      if (tries % 50 === 0) await fault(warm, `warm-${tries}`).catch(() => 0);
      await sleep(100);
    }

    // The console's stream through a real web process, as the estate's owner.
    const viewer = await createTestPrincipal(stack.url, {
      name: "bench-viewer",
      grants: [{ role: "owner" }],
    });
    consoleStream = await openConsoleStream(stack, viewer.token);
    if (!consoleStream)
      say("the web process did not come up (build it first): SSE hop not measured");

    // Background: batches of 500 cpu-load samples on 1,000 series, paced to the rate.
    let stop = false;
    let sent = 0;
    const perBatch = 500;
    const series = background.componentIds.length * 10;
    const started = performance.now();
    const feeding = (async () => {
      for (let b = 0; !stop; b++) {
        const now = Date.now();
        const samples = Array.from({ length: perBatch }, (_, k) => {
          const s = (b * perBatch + k) % series;
          return {
            component: background.componentIds[Math.floor(s / 10)]!,
            signal: "cpu-load",
            instance: `cpu-${s % 10}`,
            ts: now + k / 1000,
            value: 20 + (s % 40),
          };
        });
        await publishJson(
          nc,
          SUBJECTS.samples(background.nodeId),
          SampleBatch,
          { node: background.nodeId, batchId: `bg-${b}`, samples, rejections: [] },
          { msgId: `bg-${b}` },
        ).catch(() => {});
        sent += perBatch;
        const due = started + (sent / options.rate) * 1000;
        await sleep(Math.max(0, due - performance.now()));
      }
    })();
    await sleep(3000); // let the background settle

    // Faults, one every 150 ms; a poller notes when each alarm is committed (10 ms resolution).
    const published = new Map<string, number>();
    const committed = new Map<string, number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const waiting = [...published.keys()].filter((c) => !committed.has(c));
        if (waiting.length > 0) {
          const rows = await db.execute(
            `select a.component_id as c from alarm a join event_rule r on r.id = a.rule_id
             where r.name = 'bench-fault' and a.component_id = any('{${waiting.join(",")}}'::uuid[])`,
          );
          const now = performance.now();
          for (const r of rows.rows as { c: string }[])
            if (!committed.has(r.c)) committed.set(r.c, now);
        }
        await sleep(10);
      }
    })();
    const loadDuring = machineLoad();
    for (let k = 0; k < options.faults; k++) {
      const c = faults.componentIds[k]!;
      published.set(c, await fault(c, `fault-${k}`));
      await sleep(150);
    }
    const deadline = performance.now() + 30_000;
    while (
      performance.now() < deadline &&
      (committed.size < options.faults || seen.size < options.faults + 1)
    )
      await sleep(50);
    polling = false;
    stop = true;
    await Promise.all([poller, feeding]);
    const rate = sent / ((performance.now() - started) / 1000);

    const toCommit: number[] = [];
    const toNats: number[] = [];
    const toSse: number[] = [];
    for (const [c, at] of published) {
      if (committed.has(c)) toCommit.push(committed.get(c)! - at);
      if (seen.has(c)) toNats.push(seen.get(c)! - at);
      const sse = consoleStream?.seen.get(c);
      if (sse !== undefined) toSse.push(sse - at);
    }
    toSse.sort((a, b) => a - b);
    toCommit.sort((a, b) => a - b);
    toNats.sort((a, b) => a - b);
    say(
      `background ingest: ${fmt(rate)} samples/s offered through the worker (goal ~${fmt(options.rate)}); ${loadDuring}`,
    );
    say(
      `fault publish → alarm committed (seen by a 10 ms poller): p50 ${ms(quantile(toCommit, 0.5))}, p99 ${ms(quantile(toCommit, 0.99))} over ${toCommit.length}/${options.faults} faults  goal p99 < ${GOALS.commitP99} ms`,
    );
    say(
      `fault publish → alarm-change message on NATS (${SUBJECTS.liveAlarms}, what /api/live/alarms relays): p50 ${ms(quantile(toNats, 0.5))}, p99 ${ms(quantile(toNats, 0.99))} over ${toNats.length}/${options.faults}`,
    );
    if (consoleStream)
      say(
        `fault publish → the console's SSE event (GET /api/live/alarms on a real web process, read here as the browser would): p50 ${ms(quantile(toSse, 0.5))}, p99 ${ms(quantile(toSse, 0.99))} over ${toSse.length}/${options.faults}  goal p99 < ${GOALS.sseP99} ms`,
      );
  } finally {
    await consoleStream?.close();
    sub.unsubscribe();
    if (worker.pid) {
      try {
        process.kill(-worker.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        if (worker.exitCode !== null) resolve(null);
        else worker.once("exit", resolve);
        setTimeout(resolve, 5000);
      });
    }
  }
}

export async function benchAlarms(options: AlarmsBenchOptions) {
  const stack = await startBenchStack("alarms", 10);
  try {
    say(`alarms bench; ${machineLoad()}`);
    await faultLatency(stack, options);
    await alarmQueue(stack, options);
    say(`done; ${machineLoad()}`);
  } finally {
    await stack.close();
  }
}
