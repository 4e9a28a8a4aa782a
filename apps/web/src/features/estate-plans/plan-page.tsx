"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  Loading,
  Muted,
  mutedClass,
  PageHeader,
  Table,
} from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import {
  approvalsText,
  artifactOf,
  byLocation,
  countsLine,
  isOpen,
  refusalOf,
  shortId,
  SIGN,
  valueText,
  type ApplyResult,
  type PlanDetail,
  type PlannedChange,
  type Refusal,
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
function Changes({ plan }: { plan: PlanDetail }) {
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
function ByLocation({ plan }: { plan: PlanDetail }) {
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

/** A refused apply or approval, with every reason the server gave. */
function RefusalNotice({ refusal }: { refusal: Refusal }) {
  return (
    <div
      role="alert"
      data-testid="refusal"
      data-kind={refusal.kind}
      className="flex flex-col gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm dark:border-red-800 dark:bg-red-950"
    >
      <p className="font-medium">{refusal.title}</p>
      <p>{refusal.detail}</p>
      {refusal.items.length > 0 ? (
        <>
          {refusal.kind === "stale" ? <p>What changed since its base:</p> : null}
          <ul className="flex flex-col gap-0.5 font-mono text-xs" data-testid="refusal-items">
            {refusal.items.map((item, i) => (
              <li key={i}>
                {item.field}: {item.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {refusal.kind === "stale" ? (
        <p>Plan again from the files: the new plan shows those changes for review.</p>
      ) : refusal.kind === "locked" ? (
        <p>
          Wait for the lease to end, or break it by its id (
          <code>pnpm omniglass estate unlock &lt;lock-id&gt;</code>, audited).
        </p>
      ) : null}
    </div>
  );
}

function ApproveDialog({ plan, onClose }: { plan: PlanDetail; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const approve = useMutation(
    trpc.estate.approve.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.estate.pathKey() });
        onClose();
      },
    }),
  );
  const refusal = refusalOf(approve.error);
  return (
    <Dialog title={`Approve plan ${shortId(plan.id)}?`} onClose={onClose}>
      <p className="text-sm">
        {plan.approvalsRequired} change(s) need an approval by someone other than {plan.planner}.
        Your approval is recorded with your name; anyone allowed to apply may then apply the plan
        while it is fresh.
      </p>
      <Field label="Comment (optional)">
        <input
          className={inputClass}
          value={comment}
          maxLength={2000}
          onChange={(e) => setComment(e.target.value)}
        />
      </Field>
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      <div className="flex gap-3">
        <Button
          variant="primary"
          disabled={approve.isPending}
          onClick={() =>
            approve.mutate({ id: plan.id, ...(comment.trim() ? { comment: comment.trim() } : {}) })
          }
        >
          Approve plan
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

function ApplyDialog({
  plan,
  onClose,
  onApplied,
  onRefused,
}: {
  plan: PlanDetail;
  onClose: () => void;
  onApplied: (result: ApplyResult) => void;
  onRefused: (refusal: Refusal) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const artifact = artifactOf(plan);
  const apply = useMutation(
    trpc.estate.applyPlan.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.estate.pathKey() });
        onApplied(result);
        onClose();
      },
      onError: (error) => {
        void queryClient.invalidateQueries({ queryKey: trpc.estate.pathKey() });
        const refusal = refusalOf(error);
        if (refusal) onRefused(refusal);
        onClose();
      },
    }),
  );
  return (
    <Dialog title={`Apply plan ${shortId(plan.id)}?`} onClose={onClose}>
      <p className="text-sm">
        {plan.changes === 0
          ? "No changes: applying records the apply and adopts what the files declare as it is."
          : `${plan.changes} change(s) (${countsLine(plan)}) in one transaction: all or nothing, audited as one apply.`}
        {artifact.summary.irreversible > 0 ? (
          <strong className="block text-red-800 dark:text-red-300">
            {artifact.summary.irreversible} change(s) are irreversible: the history they hold is
            lost.
          </strong>
        ) : null}
      </p>
      {plan.status === "stale" ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          The estate changed since this plan was made: the server will refuse it, writing nothing,
          and list what changed. Plan again from the files to apply.
        </p>
      ) : (
        <p className={`text-sm ${mutedClass}`}>
          It is refused, writing nothing, if the estate changed since the plan was made, another
          apply holds the lock, or an approval is missing.
        </p>
      )}
      <div className="flex gap-3">
        <Button
          variant={artifact.summary.irreversible > 0 ? "danger" : "primary"}
          disabled={apply.isPending}
          onClick={() => apply.mutate({ id: plan.id })}
        >
          Apply plan
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

function Diagnostics({ plan }: { plan: PlanDetail }) {
  const diagnostics = artifactOf(plan).diagnostics;
  if (diagnostics.length === 0) return null;
  return (
    <Section title="Diagnostics">
      <ul className="flex flex-col gap-1 font-mono text-xs" data-testid="diagnostics">
        {diagnostics.map((d, i) => (
          <li
            key={i}
            className={d.severity === "error" ? "text-red-800 dark:text-red-300" : undefined}
          >
            {d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file} {d.code} {d.message}
            {d.path ? ` at ${d.path}` : ""}
            {d.hint ? ` (${d.hint})` : ""}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/**
 * One estate plan: its facts and approvals, Approve and Apply behind confirmations (a refusal
 * shown with every reason: what changed since a stale plan's base, who holds the lock and until
 * when, the approval missing), the counts by location, the changes grouped by location with
 * before/after, reversibility tier and blast radius, and the diagnostics.
 */
export function EstatePlanView({ planId }: { planId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const plan = useQuery(trpc.estate.getPlan.queryOptions({ id: planId }));
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const [dialog, setDialog] = useState<"approve" | "apply" | null>(null);
  const [applied, setApplied] = useState<ApplyResult | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  if (plan.error) return <ErrorText error={plan.error} />;
  if (!plan.data) return <Loading />;
  const p = plan.data;
  const artifact = artifactOf(p);
  // A stale plan keeps its Apply: the server refuses it and says what changed since its base.
  const open = (isOpen(p.status) || p.status === "stale") && p.ok;
  const isPlanner = me.data?.principal.name === p.planner;
  const mayApprove =
    isOpen(p.status) &&
    p.ok &&
    p.approvalsRequired > 0 &&
    !isPlanner &&
    can("estate:update") === true &&
    !p.approvals.some((a) => a.approver === me.data?.principal.name);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader title={`Estate plan ${shortId(p.id)}`}>
        <div className="flex items-center gap-3">
          <span data-testid="plan-status">
            <StatusBadge status={p.status} />
          </span>
          {mayApprove ? <Button onClick={() => setDialog("approve")}>Approve…</Button> : null}
          {open ? (
            <Button
              variant="primary"
              onClick={() => {
                setRefusal(null);
                setDialog("apply");
              }}
            >
              Apply…
            </Button>
          ) : null}
        </div>
      </PageHeader>
      <p className="text-sm">
        <TextLink href="/estate-plans">All estate plans</TextLink>
      </p>
      {applied ? (
        <div
          role="status"
          data-testid="applied"
          className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
        >
          Applied in one transaction in {applied.durationMs} ms: +{applied.counts.create} ~
          {applied.counts.update} ±{applied.counts.replace} -{applied.counts.delete}, adopted{" "}
          {applied.counts.adopt}, released {applied.counts.release}; state revision{" "}
          {applied.revisionAfter}. Apply <code>{applied.applyId}</code>.
        </div>
      ) : null}
      {refusal ? <RefusalNotice refusal={refusal} /> : null}
      {!p.ok ? (
        <p role="status" className="text-sm text-red-700 dark:text-red-300">
          The files of this plan have errors (see the diagnostics): it is for reading, never
          applied.
        </p>
      ) : null}
      <Facts
        items={[
          [
            "Plan id",
            <code key="id" className="break-all text-xs">
              {p.id}
            </code>,
          ],
          ["Planner", p.planner],
          ["Created", <Time key="created" value={p.createdAt} />],
          ["State revision (base)", p.baseRevision],
          ["Subtree", p.subtree ?? "the whole estate"],
          [
            "Changes",
            <span key="counts" data-testid="plan-counts">
              {countsLine(p)}
            </span>,
          ],
          [
            "Tiers",
            `${artifact.summary.irreversible} irreversible, ${artifact.summary.recoverable} recoverable, ${p.changes - artifact.summary.irreversible - artifact.summary.recoverable} reversible`,
          ],
          [
            "Approvals",
            <span key="approvals" data-testid="plan-approvals">
              {approvalsText(p)}
              {p.approvals.map((a) => (
                <span key={a.approver} className={`block text-xs ${mutedClass}`}>
                  {a.approver} <Time value={a.at} />
                  {a.comment ? ` — ${a.comment}` : ""}
                </span>
              ))}
            </span>,
          ],
          ["Adopts", artifact.adopt.length],
          ["Unmanaged, left alone", artifact.unmanaged.count],
          [
            "Desired digest",
            <code key="digest" className="break-all text-xs">
              {p.desiredDigest}
            </code>,
          ],
        ]}
      />
      <Section title="By location">
        <ByLocation plan={p} />
      </Section>
      <Section title="Changes">
        <Changes plan={p} />
      </Section>
      <Diagnostics plan={p} />
      <Section title="Summary">
        <details>
          <summary className="cursor-pointer text-sm">The plan as the CLI prints it</summary>
          <pre className="mt-2 overflow-auto rounded bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-900">
            {p.summary}
          </pre>
        </details>
      </Section>
      {dialog === "approve" ? <ApproveDialog plan={p} onClose={() => setDialog(null)} /> : null}
      {dialog === "apply" ? (
        <ApplyDialog
          plan={p}
          onClose={() => setDialog(null)}
          onApplied={(result) => setApplied(result)}
          onRefused={(r) => setRefusal(r)}
        />
      ) : null}
    </div>
  );
}
