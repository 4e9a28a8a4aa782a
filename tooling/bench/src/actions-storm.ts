/**
 * `pnpm bench actions`, part (b): a storm of transitions — roots (a collector down), each
 * followed by its dependents (the components it polls, half in each of two systems) — offered at
 * a steady rate, and what the receiver got: every transition at a `suppressed: any` "firehose",
 * the roots and the grouped alarm.storm summaries at a default-rule "pager".
 */
import {
  COLLECTOR_DOWN_RULE_ID,
  openAlarm,
  unsafeEnsureCollectorRule,
  unsafeSeedPolledComponents,
  type Transaction,
} from "@omniglass/gateway";
import { query, sleep, stats, type Receiver } from "./actions-receiver";
import type { BenchStack } from "./stack";

/** Dependents per root in the storm (a root and its dependents: this many + 1 transitions). */
export const DEPENDENTS_PER_ROOT = 99;
/** Concurrent writer transactions of the storm's dependents. */
const WRITERS = 4;

export interface StormOptions {
  storm: number;
  stormSeconds: number;
  /**
   * true: the dependents are written directly as dependency suppression writes them (held, the
   * poller link, their fired event in one statement) instead of through openAlarm — the act
   * pipeline alone, without the writer's own cost.
   */
  directWrites: boolean;
}

interface Planned {
  root: number;
  node: string | null;
  component: string | null;
  system: string;
  /** The component's path, or the node's name. */
  path: string;
}

/**
 * `directWrites`: the dependents as dependency suppression writes them — open, held by the
 * root (the poller link) — with their fired event, in one statement; the outbox trigger
 * snapshots them held.
 */
async function writeHeld(
  tx: Transaction,
  ruleId: string,
  dependents: Planned[],
  root: (p: Planned) => { alarmId: string; node: string },
) {
  const since = new Date().toISOString();
  const suppression = (p: Planned) =>
    JSON.stringify({
      since,
      windows: [],
      silences: [],
      root: {
        alarmId: root(p).alarmId,
        owner: { kind: "node", path: root(p).node },
        rule: "collector-down",
        links: [
          {
            via: "poller",
            from: p.path,
            to: root(p).node,
            reason: `polled by ${root(p).node}`,
            system: null,
            role: null,
          },
        ],
      },
    });
  const list = (values: string[]) =>
    `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")}]`;
  const rows = (
    await tx.execute(
      `with d as (
         select * from unnest(${list(dependents.map((p) => p.component!))}::uuid[],
           ${list(dependents.map((p) => root(p).alarmId))}::uuid[],
           ${list(dependents.map(suppression))}::jsonb[]) as d(component, root, suppression)
       ), opened as (
         insert into alarm (id, rule_id, owner_kind, component_id, instance, severity, summary,
           lifecycle, opened_at, suppressed, suppression, root_alarm_id)
         select uuidv7(), '${ruleId}', 'component', d.component, '', 'warning',
           'unreachable (bench)', 'open', now(), true, d.suppression, d.root
         from d returning id, component_id
       ), events as (
         insert into alarm_event (alarm_id, seq, kind, at) select id, 1, 'fired', now() from opened
       )
       select id, component_id from opened`,
    )
  ).rows as { id: string; component_id: string }[];
  return new Map(rows.map((r) => [r.component_id, r.id]));
}

