import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { OwnerKind, SampleValue, Samples, SamplesInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";

import { sample, series, signal } from "../schema";
import { resolveOwner } from "./owners";
import { ownerColumn } from "./values";
import type { GatewayContext } from "../kit";

/** Raw samples are answered up to this many; past it, points are bucketed by a step. */
export const MAX_RAW_POINTS = 1_000;
/** The step chosen when none is given: about this many points over the range. */
const TARGET_POINTS = 500;
const MAX_RANGE_MS = 400 * 86_400_000;
const MAX_STEPS = 10_000;

const invalid = (field: string, message: string, detail: string) =>
  new OmniglassError("INVALID", detail, { fieldErrors: [{ field, message }] });

/**
 * The history of one series of an owner (`<kind>:read` on it) over [from, to): raw samples when
 * at most 1,000 fall in the range and no step is asked, else one point per step — a metric's
 * mean, minimum, maximum and count, a property's last value and count.
 */
export async function getOwnerSamples({
  db,
  actor,
  kind,
  input,
}: GatewayContext & { kind: OwnerKind; input: SamplesInput }): Promise<Samples> {
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 3_600_000);
  if (from.getTime() >= to.getTime())
    throw invalid("from", "must be before `to`", "`from` must be before `to`.");
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw invalid("from", "at most 400 days before `to`", "The range is at most 400 days.");
  const owner = await resolveOwner(db, actor, kind, input.ref);
  const [found] = await db
    .select({ signal, seriesId: series.id })
    .from(signal)
    .leftJoin(
      series,
      and(
        eq(series.signalId, signal.id),
        eq(ownerColumn(kind), owner.id),
        eq(series.instance, input.instance),
      ),
    )
    .where(eq(signal.name, input.signal))
    .limit(1);
  if (!found)
    throw invalid("signal", "not a registered signal", `No signal named ${input.signal}.`);
  const metric = found.signal.lane === "metric";
  const answer = (step: number | null, points: Samples["points"]): Samples => ({
    signal: found.signal.name,
    instance: input.instance,
    unit: found.signal.unit,
    from: from.toISOString(),
    to: to.toISOString(),
    step,
    points,
  });
  if (found.seriesId === null) return answer(input.step ?? null, []);
  const inRange = and(eq(sample.seriesId, found.seriesId), gte(sample.ts, from), lt(sample.ts, to));
  if (input.step === undefined) {
    const raw = await db
      .select({ ts: sample.ts, num: sample.num, value: sample.value })
      .from(sample)
      .where(inRange)
      .orderBy(asc(sample.ts))
      .limit(MAX_RAW_POINTS + 1);
    if (raw.length <= MAX_RAW_POINTS)
      return answer(
        null,
        raw.map((r) => ({
          ts: r.ts.toISOString(),
          value: (metric ? r.num : r.value) as SampleValue,
          min: null,
          max: null,
          count: 1,
        })),
      );
  }
  const step =
    input.step ?? Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000 / TARGET_POINTS));
  if ((to.getTime() - from.getTime()) / 1000 / step > MAX_STEPS)
    throw invalid(
      "step",
      `at most ${MAX_STEPS} steps in the range`,
      `A step of ${step} s gives more than ${MAX_STEPS} points over this range; take a longer step.`,
    );
  const bucket = sql<number>`floor(extract(epoch from ${sample.ts}) / ${step})::bigint * ${step}`;
  const points = metric
    ? (
        await db
          .select({
            bucket,
            value: sql<number>`avg(${sample.num})`,
            min: sql<number>`min(${sample.num})`,
            max: sql<number>`max(${sample.num})`,
            count: sql<number>`count(*)::int`,
          })
          .from(sample)
          .where(inRange)
          .groupBy(sql`1`)
          .orderBy(sql`1`)
      ).map((r) => ({
        ts: new Date(Number(r.bucket) * 1000).toISOString(),
        value: Number(r.value),
        min: Number(r.min),
        max: Number(r.max),
        count: r.count,
      }))
    : (
        await db
          .select({
            bucket,
            value: sql<unknown>`(array_agg(${sample.value} order by ${sample.ts} desc))[1]`,
            count: sql<number>`count(*)::int`,
          })
          .from(sample)
          .where(inRange)
          .groupBy(sql`1`)
          .orderBy(sql`1`)
      ).map((r) => ({
        ts: new Date(Number(r.bucket) * 1000).toISOString(),
        value: r.value as SampleValue,
        min: null,
        max: null,
        count: r.count,
      }));
  return answer(step, points);
}
