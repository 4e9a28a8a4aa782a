/**
 * `pnpm bench ingest`: samples per second through the real path (SampleBatch → JetStream → the
 * worker's ingest code → PostgreSQL), against a raw COPY of the same rows into the same table, on a
 * throwaway embedded PostgreSQL and nats-server. Prints figures; never fails on wall-clock.
 *
 * `--rules`: the same path with the official rules off and on, alternated in one run (the switch
 * template's rules judge every bench series: `cpu-high` reads cpu-load), and their ratio.
 */
import { SampleBatch } from "@omniglass/contracts";
import {
  unsafeCopySamplesForBench,
  unsafeSeedPolledComponents,
  unsafeSeriesIdsForBench,
  unsafeTruncateSamplesForBench,
  type PolledEstate,
} from "@omniglass/gateway";
import { fmt, machineLoad, say, startBenchStack, type BenchStack } from "./stack";
import { runIngestPhase, type PhaseResult } from "./ingest-phase";

export interface IngestBenchOptions {
  samples: number;
  batch: number;
  components: number;
  /** Alternate rules off and on, `rounds` times each. */
  rules: boolean;
  rounds: number;
}

const INSTANCES = 10;
const GOAL_RATE = 100_000;
const GOAL_RATIO = 0.5;
const GOAL_RULES_RATIO = 0.8;
/** With --rules, sample time moves 10 s per pass over the series: a phase spans > 10 min. */
const RULES_STEP_MS = 10_000;

interface Workload {
  series: number;
  total: number;
  payloads: SampleBatch[];
  rows(ids: Map<string, number>): { seriesId: number; ts: number; num: number }[];
}

/**
 * Sample i: series i % series, at base + floor(i / series) × step: unique (series, ts). A
 * series' value is fixed by its number ((s % 1000) / 10: a tenth of them above cpu-high's 90),
 * except every hundredth, which alternates 95 / 50 from one pass to the next (it moves its
 * episode pending ↔ ok on every sample when rules are on).
 */
function workload(
  options: IngestBenchOptions,
  estate: PolledEstate,
  { base, stepMs, prefix }: { base: number; stepMs: number; prefix: string },
): Workload {
  const series = options.components * INSTANCES;
  const batches = Math.ceil(options.samples / options.batch);
  const total = batches * options.batch;
  const sampleAt = (i: number) => {
    const s = i % series;
    const pass = Math.floor(i / series);
    return {
      component: estate.componentIds[Math.floor(s / INSTANCES)]!,
      instance: `cpu-${s % INSTANCES}`,
      ts: base + pass * stepMs,
      value: stepMs > 1 && s % 100 === 0 ? (pass % 2 === 0 ? 95 : 50) : (s % 1000) / 10,
    };
  };
  const payloads: SampleBatch[] = [];
  for (let b = 0; b < batches; b++) {
    const samples = [];
    for (let i = b * options.batch; i < (b + 1) * options.batch; i++)
      samples.push({ ...sampleAt(i), signal: "cpu-load" });
    payloads.push(
      SampleBatch.parse({
        node: estate.nodeId,
        batchId: `${prefix}-${b}`,
        samples,
        rejections: [],
      }),
    );
  }
  return {
    series,
    total,
    payloads,
    rows: (ids) =>
      Array.from({ length: total }, (_, i) => {
        const s = sampleAt(i);
        return { seriesId: ids.get(`${s.component}|${s.instance}`)!, ts: s.ts, num: s.value };
      }),
  };
}

const perK = (ms: number, total: number) => ((ms / total) * 1000).toFixed(1);

function printPhase(label: string, r: PhaseResult, total: number) {
  say(
    `${label}: ${fmt(r.rate)} samples/s end to end (${(r.e2eMs / 1000).toFixed(2)} s); CPU per 1,000 samples node ${perK(r.cpu.node, total)} ms, postgres ${perK(r.cpu.pg, total)} ms, nats ${perK(r.cpu.nats, total)} ms; publish → commit p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms; ${r.load}`,
  );
}

async function setRules(stack: BenchStack, enabled: boolean) {
  await stack.database.db.execute(
    `update event_rule set enabled = ${enabled ? "true" : "false"}, updated_at = now()`,
  );
}

