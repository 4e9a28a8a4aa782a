import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type {
  CurrentValue,
  Freshness,
  OwnerKind,
  OwnerValues,
  OwnerValuesInput,
  TemplateDocument,
} from "@omniglass/contracts";
import { signalsOf } from "@omniglass/domain";

import { series, signal, template } from "../schema";
import { resolveOwner } from "./owners";
import type { GatewayContext } from "../kit";

/** The column of the series' exclusive arc for an owner kind. */
export function ownerColumn(kind: OwnerKind) {
  return kind === "component"
    ? series.componentId
    : kind === "system"
      ? series.systemId
      : series.locationId;
}

type SeriesRow = typeof series.$inferSelect;

/**
 * The state of a current value when read: the stored state, or stale already if its `stale_at`
 * has passed before the clock marked it (then stale since `stale_at`).
 */
export function freshnessAt(
  row: Pick<SeriesRow, "state" | "stateSince" | "staleAt" | "ts">,
  now: Date,
): { state: Freshness; since: Date | null } {
  if (!row.ts || !row.state) return { state: "unknown", since: null };
  if (row.state === "fresh" && row.staleAt && row.staleAt.getTime() <= now.getTime())
    return { state: "stale", since: row.staleAt };
  return { state: row.state, since: row.stateSince };
}

/**
 * The current values of an owner (`<kind>:read` on it): every series it has, with age and
 * freshness; for a component also the signals its template declares but never seen (`unknown`).
 */
export async function getOwnerValues({
  db,
  actor,
  kind,
  input,
}: GatewayContext & { kind: OwnerKind; input: OwnerValuesInput }): Promise<OwnerValues> {
  const owner = await resolveOwner(db, actor, kind, input.ref);
  const bySignal = input.signal ? eq(signal.name, input.signal) : undefined;
  const [rows, pinned] = await Promise.all([
    db
      .select({ series, signal })
      .from(series)
      .innerJoin(signal, eq(signal.id, series.signalId))
      .where(and(eq(ownerColumn(kind), owner.id), bySignal))
      .orderBy(asc(signal.name), asc(series.instance)),
    owner.templateId
      ? db
          .select({ document: template.document })
          .from(template)
          .where(eq(template.id, owner.templateId))
      : Promise.resolve([]),
  ]);
  const now = new Date();
  const values: CurrentValue[] = rows.map(({ series: s, signal: g }) => {
    const { state, since } = freshnessAt(s, now);
    return {
      signal: g.name,
      label: g.label,
      lane: g.lane,
      unit: g.unit,
      precision: g.precision,
      instance: s.instance,
      value: (s.value ?? null) as CurrentValue["value"],
      ts: s.ts?.toISOString() ?? null,
      ageSeconds: s.ts ? Math.max(0, (now.getTime() - s.ts.getTime()) / 1000) : null,
      expectedIntervalSeconds: s.expectedIntervalMs === null ? null : s.expectedIntervalMs / 1000,
      state,
      stateSince: since?.toISOString() ?? null,
      provenance: s.provenance,
    };
  });
  const document = pinned[0]?.document as TemplateDocument | undefined;
  if (document) {
    const seen = new Set(values.map((v) => v.signal));
    const declared = signalsOf(document).filter(
      (p) => !seen.has(p.signal) && (!input.signal || p.signal === input.signal),
    );
    if (declared.length > 0) {
      const names: SQL = inArray(
        signal.name,
        declared.map((d) => d.signal),
      );
      const catalog = new Map(
        (await db.select().from(signal).where(names)).map((g) => [g.name, g]),
      );
      for (const d of declared) {
        const g = catalog.get(d.signal);
        values.push({
          signal: d.signal,
          label: g?.label ?? d.signal,
          lane: g?.lane ?? "property",
          unit: g?.unit ?? null,
          precision: g?.precision ?? null,
          instance: "",
          value: null,
          ts: null,
          ageSeconds: null,
          expectedIntervalSeconds: d.intervalMs / 1000,
          state: "unknown",
          stateSince: null,
          provenance: null,
        });
      }
      values.sort((a, b) =>
        a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : a.instance < b.instance ? -1 : 1,
      );
    }
  }
  return {
    owner: { kind, id: owner.id, path: owner.path },
    at: now.toISOString(),
    values,
  };
}
