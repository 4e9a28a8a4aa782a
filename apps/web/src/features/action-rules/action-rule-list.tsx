"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, inputClass, Muted, mutedClass } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { useCan } from "~/ui/use-can";
import { ActionRuleDialog } from "./action-rule-dialog";
import { endpointHref, matchersText, scopeText, type ActionRule } from "./action-rule-format";

const FILTERS = ["endpoint"] as const;

function ActionRules() {
  const trpc = useTRPC();
  const can = useCan();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const endpoints = useQuery(trpc.webhookEndpoint.list.queryOptions({ page_size: 500 }));
  const rules = useQuery(trpc.rule.list.queryOptions({ page_size: 500 }));
  const endpointName = new Map(endpoints.data?.items.map((e) => [e.id, e.name]));
  const ruleName = new Map(rules.data?.items.map((r) => [r.id, r.name]));
  const writable = can("action:write") === true;
  const remove = useMutation(
    trpc.actionRule.delete.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.actionRule.pathKey() }),
    }),
  );
  // `?edit=<name>` opens that rule's editor (the endpoint page links here).
  const editing = search.get("edit");
  const setEditing = (name: string | null) => {
    const next = new URLSearchParams(search.toString());
    if (name) next.set("edit", name);
    else next.delete("edit");
    router.replace(`${pathname}${next.size ? `?${next.toString()}` : ""}`);
  };
  const columns: Column<ActionRule, string>[] = [
    { key: "Applies to", cell: (r) => scopeText(r.scope) },
    {
      key: "Matches",
      cell: (r) => (
        <span className="text-xs">{matchersText(r.matchers, (id) => ruleName.get(id) ?? id)}</span>
      ),
    },
    {
      key: "Sends to",
      cell: (r) => (
        <span className="flex flex-wrap gap-2">
          {r.endpointIds.map((id) => {
            const name = endpointName.get(id);
            return name ? (
              <TextLink key={id} href={endpointHref(name)}>
                {name}
              </TextLink>
            ) : (
              <Muted key={id}>an endpoint out of your sight</Muted>
            );
          })}
        </span>
      ),
    },
    { key: "State", cell: (r) => (r.enabled ? "enabled" : <Muted>disabled</Muted>) },
    {
      key: "Actions",
      cell: (r) =>
        writable ? (
          <span className="flex gap-2">
            <Button onClick={() => setEditing(r.name)}>Edit</Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => {
                if (
                  window.confirm(
                    `Delete the action rule ${r.name}? Matching transitions are no longer sent; deliveries already made stay in the log.`,
                  )
                )
                  remove.mutate({ ref: r.id });
              }}
            >
              Delete
            </Button>
          </span>
        ) : null,
    },
  ];
  const state = useListState({
    filters: FILTERS,
    columns: columns.map((c) => c.key),
    defaultColumns: ["Applies to", "Matches", "Sends to", "State", "Actions"],
    sortable: false,
    searchable: false,
  });
  const endpointFilter = state.values.endpoint;
  const filteredId = endpoints.data?.items.find((e) => e.name === endpointFilter)?.id;
  const list = useQuery({
    ...trpc.actionRule.list.queryOptions({
      page_size: state.input.page_size,
      ...(state.input.page_token ? { page_token: state.input.page_token } : {}),
      ...(filteredId ? { endpoint: filteredId } : {}),
    }),
    placeholderData: keepPreviousData,
    enabled: !endpointFilter || filteredId !== undefined,
  });
  const edited = editing ? list.data?.items.find((r) => r.name === editing) : undefined;
  const detail = useQuery({
    ...trpc.actionRule.get.queryOptions({ ref: editing ?? "" }),
    enabled: !!editing && !edited,
  });
  const editRule = edited ?? detail.data;
  const empty = list.data?.items.length === 0 && state.page === 1 && !endpointFilter;
  return (
    <>
      <ResourceList
        title="Action rules"
        actions={
          writable ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New action rule
            </Button>
          ) : null
        }
        before={
          empty ? (
            <p data-testid="action-rules-empty" className={`text-sm ${mutedClass}`}>
              No action rules yet, so no alarm is sent anywhere. A rule says which transitions
              (severities, opened or resolved, suppressed or not …) go to which webhook endpoints;
              {endpoints.data?.items.length === 0 ? (
                <>
                  {" "}
                  first <TextLink href="/webhook-endpoints">create an endpoint</TextLink>, then come
                  back.
                </>
              ) : (
                " create one with “New action rule”."
              )}
            </p>
          ) : null
        }
        state={state}
        filters={[
          {
            key: "endpoint",
            label: "Sends to",
            render: (value, set) => (
              <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">any endpoint</option>
                {endpoints.data?.items.map((e) => (
                  <option key={e.id} value={e.name}>
                    {e.name}
                  </option>
                ))}
              </select>
            ),
          },
        ]}
        primary={{
          label: "Action rule",
          cell: (r) => (
            <>
              <span className="font-medium">{r.name}</span>
              {r.label ? <Muted className="ml-2">{r.label}</Muted> : null}
            </>
          ),
        }}
        columns={columns}
        result={list.data}
        error={list.error}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-testid": "action-rule-row", "data-rule": r.name })}
      />
      <ErrorText error={remove.error ?? detail.error} />
      {creating ? <ActionRuleDialog onClose={() => setCreating(false)} /> : null}
      {editRule ? (
        <ActionRuleDialog key={editRule.version} rule={editRule} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

/** Every action rule you may read: where it applies, what it matches, where it sends. */
export function ActionRuleList() {
  return (
    <Suspense>
      <ActionRules />
    </Suspense>
  );
}
