"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, Field, inputClass, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import {
  artifactOf,
  countsLine,
  refusalOf,
  shortId,
  type ApplyResult,
  type PlanDetail,
  type Refusal,
} from "./plan-format";

/** A refused apply or approval, with every reason the server gave. */
export function RefusalNotice({ refusal }: { refusal: Refusal }) {
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

export function ApproveDialog({ plan, onClose }: { plan: PlanDetail; onClose: () => void }) {
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

export function ApplyDialog({
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
