"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import type { z } from "zod";
import type { ListAlarmsInput } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { useLiveAlarms, type LiveState } from "~/client/use-live-alarms";
import { Button, Field, inputClass, PageHeader } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { panelClass } from "~/ui/section";
import { useCan } from "~/ui/use-can";
import { AcknowledgeDialog } from "./acknowledge-dialog";
import { LiveIndicator } from "./alarm-parts";
import { AlarmLane, type LaneName } from "./alarm-lane";
import type { Alarm } from "./alarm-parts";

const FILTERS = ["severity", "owner", "rule", "flapping"] as const;
/** While the live stream is down, the page reads its lanes again this often. */
const POLL_MS = 10_000;

type Filters = Record<(typeof FILTERS)[number], string>;
type LaneInput = z.input<typeof ListAlarmsInput>;

/** "Resolved recently": resolutions of the last 24 hours, newest resolution first. */
const RESOLVED_WINDOW_MS = 24 * 60 * 60_000;
const RESOLVED_WINDOW_WORDS = "24 hours";

/**
 * The start of the resolved lane's window, to the minute (so the lane's query key, and its
 * cache, moves once a minute rather than on every render).
 */
const resolvedSince = () =>
  new Date(Math.floor((Date.now() - RESOLVED_WINDOW_MS) / 60_000) * 60_000).toISOString();

/** The list input of a lane under the URL's filters. */
function laneInput(lane: LaneName, f: Filters, token: string | undefined): LaneInput {
  return {
    // Every open alarm is in exactly one lane: held ones in the suppressed lane (acknowledged or
    // not), the others by acknowledgement.
    ...(lane === "resolved"
      ? { state: "resolved", order_by: "-resolvedAt", resolvedSince: resolvedSince() }
      : lane === "suppressed"
        ? { state: "open", suppressed: "true" }
        : { state: "open", acknowledged: lane === "new" ? "false" : "true", suppressed: "false" }),
    ...(f.severity ? { severity: f.severity as Alarm["severity"] } : {}),
    ...(f.owner.trim() ? { owner: f.owner.trim() } : {}),
    ...(f.rule ? { rule: f.rule } : {}),
    ...(f.flapping === "true" || f.flapping === "false" ? { flapping: f.flapping } : {}),
    page_size: lane === "resolved" ? 20 : 50,
    ...(token ? { page_token: token } : {}),
  };
}

/** A lane's page tokens walked so far (the last is the page shown); reset when filters change. */
function usePages(filterKey: string) {
  const [pages, setPages] = useState<{ key: string; tokens: string[] }>({
    key: filterKey,
    tokens: [],
  });
  const tokens = pages.key === filterKey ? pages.tokens : [];
  return {
    token: tokens.at(-1),
    page: tokens.length + 1,
    next: (t: string) => setPages({ key: filterKey, tokens: [...tokens, t] }),
    previous: () => setPages({ key: filterKey, tokens: tokens.slice(0, -1) }),
  };
}

function useLane(lane: LaneName, filters: Filters, live: LiveState) {
  const trpc = useTRPC();
  const pages = usePages(JSON.stringify(filters));
  const input = laneInput(lane, filters, pages.token);
  const query = useQuery({
    ...trpc.alarm.list.queryOptions(input),
    placeholderData: keepPreviousData,
    refetchInterval: live === "live" ? false : POLL_MS,
  });
  const paging = {
    page: pages.page,
    hasNext: !!query.data?.nextPageToken,
    next: () => query.data?.nextPageToken && pages.next(query.data.nextPageToken),
    previous: pages.previous,
  };
  return { query, paging, since: input.resolvedSince ?? "" };
}