export async function benchIngest(options: IngestBenchOptions) {
  const stack = await startBenchStack("ingest");
  try {
    const { db } = stack.database;
    const estate = await unsafeSeedPolledComponents(db, {
      name: "bench-ingest",
      components: options.components,
    });
    const series = options.components * INSTANCES;
    const batches = Math.ceil(options.samples / options.batch);
    say(
      `${(batches * options.batch).toLocaleString("en")} samples per phase in ${batches} batches of ${options.batch}, over ${series} series (cpu-load × ${INSTANCES} instances × ${options.components} components); ${machineLoad()}`,
    );

    let last: Workload | null = null;
    let lastRate = NaN;
    if (!options.rules) {
      last = workload(options, estate, { base: Date.now() - 60 * 60_000, stepMs: 1, prefix: "b" });
      const r = await runIngestPhase(stack, last);
      lastRate = r.rate;
      say(`published in ${(r.publishedMs / 1000).toFixed(2)} s`);
      say(
        `end to end (publish → JetStream → ingest → commit): ${fmt(r.rate)} samples/s (${(r.e2eMs / 1000).toFixed(2)} s)  goal ≥ ${fmt(GOAL_RATE)}`,
      );
      printPhase("this run", r, last.total);
    } else {
      // Phases in sample time, oldest first, each past the sustain of cpu-high (10 min).
      const passes = Math.ceil((batches * options.batch) / series);
      const span = passes * RULES_STEP_MS + 60_000;
      const phases = 1 + 2 * options.rounds;
      const start = Date.now() - phases * span - 5 * 60_000;
      const figures = { off: [] as PhaseResult[], on: [] as PhaseResult[] };
      say(
        `rules: ${passes} passes over the series, ${RULES_STEP_MS / 1000} s of sample time apart; a tenth of the series above 90 (cpu-high pending, then firing after 10 min), every hundredth alternating 95/50 (its episode moves on every sample), the rest steady`,
      );
      for (let p = 0; p < phases; p++) {
        const rulesOn = p === 0 || p % 2 === 0;
        await setRules(stack, rulesOn);
        last = workload(options, estate, {
          base: start + p * span,
          stepMs: RULES_STEP_MS,
          prefix: `p${p}`,
        });
        const r = await runIngestPhase(stack, last);
        lastRate = r.rate;
        const label =
          p === 0 ? "warm-up (rules on, not counted)" : `rules ${rulesOn ? "on " : "off"}`;
        printPhase(label, r, last.total);
        if (p > 0) figures[rulesOn ? "on" : "off"].push(r);
      }
      const best = (list: PhaseResult[]) => Math.max(...list.map((r) => r.rate));
      const mean = (list: PhaseResult[]) => list.reduce((a, r) => a + r.rate, 0) / list.length;
      const [off, on] = [best(figures.off), best(figures.on)];
      const counts = await db.execute(
        `select (select count(*) from alarm where lifecycle = 'open')::int as open,
           (select count(*) from rule_episode)::int as episodes`,
      );
      const { open, episodes } = counts.rows[0] as { open: number; episodes: number };
      say(
        `rules off: best ${fmt(off)} samples/s (mean ${fmt(mean(figures.off))}); rules on: best ${fmt(on)} (mean ${fmt(mean(figures.on))}); on / off ${((on / off) * 100).toFixed(0)}% (means ${((mean(figures.on) / mean(figures.off)) * 100).toFixed(0)}%)  goal ≥ ${GOAL_RULES_RATIO * 100}% and ≥ ${fmt(GOAL_RATE)}/s`,
      );
      say(`rules judged: ${open} alarms open, ${episodes} episode rows (of ${series} series)`);
    }

    // The raw baseline: the last phase's rows, COPYed into the same (emptied) table.
    if (!last) throw new Error("no phase ran");
    const ids = await unsafeSeriesIdsForBench(db, {
      componentIds: estate.componentIds,
      signal: "cpu-load",
    });
    await unsafeTruncateSamplesForBench(db);
    const copyMs = await unsafeCopySamplesForBench(db, last.rows(ids));
    const copyRate = last.total / (copyMs / 1000);
    say(
      `raw COPY of the same rows: ${fmt(copyRate)} samples/s (${(copyMs / 1000).toFixed(2)} s); last phase e2e / COPY ${((lastRate / copyRate) * 100).toFixed(0)}%  goal ≥ ${GOAL_RATIO * 100}%`,
    );
    say(`done; ${machineLoad()}`);
  } finally {
    await stack.close();
  }
}
