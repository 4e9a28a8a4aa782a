"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Loading, mutedClass, PageHeader } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { ApplyDialog, ApproveDialog, RefusalNotice } from "./plan-actions";
import { ByLocation, Changes } from "./plan-changes";
import {
  approvalsText,
  artifactOf,
  countsLine,
  isOpen,
  shortId,
  type ApplyResult,
  type PlanDetail,
  type Refusal,
} from "./plan-format";

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
          {applied.generatedSecrets?.length ? (
            <div data-testid="generated-secrets" className="mt-2">
              <strong>
                Signing secrets generated for new webhook endpoints, shown this once: store them
                where their receivers verify signatures now (lost: rotate the endpoint&apos;s
                secret).
              </strong>
              <ul>
                {applied.generatedSecrets.map((g) => (
                  <li key={g.address}>
                    {g.address}: <code>{g.secret}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
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
