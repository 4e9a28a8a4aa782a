import { cmp } from "./diagnostics";
import { sortKeys, type ObjectKind } from "./model";
import type { OperationCounts, PlanSummary, PlannedChange } from "./plan-types";

export function summarize(
  changes: PlannedChange[],
  adopt: number,
  release: number,
  unmanaged: number,
): PlanSummary {
  const zero = (): OperationCounts => ({ create: 0, update: 0, replace: 0, delete: 0 });
  const total = zero();
  const byKind: Partial<Record<ObjectKind, OperationCounts>> = {};
  const byLocation = new Map<string | null, OperationCounts>();
  let irreversible = 0;
  let recoverable = 0;
  let approvals = 0;
  for (const c of changes) {
    total[c.operation]++;
    (byKind[c.kind] ??= zero())[c.operation]++;
    if (!byLocation.has(c.location)) byLocation.set(c.location, zero());
    byLocation.get(c.location)![c.operation]++;
    if (c.reversibility === "irreversible") irreversible++;
    if (c.reversibility === "recoverable") recoverable++;
    if (c.approvalsRequired.length > 0) approvals++;
  }
  return {
    changes: changes.length,
    ...total,
    irreversible,
    recoverable,
    approvalsRequired: approvals,
    adopt,
    release,
    unmanaged,
    byKind: sortKeys(byKind),
    byLocation: [...byLocation.entries()]
      .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : cmp(a, b)))
      .map(([location, counts]) => ({ location, ...counts })),
  };
}
