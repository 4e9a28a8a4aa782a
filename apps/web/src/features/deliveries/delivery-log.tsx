"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import type { ApiOutputs } from "~/client/outputs";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, inputClass, Muted, mutedClass } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { DeliveryDrawer } from "./delivery-drawer";

type Delivery = ApiOutputs["delivery"]["list"]["items"][number];

const FILTERS = ["status", "endpoint", "alarm", "since", "until", "delivery"] as const;
const LANES = [
  ["", "All"],
  ["pending", "Pending"],
  ["failed", "Failed"],
  ["throttled", "Throttled"],
  ["dead", "Dead"],
  ["delivered", "Delivered"],
] as const;
type Status = Exclude<(typeof LANES)[number][0], "">;
/** The log is read again this often (new deliveries and retries show without a reload). */
const POLL_MS = 5_000;

const endpointHref = (name: string) => `/webhook-endpoints/${encodeURIComponent(name)}`;
const alarmHref = (id: string) => `/alarms/${encodeURIComponent(id)}`;
/** A `datetime-local` value (the viewer's time) as an instant, or undefined. */
const instant = (local: string) => {
  const at = local ? new Date(local) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : undefined;
};

/** Replaying a time range of one endpoint, behind a confirmation that says what it does. */
function ReplayRangeDialog({
  endpoint,
  from,
  to,
  status,
  onClose,
}: {
  endpoint: string;
  from: string;
  to: string;
  status: Status | "";
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const replay = useMutation(
    trpc.delivery.replayRange.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.delivery.pathKey() }),
    }),
  );
  const replayable = status === "dead" || status === "failed" || status === "delivered";
  return (
    <Dialog title={`Replay deliveries to ${endpoint}?`} onClose={onClose}>
      <p className="text-sm">
        Every delivery to <strong>{endpoint}</strong>
        {replayable ? (
          <>
            {" "}
            that is <strong>{status}</strong>
          </>
        ) : null}{" "}
        created from <Time value={from} /> to <Time value={to} /> is sent again: the same webhook-id
        and body, attempts from zero (at most 10,000). A receiver that already applied one drops it
        by its webhook-id or seq.
      </p>
      {replay.data ? (
        <p role="status" className="text-sm" data-testid="replayed">
          Replayed {replay.data.replayed} deliveries.
        </p>
      ) : null}
      <ErrorText error={replay.error} />
      <div className="flex gap-3">
        {replay.data ? null : (
          <Button
            variant="primary"
            disabled={replay.isPending}
            onClick={() => replay.mutate({ from, to, endpoint, ...(replayable ? { status } : {}) })}
          >
            Replay them
          </Button>
        )}
        <Button onClick={onClose}>{replay.data ? "Close" : "Cancel"}</Button>
      </div>
    </Dialog>
  );
}

