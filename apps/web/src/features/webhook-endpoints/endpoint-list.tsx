"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, Muted, mutedClass } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { EndpointDialog, IssuedSecret } from "./endpoint-dialog";
import { endpointHref, stateText, type Endpoint } from "./endpoint-format";

const COLUMNS: Column<Endpoint, string>[] = [
  { key: "URL", cell: (e) => <code className="break-all font-mono text-xs">{e.url}</code> },
  {
    key: "State",
    cell: (e) =>
      e.enabled ? (
        "enabled"
      ) : (
        <span className="text-red-700 dark:text-red-300">{stateText(e)}</span>
      ),
  },
  { key: "Failing since", cell: (e) => <Time value={e.failingSince} never="—" /> },
  {
    key: "Last delivery",
    cell: (e) =>
      e.lastDelivery ? (
        <span className="flex flex-wrap items-center gap-2">
          <StatusBadge status={e.lastDelivery.status} />
          {e.lastDelivery.statusCode !== null ? <span>{e.lastDelivery.statusCode}</span> : null}
          <Time value={e.lastDelivery.at} />
        </span>
      ) : (
        <Muted>none yet</Muted>
      ),
  },
  { key: "Unsent", cell: (e) => e.unsentDeliveries },
  { key: "Placed in", cell: (e) => e.location?.path ?? <Muted>the platform</Muted> },
];

function Endpoints() {
  const trpc = useTRPC();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const state = useListState({
    filters: [] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["URL", "State", "Failing since", "Last delivery", "Unsent"],
    sortable: false,
    searchable: false,
  });
  const list = useQuery({
    ...trpc.webhookEndpoint.list.queryOptions({
      page_size: state.input.page_size,
      ...(state.input.page_token ? { page_token: state.input.page_token } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const writable = can("action:write") === true;
  const empty = list.data?.items.length === 0 && state.page === 1;
  return (
    <>
      <ResourceList
        title="Webhook endpoints"
        actions={
          writable ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New endpoint
            </Button>
          ) : null
        }
        before={
          <>
            {secret ? (
              <div className="flex flex-col gap-1">
                <p className="text-sm">
                  Endpoint <TextLink href={endpointHref(secret.name)}>{secret.name}</TextLink>{" "}
                  created.
                </p>
                <IssuedSecret secret={secret.secret} onDismiss={() => setSecret(null)} />
              </div>
            ) : null}
            {empty ? (
              <p data-testid="endpoints-empty" className={`text-sm ${mutedClass}`}>
                No webhook endpoints yet. Create one with the URL of your receiver (a pager, a chat
                bridge, a ticketing system), store the signing secret it shows once, press “Send
                test” on its page, then add an action rule that sends the alarms you care about to
                it.
              </p>
            ) : null}
          </>
        }
        state={state}
        filters={[]}
        primary={{
          label: "Endpoint",
          cell: (e) => (
            <>
              <TextLink href={endpointHref(e.name)}>{e.name}</TextLink>
              {e.label ? <Muted className="ml-2">{e.label}</Muted> : null}
            </>
          ),
        }}
        columns={COLUMNS}
        result={list.data}
        error={list.error}
        rowKey={(e) => e.id}
        rowProps={(e) => ({ "data-testid": "endpoint-row", "data-endpoint": e.name })}
      />
      {creating ? (
        <EndpointDialog
          onClose={() => setCreating(false)}
          onCreated={(created) => setSecret({ name: created.name, secret: created.secret })}
        />
      ) : null}
    </>
  );
}

/** Every webhook endpoint you may read: URL, state, failing since, last delivery. */
export function EndpointList() {
  return (
    <Suspense>
      <Endpoints />
    </Suspense>
  );
}