/** (b) the storm: roots, each followed by its dependents held by it, paced over the duration. */
export async function storm(
  stack: BenchStack,
  ruleId: string,
  options: StormOptions,
  receiver: Receiver,
) {
  const { db } = stack.database;
  // Only what arrives from here on counts.
  const from = receiver.arrivals.length;
  const arrivals = () => receiver.arrivals.slice(from);
  const perRoot = DEPENDENTS_PER_ROOT + 1;
  const roots = Math.max(1, Math.round(options.storm / perRoot));
  const total = roots * perRoot;
  // Each root is a collector (node) down; its dependents are the components it polls, held by
  // dependency suppression (the poller link) when they open. Two systems per root; its
  // components are primary members of one or the other, alternately.
  await unsafeEnsureCollectorRule(db);
  const [type] = await query<{ id: string }>(
    db,
    `select id from system_type where name = 'meeting-room'`,
  );
  const plan: Planned[] = [];
  for (let r = 0; r < roots; r++) {
    const estate = await unsafeSeedPolledComponents(db, {
      name: `storm-${r}`,
      components: DEPENDENTS_PER_ROOT,
    });
    await query(
      db,
      `insert into system (id, name, type_id, location_id, path)
       select uuidv7(), s, $1, $2, $3 || '.' || s from unnest(array['north-av', 'south-av']) s`,
      [type!.id, estate.locationId, `storm-${r}`],
    );
    const systemOf = (i: number) => `storm-${r}.${i % 2 === 0 ? "north-av" : "south-av"}`;
    await query(
      db,
      `insert into system_member (system_id, component_id, is_primary)
       select s.id, m.c, true from unnest($1::uuid[], $2::text[]) as m(c, path)
       join system s on s.path = m.path`,
      [estate.componentIds, estate.componentIds.map((_, i) => systemOf(i))],
    );
    plan.push({
      root: r,
      node: estate.nodeId,
      component: null,
      system: "",
      path: `storm-${r}-node`,
    });
    estate.componentIds.forEach((c, i) =>
      plan.push({
        root: r,
        node: null,
        component: c,
        system: systemOf(i),
        path: `storm-${r}.device-${i + 1}`,
      }),
    );
  }

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
    // Each tick: the roots due now in one transaction, then the dependents in WRITERS
    // concurrent transactions (like ingest batches on several workers), each opened by
    // openAlarm, which decides its suppression in its own transaction.
    const open = async (batch: typeof plan) => {
      if (batch.length === 0) return;
      const written = await db.transaction(async (tx) => {
        const opened: { key: string; root: boolean; group: string | null }[] = [];
        if (options.directWrites && batch.every((p) => p.node === null)) {
          const ids = await writeHeld(tx, ruleId, batch, (p) => ({
            alarmId: rootAlarm.get(p.root)!,
            node: `storm-${p.root}-node`,
          }));
          for (const p of batch)
            opened.push({
              key: `${ids.get(p.component!)}/1`,
              root: false,
              group: `${rootAlarm.get(p.root)}/${p.system}`,
            });
          return opened;
        }
        for (const p of batch) {
          const change = await openAlarm(
            tx,
            p.node
              ? {
                  ruleId: COLLECTOR_DOWN_RULE_ID,
                  owner: { kind: "node", id: p.node },
                  instance: "",
                }
              : { ruleId, owner: { kind: "component", id: p.component! }, instance: "" },
            {
              openedAt: Date.now(),
              sampleAt: Date.now(),
              value: { reachable: false },
              severity: p.node ? "critical" : "warning",
              summary: p.node ? "collector down (bench)" : "unreachable (bench)",
              flapWindowMs: 60_000,
              flapThreshold: 10,
            },
          );
          if (p.node) rootAlarm.set(p.root, change!.alarmId);
          opened.push({
            key: `${change!.alarmId}/1`,
            root: p.node !== null,
            group: p.node ? null : `${rootAlarm.get(p.root)}/${p.system}`,
          });
        }
        return opened;
      });
      const at = performance.now();
      for (const w of written) {
        committed.set(w.key, at);
        if (w.root) rootKeys.add(w.key);
        if (w.group && !groupFirst.has(w.group)) groupFirst.set(w.group, at);
      }
    };
    await open(items.filter((p) => p.node !== null));
    const dependents = items.filter((p) => p.node === null);
    await Promise.all(
      Array.from({ length: WRITERS }, (_, w) =>
        open(dependents.filter((_, i) => i % WRITERS === w)),
      ),
    );
  }
  const offeredSeconds = (performance.now() - started) / 1000;
  // Dependents dependency suppression did not hold (each would page on its own).
  const [loose] = await query<{ n: number }>(
    db,
    `select count(*)::int as n from alarm where rule_id = $1 and not suppressed
      and component_id in (select c.id from component c where c.path like 'storm-%')`,
    [ruleId],
  );

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
    notHeld: loose!.n,
    held: lagOf(
      [...committed.keys()].filter((k) => !rootKeys.has(k)),
      pager,
    ).length,
  };
}
