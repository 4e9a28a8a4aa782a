"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Loading, mutedClass, PageHeader } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { useCan } from "~/ui/use-can";
import { WindowEditor } from "./window-editor";
import { windowScopeText } from "./window-format";

/** One maintenance window: its editor (read-only without maintenance:write), and delete. */
export function WindowDetailView({ windowRef }: { windowRef: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const can = useCan();
  const [confirming, setConfirming] = useState(false);
  const detail = useQuery(trpc.maintenanceWindow.get.queryOptions({ ref: windowRef }));
  const remove = useMutation(
    trpc.maintenanceWindow.delete.mutationOptions({
      onSuccess: () => router.push("/maintenance"),
    }),
  );
  if (detail.error) return <ErrorText error={detail.error} />;
  const w = detail.data;
  if (!w) return <Loading />;
  const writable = can("maintenance:write") !== false;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title={w.label ? `${w.label} (${w.name})` : w.name}>
        <div className="flex items-center gap-3">
          <span className="text-sm">{w.activeNow ? "in force now" : "not in force now"}</span>
          {writable ? (
            <Button
              variant="danger"
              onClick={() => {
                remove.reset();
                setConfirming(true);
              }}
            >
              Delete
            </Button>
          ) : null}
        </div>
      </PageHeader>
      <p className={`-mt-2 text-sm ${mutedClass}`}>
        {windowScopeText(w.scope)}
        {w.author.name ? ` · set by ${w.author.name}` : ""}
        {w.description ? ` · ${w.description}` : ""}
      </p>
      <WindowEditor key={w.version} window={w} readOnly={!writable} />
      {confirming ? (
        <Dialog
          title={`Delete the maintenance window ${w.name}?`}
          onClose={() => setConfirming(false)}
        >
          <p className="text-sm">
            {w.activeNow
              ? "It is in force now: the alarms it holds are released and notify again."
              : "Its future occurrences no longer hold anything."}{" "}
            It cannot be undone.
          </p>
          <ErrorText error={remove.error} />
          <div className="flex gap-2">
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ ref: w.id })}
            >
              Delete window
            </Button>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

/** A new maintenance window: the editor, empty. */
export function NewWindowView() {
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="New maintenance window" />
      <WindowEditor />
    </div>
  );
}
