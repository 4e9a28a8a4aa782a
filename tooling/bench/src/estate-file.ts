/**
 * `pnpm bench estate-file`: estate as code at scale (issue #15 item 6) on a throwaway embedded
 * PostgreSQL holding the bench estate (`unsafeSeedLargeEstate`, 100,000 components by default):
 *
 * 1. import — today's state as estate YAML (`exportEstateFiles`: the model read in the owner's
 *    scope, then written), time and peak RSS (goal with the plan: ≤ 10 s, ≤ 1 GiB);
 * 2. plan of that import against the state (`createEstatePlan`: load the YAML with positions and
 *    every check, read the state, diff, store the plan) — no changes expected — with the same
 *    figures, and the pure steps apart (load, read, diff);
 *    with ESTATE_FILE_BASELINE=1 the raw baseline in the same run: `yaml` stringify + parse of
 *    the same objects (without yaml's quadratic unique-key check, as the loader parses);
 * 3. apply of 1,000 new components (a new building of 50 rooms) in one transaction (goal ≤ 5 s).
 *
 * Peak RSS is `process.memoryUsage().rss` sampled every 20 ms during each phase (this process
 * only: PostgreSQL's memory is its own). Prints figures; never fails on wall-clock.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import {
  applyEstatePlan,
  createEstatePlan,
  exportEstateFiles,
  loadActor,
  readEstateModel,
  unsafeBootstrapOwner,
  unsafeSeedLargeEstate,
} from "@omniglass/gateway";
import { exportableModel, exportEstate, loadEstate, planEstate, readerOf } from "@omniglass/estate";
import { fmt, machineLoad, say, startBenchStack } from "./stack";

const GOAL_PLAN_MS = 10_000;
const GOAL_PEAK_BYTES = 1024 ** 3;
const GOAL_APPLY_MS = 5_000;
const ROOM_SIZE = 20;

export interface EstateFileBenchOptions {
  components: number;
  /** New components applied in one transaction (a new building, ROOM_SIZE per room). */
  newComponents: number;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs `work`, sampling this process's RSS; returns its result, wall time and peak RSS. */
async function measured<T>(work: () => Promise<T> | T) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 20);
  const started = performance.now();
  try {
    const result = await work();
    sample();
    return { result, ms: performance.now() - started, peak, before };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A full collection between phases, so each phase's peak is its own and not the garbage of the
 * one before (the bench runs without `--expose-gc`: the flag is set here, at run time).
 */
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  })();

