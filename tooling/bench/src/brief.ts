/**
 * `pnpm bench brief`: the brief status read (readBriefStatus, the gateway function behind
 * `GET /api/v1/brief`) at the large estate (default 100,000 components) with `alarms` open
 * alarms (default 10,000) and a verdict for every component and system, scoped (an operator on
 * one building) and unscoped (an owner), against a raw-SQL baseline in the same run: one
 * hand-written statement counting the same things and reading the first five critical alarms.
 * Prints figures and ratios; never fails on wall-clock.
 */
import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@omniglass/contracts";
import {
  findAlarms,
  findComponents,
  findSystems,
  loadActor,
  readBriefStatus,
  readOperations,
  unsafeSeedLargeEstate,
  type Database,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { fmt, machineLoad, ms, say, startBenchStack, timed } from "./stack";

export interface BriefBenchOptions {
  components: number;
  alarms: number;
  iterations: number;
}

const GOAL_P95_MS = 100;
const INSTANCES = 5;

export async function benchBrief(options: BriefBenchOptions) {
  const stack = await startBenchStack("brief", 10);
  try {
    say(`brief bench; ${machineLoad()}`);
    const { db } = stack.database;
    say(`seeding ${fmt(options.components)} components…`);
    const seeded = await unsafeSeedLargeEstate({ db, components: options.components });
    say(`seeding ${fmt(options.alarms)} open alarms and a verdict for every component and system…`);
    await seedAlarmsAndHealth(db, options.alarms);
    await db.execute("vacuum analyze");
    // The first building holds the open alarms (they are seeded on the first components by path).
    const building = `${seeded.campus}.building-1`;
    const owner = await createTestPrincipal(stack.url, {
      name: "bench-owner",
      grants: [{ role: "owner" }],
    });
    const operator = await createTestPrincipal(stack.url, {
      name: "bench-operator",
      grants: [{ role: "operator", location: building }],
    });
    const actors = {
      all: (await loadActor(db, owner.id))!,
      scoped: (await loadActor(db, operator.id))!,
    };
    const meta = (): RequestMeta => ({
      requestId: randomUUID(),
      source: "rest",
      actor: null,
      realActor: null,
      ip: "127.0.0.1",
    });
    const read = (actor: typeof actors.all) =>
      readBriefStatus({ db, actor, meta: meta(), items: 5 });
    const sample = { all: await read(actors.all), scoped: await read(actors.scoped) };
    for (const [who, brief] of Object.entries(sample))
      say(
        `${who}: ${brief.tiles.map((t) => `${t.key} ${fmt(t.total)}${t.totalIsLowerBound ? "+" : ""}`).join(", ")}`,
      );
    const brief = {
      all: await timed(options.iterations, () => read(actors.all)),
      scoped: await timed(options.iterations, () => read(actors.scoped)),
    };
    const baseline = await timed(options.iterations, () => rawBaseline(db));
    say(
      `brief status (${sample.all.tiles.length} tiles, 5 items each): all p50 ${ms(brief.all.p50)} p95 ${ms(brief.all.p95)} p99 ${ms(brief.all.p99)}; scoped (operator on ${building}) p50 ${ms(brief.scoped.p50)} p95 ${ms(brief.scoped.p95)} p99 ${ms(brief.scoped.p99)}  goal p95 ≤ ${GOAL_P95_MS} ms`,
    );
    say(
      `raw-SQL baseline (one statement: the same counts unscoped, the first five critical alarms): p50 ${ms(baseline.p50)} p95 ${ms(baseline.p95)}; brief/baseline p95 all ${(brief.all.p95 / baseline.p95).toFixed(2)}, scoped ${(brief.scoped.p95 / baseline.p95).toFixed(2)}`,
    );
    // Where the time goes: each tile's read alone, unscoped (the same inputs the brief uses).
    const ctx = { db, actor: actors.all };
    const parts: [string, () => Promise<unknown>][] = [
      [
        "alarms (findAlarms)",
        () =>
          findAlarms({
            ...ctx,
            meta: meta(),
            input: {
              state: "open",
              severity: "critical",
              acknowledged: false,
              suppressed: false,
              page_size: 5,
              order_by: "-openedAt",
            },
          }),
      ],
      [
        "systems (findSystems ×2)",
        () =>
          Promise.all(
            ["outage", "degraded"].map((v) =>
              findSystems({
                ...ctx,
                meta: meta(),
                input: { filter: `health=${v}`, page_size: 5, order_by: "path" },
              }),
            ),
          ),
      ],
      [
        "components (findComponents health=unknown)",
        () =>
          findComponents({
            ...ctx,
            meta: meta(),
            input: { filter: "health=unknown", page_size: 5, order_by: "path" },
          }),
      ],
      ["collectors, workers, schedules (readOperations)", () => readOperations(ctx)],
    ];
    const each = Math.max(20, Math.floor(options.iterations / 4));
    for (const [name, run] of parts) {
      const t = await timed(each, run);
      say(`  ${name}: p50 ${ms(t.p50)} p95 ${ms(t.p95)}`);
    }
    say(`done; ${machineLoad()}`);
  } finally {
    await stack.close();
  }
}

/**
 * Open alarms over the first components (five instances each, severities in turn) and, set-based
 * as the health writer would leave them, a verdict for every component (outage with a critical
 * alarm, degraded with another, unknown otherwise: nothing polls the bench estate) and system
 * (outage or degraded when a member is, unknown otherwise).
 */
async function seedAlarmsAndHealth(db: Database, alarms: number) {
  const components = Math.ceil(alarms / INSTANCES);
  for (const severity of ["info", "warning", "critical"])
    await db.execute(`insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind, origin)
      values (uuidv7(), 'bench-${severity}', '${severity}', 'signals["cpu-load"] > 99', 0, 'all', 'custom')`);
  await db.execute(`
    with c as (select id, path, row_number() over (order by path) as n from component order by path limit ${components})
    insert into alarm (id, rule_id, owner_kind, component_id, instance, severity, summary, lifecycle,
      opened_at, fired_value, fired_sample_at)
    select uuidv7(), r.id, 'component', c.id, 'cpu-' || i, r.severity,
      r.name || ' on ' || c.path || ' [cpu-' || i || ']', 'open',
      now() - (c.n * ${INSTANCES} + i) * interval '1 second', '{"cpu-load": 100}'::jsonb,
      now() - (c.n * ${INSTANCES} + i) * interval '1 second'
    from c cross join generate_series(0, ${INSTANCES - 1}) as i
      join event_rule r on r.name = 'bench-' || (array['info','warning','critical'])[1 + ((c.n + i) % 3)]
    limit ${alarms}`);
  await db.execute(`
    insert into health (owner_id, owner_kind, component_id, verdict, since, explanation)
    select c.id, 'component', c.id, coalesce(a.verdict, 'unknown'), now() - interval '1 hour', 'bench'
    from component c left join (
      select component_id,
        case when bool_or(severity = 'critical') then 'outage' else 'degraded' end as verdict
      from alarm group by component_id) a on a.component_id = c.id`);
  await db.execute(`
    insert into health (owner_id, owner_kind, system_id, verdict, since, explanation)
    select s.id, 'system', s.id, coalesce(x.verdict, 'unknown'), now() - interval '1 hour', 'bench'
    from system s left join (
      select m.system_id,
        case when bool_or(h.verdict = 'outage') then 'outage' else 'degraded' end as verdict
      from system_member m join health h on h.owner_id = m.component_id
      where h.verdict in ('outage', 'degraded') group by m.system_id) x on x.system_id = s.id`);
}

/** What a hand-written brief would run: the counts in one statement, plus the first alarms. */
async function rawBaseline(db: Database) {
  return db.execute(`
    select
      (select count(*) from alarm where lifecycle = 'open' and severity = 'critical'
        and acknowledged_at is null and not suppressed) as alarms,
      (select count(*) from health where owner_kind = 'system' and verdict in ('outage', 'degraded')) as systems,
      (select count(*) from health where owner_kind = 'component' and verdict = 'unknown') as components,
      (select count(*) from node where enrolled_at is not null and (last_seen_at is null or last_seen_at < now() - interval '30 seconds')) as collectors,
      (select count(*) from delivery where status = 'dead') as deliveries,
      (select count(*) from estate_plan where status = 'pending') as plans,
      (select json_agg(a) from (select id, summary, opened_at from alarm where lifecycle = 'open'
        and severity = 'critical' and acknowledged_at is null and not suppressed
        order by opened_at desc, id desc limit 5) a) as first`);
}