function Deliveries() {
  const trpc = useTRPC();
  const can = useCan();
  const [replaying, setReplaying] = useState<{ from: string; to: string } | null>(null);
  const endpoints = useQuery(trpc.webhookEndpoint.list.queryOptions({ page_size: 500 }));
  const columns: Column<Delivery, string>[] = [
    {
      key: "Endpoint",
      cell: (d) => <TextLink href={endpointHref(d.endpointName)}>{d.endpointName}</TextLink>,
    },
    { key: "Event", cell: (d) => d.eventType },
    {
      key: "Alarm",
      cell: (d) =>
        d.alarmId ? (
          <TextLink href={alarmHref(d.alarmId)}>alarm #{d.alarmSeq}</TextLink>
        ) : (
          <Muted>—</Muted>
        ),
    },
    { key: "Status", cell: (d) => <StatusBadge status={d.status} /> },
    { key: "Attempts", cell: (d) => d.attempts },
    { key: "Last code", cell: (d) => d.lastStatusCode ?? <Muted>—</Muted> },
    {
      key: "Latency",
      cell: (d) => (d.lastLatencyMs !== null ? `${d.lastLatencyMs} ms` : <Muted>—</Muted>),
    },
    { key: "Next attempt", cell: (d) => <Time value={d.nextAttemptAt} never="—" /> },
    { key: "Last error", cell: (d) => d.lastError ?? <Muted>—</Muted> },
    {
      key: "Details",
      cell: (d) => <Button onClick={() => state.set("delivery", d.id)}>Details</Button>,
    },
  ];
  const state = useListState({
    filters: FILTERS,
    columns: columns.map((c) => c.key),
    defaultColumns: [
      "Endpoint",
      "Event",
      "Alarm",
      "Status",
      "Attempts",
      "Last code",
      "Latency",
      "Details",
    ],
    sortable: false,
    searchable: false,
  });
  const f = state.values;
  const status = LANES.some(([v]) => v === f.status && v !== "") ? (f.status as Status) : "";
  const since = instant(f.since);
  const until = instant(f.until);
  const list = useQuery({
    ...trpc.delivery.list.queryOptions({
      page_size: state.input.page_size,
      ...(state.input.page_token ? { page_token: state.input.page_token } : {}),
      ...(status ? { status } : {}),
      ...(f.endpoint ? { endpoint: f.endpoint } : {}),
      ...(f.alarm.trim() ? { alarm: f.alarm.trim() } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    }),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
  const filtered = Boolean(status || f.endpoint || f.alarm || since || until);
  const empty = list.data?.items.length === 0 && state.page === 1;
  const writable = can("action:write") === true;
  const time = (value: string, set: (v: string) => void) => (
    <input
      className={inputClass}
      type="datetime-local"
      value={value}
      onChange={(e) => set(e.target.value)}
    />
  );
  return (
    <>
      <ResourceList
        title="Deliveries"
        actions={
          writable && f.endpoint && since ? (
            <Button
              onClick={() => setReplaying({ from: since, to: until ?? new Date().toISOString() })}
            >
              Replay this range…
            </Button>
          ) : null
        }
        before={
          <>
            <nav aria-label="Status lanes" className="flex flex-wrap gap-2">
              {LANES.map(([value, label]) => (
                <Button
                  key={value || "all"}
                  variant={status === value ? "primary" : "default"}
                  aria-pressed={status === value}
                  onClick={() => state.set("status", value)}
                >
                  {label}
                </Button>
              ))}
            </nav>
            {writable && f.endpoint && !since ? (
              <p className={`text-sm ${mutedClass}`}>
                Choose “Created since” (and “until”) to replay this endpoint’s deliveries of a time
                range.
              </p>
            ) : null}
            {empty ? (
              <p data-testid="deliveries-empty" className={`text-sm ${mutedClass}`}>
                {filtered ? (
                  "No delivery matches these filters in the last 30 days."
                ) : (
                  <>
                    No deliveries in the last 30 days. A delivery is made when an action rule sends
                    an alarm transition to a{" "}
                    <TextLink href="/webhook-endpoints">webhook endpoint</TextLink>, or when you
                    press “Send test” on an endpoint’s page.
                  </>
                )}
              </p>
            ) : null}
          </>
        }
        state={state}
        filters={[
          {
            key: "endpoint",
            label: "Endpoint",
            render: (value, set) => (
              <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">any</option>
                {endpoints.data?.items.map((e) => (
                  <option key={e.id} value={e.name}>
                    {e.name}
                  </option>
                ))}
                {value && !endpoints.data?.items.some((e) => e.name === value) ? (
                  <option value={value}>{value}</option>
                ) : null}
              </select>
            ),
          },
          { key: "alarm", label: "Alarm (id)", placeholder: "an alarm's id" },
          { key: "since", label: "Created since", render: time },
          { key: "until", label: "Created before", render: time },
        ]}
        primary={{
          label: "Created",
          cell: (d) => (
            <button
              type="button"
              className="text-left underline-offset-2 hover:underline"
              onClick={() => state.set("delivery", d.id)}
            >
              <Time value={d.createdAt} />
            </button>
          ),
        }}
        columns={columns}
        result={list.data}
        error={list.error}
        rowKey={(d) => d.id}
        rowProps={(d) => ({
          "data-testid": "delivery-row",
          "data-delivery": d.id,
          "data-status": d.status,
          "data-event": d.eventType,
        })}
      />
      {f.delivery ? (
        <DeliveryDrawer
          key={f.delivery}
          id={f.delivery}
          writable={writable}
          onClose={() => state.set("delivery", "")}
        />
      ) : null}
      {replaying && f.endpoint ? (
        <ReplayRangeDialog
          endpoint={f.endpoint}
          from={replaying.from}
          to={replaying.to}
          status={status}
          onClose={() => setReplaying(null)}
        />
      ) : null}
    </>
  );
}

/** The delivery log: status lanes, filters in the URL, a drawer per delivery, replay. */
export function DeliveryLog() {
  return (
    <Suspense>
      <Deliveries />
    </Suspense>
  );
}
