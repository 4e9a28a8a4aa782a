import { cellClass, Muted, mutedClass, Table } from "~/ui/controls";
import {
  artifactOf,
  byLocation,
  shortId,
  SIGN,
  valueText,
  type PlanDetail,
  type PlannedChange,
  type Reversibility,
} from "./plan-format";

/** At most this many changes are drawn per page (the artifact has them all: `estate show --json`). */
const MAX_SHOWN = 500;

const TIER: Record<Reversibility, string> = {
  reversible: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  recoverable: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  irreversible: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
};

/** The reversibility tier as a word with its colour (the word always there). */
function TierBadge({ tier }: { tier: Reversibility }) {
  return (
    <span
      data-testid="tier"
      data-tier={tier}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${TIER[tier]}`}
    >
      {tier}
    </span>
  );
}

/** What a change touches: its dependents (first ones named), rules, grants, alarms, health. */
function BlastRadius({ change }: { change: PlannedChange }) {
  const b = change.blastRadius;
  const parts = [
    b.dependentCount > 0
      ? `${b.dependentCount} dependent${b.dependentCount === 1 ? "" : "s"}`
      : null,
    b.rules > 0 ? `${b.rules} rule${b.rules === 1 ? "" : "s"}` : null,
    b.grants > 0 ? `${b.grants} grant${b.grants === 1 ? "" : "s"}` : null,
    b.alarms ? `${b.alarms} open alarm${b.alarms === 1 ? "" : "s"}` : null,
    b.health ? `${b.health} health verdict${b.health === 1 ? "" : "s"}` : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return <Muted>nothing else</Muted>;
  return (
    <span data-testid="blast-radius" title={b.dependents.join("\n")}>
      {parts.join(", ")}
      {b.dependents.length > 0 ? (
        <span className={`block text-xs ${mutedClass}`}>
          {b.dependents.slice(0, 3).join(", ")}
          {b.dependentCount > 3 ? ", …" : ""}
        </span>
      ) : null}
    </span>
  );
}

function ChangeRow({ change }: { change: PlannedChange }) {
  return (
    <tr data-testid="plan-change" data-address={change.address} data-operation={change.operation}>
      <td className={`${cellClass} font-mono`} aria-label={change.operation}>
        {SIGN[change.operation]} {change.operation}
        {change.adopt ? <Muted className="block text-xs">adopts</Muted> : null}
      </td>
      <td className={`${cellClass} break-all font-mono text-xs`}>{change.address}</td>
      <td className={cellClass}>
        {change.fields.length === 0 ? (
          <Muted>{change.reason}</Muted>
        ) : (
          <ul className="flex flex-col gap-0.5 text-xs">
            {change.fields.map((f) => (
              <li key={f.path} data-testid="field-change">
                <code>{f.path}</code>:{" "}
                <span className="text-red-800 line-through dark:text-red-300">
                  {valueText(f.before)}
                </span>{" "}
                →{" "}
                <span className="text-emerald-800 dark:text-emerald-300">{valueText(f.after)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className={cellClass}>
        <TierBadge tier={change.reversibility} />
        {change.approvalsRequired.length > 0 ? (
          <span className="mt-1 block text-xs text-amber-800 dark:text-amber-300">
            needs approval ({change.approvalsRequired.join(", ")})
          </span>
        ) : null}
      </td>
      <td className={`${cellClass} text-xs`}>
        <BlastRadius change={change} />
      </td>
    </tr>
  );
}

/** The changes grouped by location, each with before/after, tier and blast radius. */
export function Changes({ plan }: { plan: PlanDetail }) {
  const artifact = artifactOf(plan);
  const shown = artifact.changes.slice(0, MAX_SHOWN);
  if (artifact.changes.length === 0)
    return (
      <p className={`text-sm ${mutedClass}`} data-testid="no-changes">
        No changes: the state already is what the files say
        {artifact.adopt.length > 0
          ? ` (applying adopts ${artifact.adopt.length} unmanaged object(s) the files declare as they are)`
          : ""}
        .
      </p>
    );
  return (
    <div className="flex flex-col gap-4">
      {artifact.changes.length > MAX_SHOWN ? (
        <p className={`text-sm ${mutedClass}`}>
          Showing the first {MAX_SHOWN} of {artifact.changes.length} changes (the whole plan:{" "}
          <code>pnpm omniglass estate show {shortId(plan.id)} --json</code>).
        </p>
      ) : null}
      {byLocation(shown).map(([location, changes]) => (
        <section
          key={location ?? "(platform)"}
          aria-label={`Changes at ${location ?? "the platform"}`}
          data-testid="change-group"
          data-location={location ?? ""}
          className="flex flex-col gap-1"
        >
          <h3 className="font-mono text-sm font-semibold">
            {location ?? "(the platform)"}{" "}
            <Muted className="font-sans font-normal">
              {changes.length} change{changes.length === 1 ? "" : "s"}
            </Muted>
          </h3>
          <Table head={["Operation", "Object", "Fields (before → after)", "Tier", "Blast radius"]}>
            {changes.map((c) => (
              <ChangeRow key={`${c.operation} ${c.address}`} change={c} />
            ))}
          </Table>
        </section>
      ))}
    </div>
  );
}

/** The summary by location: counts by operation per location, as the plan counts them. */
export function ByLocation({ plan }: { plan: PlanDetail }) {
  const rows = artifactOf(plan).summary.byLocation;
  if (rows.length === 0) return null;
  return (
    <Table head={["Location", "Create", "Update", "Replace", "Delete"]}>
      {rows.map((r) => (
        <tr key={r.location ?? ""} data-testid="location-count" data-location={r.location ?? ""}>
          <td className={`${cellClass} font-mono text-xs`}>{r.location ?? "(the platform)"}</td>
          <td className={cellClass}>{r.create || <Muted>0</Muted>}</td>
          <td className={cellClass}>{r.update || <Muted>0</Muted>}</td>
          <td className={cellClass}>{r.replace || <Muted>0</Muted>}</td>
          <td className={cellClass}>{r.delete || <Muted>0</Muted>}</td>
        </tr>
      ))}
    </Table>
  );
}