export async function benchEstateFile(options: EstateFileBenchOptions) {
  say(`estate-file: ${fmt(options.components)} components; ${machineLoad()}`);
  const stack = await startBenchStack("estate-file", 4);
  try {
    const db = stack.database.db;
    const meta = {
      requestId: randomUUID(),
      source: "cli" as const,
      actor: null,
      realActor: null,
      ip: null,
    };
    const boot = await unsafeBootstrapOwner({ db, meta, username: "bench-owner" });
    const owner = (await loadActor(db, boot.principalId))!;
    const seeded = await unsafeSeedLargeEstate({ db, components: options.components });
    say(
      `seeded ${seeded.campus}: ${fmt(seeded.rooms)} rooms, ${fmt(seeded.systems)} systems, ` +
        `${fmt(seeded.components)} components, ${fmt(seeded.members)} memberships in ${seconds(seeded.milliseconds)}`,
    );
    await db.execute("vacuum analyze" as never);
    gc();

    // 1. import: state → estate YAML.
    const imported = await measured(() => exportEstateFiles({ db, actor: owner, meta }));
    const files = imported.result.files;
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    say(
      `import: ${files.length} file(s), ${mib(bytes)} of YAML in ${seconds(imported.ms)}; ` +
        `peak RSS ${mib(imported.peak)} (from ${mib(imported.before)})`,
    );
    // ESTATE_FILE_DUMP=<dir>: the import written there (to profile the loader on its own).
    const dump = process.env.ESTATE_FILE_DUMP;
    if (dump) {
      for (const f of files) {
        mkdirSync(dirname(join(dump, f.path)), { recursive: true });
        writeFileSync(join(dump, f.path), f.content);
      }
      say(`  written to ${dump}`);
    }
    gc();

    // 2. plan of the import against the state: no changes.
    const planned = await measured(() =>
      createEstatePlan({ db, actor: owner, meta, input: { files } }),
    );
    const plan = planned.result;
    const planLine =
      `plan: ${plan.changes} change(s), ok ${plan.ok} in ${seconds(planned.ms)}; ` +
      `peak RSS ${mib(planned.peak)} (from ${mib(planned.before)})`;
    say(planLine);
    const importPlanMs = imported.ms + planned.ms;
    const peak = Math.max(imported.peak, planned.peak);
    gc();

    // The plan's steps apart (pure load, state read, diff), for where the time goes.
    const load = await measured(() =>
      loadEstate(files[0]!.path, readerOf(files.map((f) => ({ path: f.path, text: f.content })))),
    );
    const read = await measured(() => readEstateModel(db, owner));
    const diff = await measured(() =>
      planEstate(load.result, read.result.model, { baseRevision: "0", planner: owner.name }),
    );
    const write = await measured(() => exportEstate(read.result.model));
    say(
      `  of which: load (YAML with positions, checks, references) ${seconds(load.ms)}, ` +
        `read state (${read.result.statements} statements) ${seconds(read.ms)}, diff ${seconds(diff.ms)}; ` +
        `the import's write of the YAML ${seconds(write.ms)}`,
    );
    gc();

    // The raw baseline (ESTATE_FILE_BASELINE=1): `yaml` stringify + parse of the same objects,
    // nothing else. Off by default: at 100,000 components it alone takes minutes.
    let raw: { ms: number; peak: number } | null = null;
    if (process.env.ESTATE_FILE_BASELINE === "1") {
      const objects = exportableModel(read.result.model).objects;
      // `uniqueKeys: false` as the loader parses (it reports duplicates itself): yaml's own check
      // compares every key of a map with every other, quadratic in a 100,000-component section.
      raw = await measured(
        () => parseYaml(toYaml(objects), { uniqueKeys: false, maxAliasCount: 100 }) as unknown,
      );
      say(
        `baseline: yaml stringify + parse of the same ${fmt(Object.keys(objects).length)} objects ` +
          `${seconds(raw.ms)}; peak RSS ${mib(raw.peak)}`,
      );
      gc();
    }

    // 3. apply of N new components in one transaction: a new building of rooms.
    const applied = await applyPlan(options.newComponents);
    say(
      `apply: ${fmt(applied.counts.create)} creates (${fmt(options.newComponents)} components) in one transaction ` +
        `${seconds(applied.ms)} (plan of it ${seconds(applied.planMs)})`,
    );

    say("");
    say("| step | figure | goal |");
    say("| --- | --- | --- |");
    say(
      `| import + plan of ${fmt(options.components)} components | ${seconds(importPlanMs)} | ≤ ${seconds(GOAL_PLAN_MS)} ${importPlanMs <= GOAL_PLAN_MS ? "✓" : "✗"} |`,
    );
    say(
      `| peak RSS (this process) | ${mib(peak)} | ≤ ${mib(GOAL_PEAK_BYTES)} ${peak <= GOAL_PEAK_BYTES ? "✓" : "✗"} |`,
    );
    if (raw) say(`| yaml stringify + parse, same data | ${seconds(raw.ms)} | baseline |`);
    say(
      `| apply ${fmt(options.newComponents)} new components | ${seconds(applied.ms)} | ≤ ${seconds(GOAL_APPLY_MS)} ${applied.ms <= GOAL_APPLY_MS ? "✓" : "✗"} |`,
    );
    say(machineLoad());

    async function applyPlan(count: number) {
      // The applied import: the state is managed, the next plan changes only the new wing.
      await applyEstatePlan({ db, actor: owner, meta, id: plan.id });
      const rooms = Array.from(
        { length: Math.ceil(count / ROOM_SIZE) },
        (_, r) => `${seeded.campus}.new-wing.room-${r + 1}`,
      );
      const locations = [
        `  ${seeded.campus}.new-wing: { type: building, label: New wing }`,
        ...rooms.map((room) => `  ${room}: { type: room }`),
      ].join("\n");
      const components = rooms
        .flatMap((room, r) =>
          Array.from(
            { length: Math.min(ROOM_SIZE, count - r * ROOM_SIZE) },
            (_, i) =>
              `  ${room}.display-${i + 1}: { template: http-json-display@1, address: 10.${200 + (r >> 8)}.${r & 255}.${i + 1} }`,
          ),
        )
        .join("\n");
      const grown = files.map((f, i) =>
        i === 0
          ? {
              ...f,
              content: f.content
                .replace(/^locations:\n/m, `locations:\n${locations}\n`)
                .replace(/^components:\n/m, `components:\n${components}\n`),
            }
          : f,
      );
      const planStarted = performance.now();
      const next = await createEstatePlan({ db, actor: owner, meta, input: { files: grown } });
      const planMs = performance.now() - planStarted;
      if (!next.ok || next.changes !== count + rooms.length + 1)
        throw new Error(`the new wing planned ${next.changes} change(s), ok ${next.ok}`);
      const started = performance.now();
      const result = await applyEstatePlan({ db, actor: owner, meta, id: next.id });
      return { ...result, ms: performance.now() - started, planMs };
    }
  } finally {
    await stack.close();
  }
}
