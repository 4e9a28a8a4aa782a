"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Loading, mutedClass, PageHeader } from "~/ui/controls";
import { useCan } from "~/ui/use-can";
import { WindowEditor } from "./window-editor";
import { windowScopeText } from "./window-format";

/** One maintenance window: its editor (read-only without maintenance:write), and delete. */
export function WindowDetailView({ windowRef }: { windowRef: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const can = useCan();
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
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the maintenance window ${w.name}?`))
                  remove.mutate({ ref: w.id });
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
      <ErrorText error={remove.error} />
      <WindowEditor key={w.version} window={w} readOnly={!writable} />
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
