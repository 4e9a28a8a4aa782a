/**
 * `pnpm bench alarms`, part 2: with `options.alarms` open alarms, the alarm list page (scoped and
 * unscoped), one acknowledge and a bulk acknowledge of 1,000, through the gateway's own functions
 * (findAlarms, acknowledgeAlarm, acknowledgeAlarms). Prints figures; never fails on wall-clock.
 */
import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@omniglass/contracts";
import {
  acknowledgeAlarm,
  acknowledgeAlarms,
  findAlarms,
  loadActor,
  unsafeSeedLargeEstate,
  type Database,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import type { AlarmsBenchOptions } from "./alarms";
import { fmt, ms, say, timed, type BenchStack } from "./stack";

const GOALS = { listP95: 100, ratio: 1.5, ackP95: 50, bulkMs: 2000 };
const INSTANCES = 5;

/** Part 2: the alarm list, one acknowledge and a bulk acknowledge over `options.alarms` open alarms. */
export async function alarmQueue(stack: BenchStack, options: AlarmsBenchOptions) {
  const { db } = stack.database;
  const components = Math.ceil(options.alarms / INSTANCES);
  say(`seeding ${fmt(components)} components and ${fmt(options.alarms)} open alarms…`);
  const seeded = await unsafeSeedLargeEstate({ db, components });
  await seedOpenAlarms(db, components, options.alarms);
  await db.execute("vacuum analyze");

  const building = `${seeded.campus}.building-${seeded.buildings}`;
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
  const input = {
    page_size: 100,
    order_by: "-openedAt" as const,
    state: "open" as const,
    severity: "critical" as const,
  };
  const list = {
    all: await timed(options.iterations, () =>
      findAlarms({ db, actor: actors.all, meta: meta(), input }),
    ),
    scoped: await timed(options.iterations, () =>
      findAlarms({ db, actor: actors.scoped, meta: meta(), input }),
    ),
  };
  const firstPage = await findAlarms({ db, actor: actors.scoped, meta: meta(), input });
  say(
    `list page (100 rows, state=open, severity=critical): all p50 ${ms(list.all.p50)} p95 ${ms(list.all.p95)}; scoped (operator on ${building}, ${firstPage.items.length} rows) p50 ${ms(list.scoped.p50)} p95 ${ms(list.scoped.p95)}; scoped/all ${(list.scoped.p95 / list.all.p95).toFixed(2)}  goal p95 ≤ ${GOALS.listP95} ms, ratio ≤ ${GOALS.ratio}`,
  );

  const ids = (
    await db.execute(
      `select id from alarm where lifecycle = 'open' and acknowledged_at is null order by id limit ${options.iterations + 10 + 1000}`,
    )
  ).rows.map((r) => (r as { id: string }).id);
  const one = await timed(options.iterations, (i) =>
    acknowledgeAlarm({
      db,
      actor: actors.all,
      meta: meta(),
      input: { id: ids[i]!, comment: "bench: on it" },
    }),
  );
  say(
    `acknowledge one (audited): p50 ${ms(one.p50)} p95 ${ms(one.p95)} p99 ${ms(one.p99)} over ${options.iterations}  goal p95 ≤ ${GOALS.ackP95} ms`,
  );
  const bulkIds = ids.slice(options.iterations + 10, options.iterations + 10 + 1000);
  const t = performance.now();
  const bulk = await acknowledgeAlarms({
    db,
    actor: actors.all,
    meta: meta(),
    input: { ids: bulkIds, comment: "bench: bulk" },
  });
  const bulkMs = performance.now() - t;
  say(
    `bulk acknowledge of ${bulk.acknowledged}: ${ms(bulkMs)} (one audit row and one event each)  goal ≤ ${GOALS.bulkMs} ms`,
  );
}

/** Open alarms spread over the estate's components, instances and severities (rules per severity). */
async function seedOpenAlarms(db: Database, components: number, alarms: number) {
  for (const severity of ["info", "warning", "critical"])
    await db.execute(`insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind, origin)
      values (uuidv7(), 'bench-${severity}', '${severity}', 'signals["cpu-load"] > 99', 0, 'all', 'custom')`);
  await db.execute(`
    with c as (select id, path, row_number() over (order by path) as n from component limit ${components}),
    a as (
      insert into alarm (id, rule_id, owner_kind, component_id, instance, severity, summary, lifecycle,
        opened_at, fired_value, fired_sample_at)
      select uuidv7(), r.id, 'component', c.id, 'cpu-' || i, r.severity,
        r.name || ' on ' || c.path || ' [cpu-' || i || ']', 'open',
        now() - (c.n * ${INSTANCES} + i) * interval '1 second', '{"cpu-load": 100}'::jsonb,
        now() - (c.n * ${INSTANCES} + i) * interval '1 second'
      from c cross join generate_series(0, ${INSTANCES - 1}) as i
        join event_rule r on r.name = 'bench-' || (array['info','warning','critical'])[1 + ((c.n + i) % 3)]
      limit ${alarms}
      returning id, opened_at, fired_value, fired_sample_at
    )
    insert into alarm_event (alarm_id, seq, kind, at, value, sample_at)
    select id, 1, 'fired', opened_at, fired_value, fired_sample_at from a`);
}