function Queue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const state = useListState({
    filters: FILTERS,
    columns: [] as string[],
    defaultColumns: [],
    sortable: false,
    searchable: false,
  });
  const filters = state.values;
  // Each committed change (opened, acknowledged, resolved, flapping, suppressed, unsuppressed)
  // reads the lanes again.
  const reread = () => void queryClient.invalidateQueries({ queryKey: trpc.alarm.list.pathKey() });
  const live = useLiveAlarms({ onChange: reread, onReady: reread });
  const fresh = useLane("new", filters, live);
  const acked = useLane("acknowledged", filters, live);
  const held = useLane("suppressed", filters, live);
  const resolved = useLane("resolved", filters, live);
  const rules = useQuery(trpc.rule.list.queryOptions({ page_size: 500 }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const onPage = fresh.query.data?.items ?? [];
  // Only what is still shown in the new lane stays selected (an alarm acknowledged or resolved
  // elsewhere drops out of the selection by itself).
  const chosen = onPage.filter((a) => selected.has(a.id));
  const acknowledge = useMutation(
    trpc.alarm.acknowledgeMany.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.alarm.pathKey() });
      },
    }),
  );
  const select = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const choice = (options: readonly (readonly [string, string])[]) =>
    function Choice(value: string, set: (v: string) => void) {
      return (
        <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
          {options.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      );
    };
  const controls: {
    key: (typeof FILTERS)[number];
    label: string;
    render: ReturnType<typeof choice>;
  }[] = [
    {
      key: "severity",
      label: "Severity",
      render: choice([
        ["", "any"],
        ["critical", "critical"],
        ["warning", "warning"],
        ["info", "info"],
      ]),
    },
    {
      key: "owner",
      label: "Owner (location, system or component)",
      render: (value, set) => (
        <input
          className={inputClass}
          value={value}
          onChange={(e) => set(e.target.value)}
          placeholder="e.g. campus.hq"
        />
      ),
    },
    {
      key: "rule",
      label: "Rule",
      render: choice([
        ["", "any"],
        ...(rules.data?.items ?? []).map(
          (r) =>
            [
              r.id,
              r.template ? `${r.name} (${r.template.name}@${r.template.version})` : r.name,
            ] as const,
        ),
      ]),
    },
    {
      key: "flapping",
      label: "Flapping",
      render: choice([
        ["", "either"],
        ["true", "flapping"],
        ["false", "steady"],
      ]),
    },
  ];
  const mayAck = can("alarm:acknowledge");
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader title="Alarms">
        <div className="flex items-baseline gap-4">
          <LiveIndicator state={live} />
          {can("rule:read") ? <TextLink href="/rules">Rules</TextLink> : null}
        </div>
      </PageHeader>
      <div role="search" aria-label="Filters" className={panelClass}>
        {controls.map((c) => (
          <Field key={c.key} label={c.label}>
            {c.render(filters[c.key], (v) => state.set(c.key, v))}
          </Field>
        ))}
      </div>
      <AlarmLane
        lane="new"
        alarms={fresh.query.data}
        error={fresh.query.error}
        asOf={fresh.query.dataUpdatedAt}
        live={live}
        paging={fresh.paging}
        {...(mayAck ? { selected, onSelect: select } : {})}
        actions={
          mayAck ? (
            <Button
              variant="primary"
              disabled={chosen.length === 0}
              onClick={() => {
                acknowledge.reset();
                setConfirming(true);
              }}
            >
              {`Acknowledge selected (${chosen.length})`}
            </Button>
          ) : null
        }
      />
      <AlarmLane
        lane="acknowledged"
        alarms={acked.query.data}
        error={acked.query.error}
        asOf={acked.query.dataUpdatedAt}
        live={live}
        paging={acked.paging}
      />
      <AlarmLane
        lane="suppressed"
        alarms={held.query.data}
        error={held.query.error}
        asOf={held.query.dataUpdatedAt}
        live={live}
        paging={held.paging}
      />
      <AlarmLane
        lane="resolved"
        alarms={resolved.query.data}
        error={resolved.query.error}
        asOf={resolved.query.dataUpdatedAt}
        live={live}
        window={{ words: RESOLVED_WINDOW_WORDS, since: resolved.since }}
        paging={resolved.paging}
      />
      {confirming ? (
        <AcknowledgeDialog
          count={chosen.length}
          summaries={chosen.map((a) => `${a.summary} — ${a.owner.path}`)}
          onConfirm={(input) => acknowledge.mutate({ ids: chosen.map((a) => a.id), ...input })}
          onClose={() => setConfirming(false)}
          state={acknowledge}
        />
      ) : null}
    </div>
  );
}

/**
 * The alarm queue as the work board (issue #16 item 4): new (open, nobody owns it), acknowledged
 * (open, owned: who and since when), suppressed (open but held from notifying by a window, a
 * silence or a root alarm, each card naming why and linking to the why panel: suppression never
 * hides) and resolved within the stated window. Membership comes only from each alarm's own facts
 * (the lane queries filter on lifecycle, acknowledgement and suppression; `laneOf` states the
 * same rule), and a card whose facts leave it unclear says so. Each lane header shows its count
 * with its source and as-of time; one set of filters is kept in the URL (severity, owner, rule,
 * flapping). Bulk acknowledge of the new lane's selection goes through a confirmation with a
 * comment.
 */
export function AlarmQueue() {
  return (
    <Suspense>
      <Queue />
    </Suspense>
  );
}
