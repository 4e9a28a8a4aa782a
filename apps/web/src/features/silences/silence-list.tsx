"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, inputClass, Muted } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { SilenceDialog } from "./silence-dialog";
import { matchersText, type Silence } from "./silence-format";

const FILTERS = ["state"] as const;

function Expiry({ s }: { s: Silence }) {
  if (s.state === "expired")
    return (
      <span>
        ended <Time value={s.expiresAt} />
        {s.expiredEarly ? <Muted> (early)</Muted> : null}
      </span>
    );
  return (
    <span data-testid="countdown">
      {s.state === "pending" ? (
        <>
          starts <Time value={s.startsAt} />,{" "}
        </>
      ) : null}
      ends <Time value={s.expiresAt} />
    </span>
  );
}

function Silences() {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Silence | "new" | null>(null);
  const [expiring, setExpiring] = useState<Silence | null>(null);
  const writable = can("silence:write") === true;
  const expire = useMutation(
    trpc.silence.expire.mutationOptions({
      onSuccess: () => {
        setExpiring(null);
        void queryClient.invalidateQueries({ queryKey: trpc.silence.pathKey() });
      },
    }),
  );
  const columns: Column<Silence, string>[] = [
    { key: "State", cell: (s) => (s.idle ? `${s.state} · matched nothing for a day` : s.state) },
    {
      key: "Matchers",
      cell: (s) => <code className="font-mono text-xs">{matchersText(s.matchers)}</code>,
    },
    { key: "Reason", cell: (s) => s.reason },
    { key: "Author", cell: (s) => s.author.name },
    { key: "Expiry", cell: (s) => <Expiry s={s} /> },
    { key: "Last matched", cell: (s) => <Time value={s.lastMatchedAt} /> },
    {
      key: "Actions",
      cell: (s) =>
        writable && s.state !== "expired" ? (
          <span className="flex gap-2">
            <Button onClick={() => setEditing(s)}>Edit</Button>
            <Button
              variant="danger"
              disabled={expire.isPending}
              onClick={() => {
                expire.reset();
                setExpiring(s);
              }}
            >
              Expire now
            </Button>
          </span>
        ) : null,
    },
  ];
  const state = useListState({
    filters: FILTERS,
    columns: columns.map((c) => c.key),
    defaultColumns: ["State", "Matchers", "Reason", "Author", "Expiry", "Actions"],
    orders: ["-created_at", "created_at"],
  });
  const s = state.values.state;
  const list = useQuery({
    ...trpc.silence.list.queryOptions({
      page_size: state.input.page_size,
      ...(state.input.page_token ? { page_token: state.input.page_token } : {}),
      ...(state.input.q ? { q: state.input.q } : {}),
      order_by: state.sort === "created_at" ? "created_at" : "-created_at",
      ...(s === "pending" || s === "active" || s === "expired" ? { state: s } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <ResourceList
        title="Silences"
        actions={
          writable ? (
            <Button variant="primary" onClick={() => setEditing("new")}>
              New silence
            </Button>
          ) : null
        }
        state={state}
        filters={[
          {
            key: "state",
            label: "State",
            render: (value, set) => (
              <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">any</option>
                <option value="active">active</option>
                <option value="pending">pending</option>
                <option value="expired">expired</option>
              </select>
            ),
          },
        ]}
        primary={{
          label: "Owner",
          cell: (r) => (r.owner ? r.owner.path : <Muted>everywhere</Muted>),
        }}
        columns={columns}
        result={list.data}
        error={list.error}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-testid": "silence-row", "data-silence": r.id })}
      />
      {expiring ? (
        <Dialog title="Expire this silence now?" onClose={() => setExpiring(null)}>
          <p className="text-sm">
            “{expiring.reason}” ({matchersText(expiring.matchers)}) ends now: the alarms it holds
            are released and notify again.
          </p>
          <ErrorText error={expire.error} />
          <div className="flex gap-2">
            <Button
              variant="danger"
              disabled={expire.isPending}
              onClick={() => expire.mutate({ id: expiring.id })}
            >
              Expire silence
            </Button>
            <Button onClick={() => setExpiring(null)}>Cancel</Button>
          </div>
        </Dialog>
      ) : null}
      {editing ? (
        <SilenceDialog
          {...(editing === "new" ? {} : { silence: editing })}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

/** Every silence you may read: owner, matchers, author, reason and the time left. */
export function SilenceList() {
  return (
    <Suspense>
      <Silences />
    </Suspense>
  );
}
