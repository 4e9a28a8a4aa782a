"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Loading,
  Muted,
  mutedClass,
  PageHeader,
  Table,
} from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { locationHref, TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { EndpointDialog, IssuedSecret } from "./endpoint-dialog";
import {
  alarmHref,
  deliveriesHref,
  stateText,
  type DeliveryDetail,
  type Endpoint,
} from "./endpoint-format";

/** While a test delivery is pending the page reads it again this often. */
const TEST_POLL_MS = 500;

/** The outcome of the test delivery, read again until the worker has sent it. */
function TestResult({ id, endpoint }: { id: string; endpoint: string }) {
  const trpc = useTRPC();
  const delivery = useQuery({
    ...trpc.delivery.get.queryOptions({ id }),
    refetchInterval: (q) =>
      !q.state.data || q.state.data.status === "pending" ? TEST_POLL_MS : false,
  });
  const d: DeliveryDetail | undefined = delivery.data;
  const last = d?.attemptLog.at(-1);
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="test-result"
      data-status={d?.status ?? "pending"}
      className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Test delivery</span>
        <StatusBadge status={d?.status ?? "pending"} />
        {d?.status === "pending" || !d ? (
          <Muted>waiting for the worker to send it…</Muted>
        ) : last ? (
          <span>
            {last.statusCode !== null ? `HTTP ${last.statusCode}` : "no answer"}
            {last.latencyMs !== null ? ` in ${last.latencyMs} ms` : ""}
            {last.error ? ` — ${last.error}` : ""}
          </span>
        ) : null}
        <TextLink href={deliveriesHref(endpoint, id)}>details</TextLink>
      </div>
      {last?.responseExcerpt ? (
        <pre className="max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">
          {last.responseExcerpt}
        </pre>
      ) : null}
      <ErrorText error={delivery.error} />
    </div>
  );
}

/** The endpoint's newest deliveries and the action rules that send to it. */
function Traffic({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const deliveries = useQuery({
    ...trpc.delivery.list.queryOptions({ endpoint: endpoint.id, page_size: 20 }),
    refetchInterval: 5_000,
  });
  const rules = useQuery(
    trpc.actionRule.list.queryOptions({ endpoint: endpoint.id, page_size: 100 }),
  );
  return (
    <>
      <Section
        title="Action rules sending here"
        actions={<TextLink href="/action-rules">All action rules</TextLink>}
      >
        <ErrorText error={rules.error} />
        {rules.data?.items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`} data-testid="no-rules">
            No action rule sends to this endpoint yet: nothing but tests arrives here. Add one on
            the action rules page.
          </p>
        ) : (
          <ul className="flex flex-wrap gap-3 text-sm">
            {rules.data?.items.map((r) => (
              <li key={r.id}>
                <TextLink href={`/action-rules?edit=${encodeURIComponent(r.name)}`}>
                  {r.name}
                </TextLink>
                {r.enabled ? null : <Muted> (disabled)</Muted>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section
        title="Recent deliveries"
        actions={<TextLink href={deliveriesHref(endpoint.name)}>The full log</TextLink>}
      >
        <ErrorText error={deliveries.error} />
        {deliveries.data?.items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>
            Nothing sent in the last 30 days. Press “Send test” to check the receiver.
          </p>
        ) : (
          <Table head={["Created", "Event", "Alarm", "Status", "Attempts", "Last code", "Latency"]}>
            {deliveries.data?.items.map((d) => (
              <tr key={d.id} data-testid="endpoint-delivery" data-status={d.status}>
                <td className={cellClass}>
                  <TextLink href={deliveriesHref(endpoint.name, d.id)}>
                    <Time value={d.createdAt} />
                  </TextLink>
                </td>
                <td className={cellClass}>{d.eventType}</td>
                <td className={cellClass}>
                  {d.alarmId ? (
                    <TextLink href={alarmHref(d.alarmId)}>#{d.alarmSeq}</TextLink>
                  ) : (
                    <Muted>—</Muted>
                  )}
                </td>
                <td className={cellClass}>
                  <StatusBadge status={d.status} />
                </td>
                <td className={cellClass}>{d.attempts}</td>
                <td className={cellClass}>{d.lastStatusCode ?? <Muted>—</Muted>}</td>
                <td className={cellClass}>
                  {d.lastLatencyMs !== null ? `${d.lastLatencyMs} ms` : <Muted>—</Muted>}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </>
  );
}

/** Delete behind a confirmation that says what goes with it. */
function DeleteDialog({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.webhookEndpoint.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoint.pathKey() });
        router.push("/webhook-endpoints");
      },
    }),
  );
  return (
    <Dialog title={`Delete endpoint ${endpoint.name}?`} onClose={onClose}>
      <p className="text-sm">
        Its delivery log goes with it
        {endpoint.unsentDeliveries > 0 ? (
          <>
            , and <strong>{endpoint.unsentDeliveries} unsent deliveries</strong> are dropped: they
            will never be sent
          </>
        ) : null}
        . An endpoint an action rule still sends to cannot be deleted: remove it from those rules
        first. To stop sending for a while, disable it instead (nothing is dropped).
      </p>
      <ErrorText error={remove.error} />
      <div className="flex gap-3">
        <Button
          variant="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ ref: endpoint.id })}
        >
          Delete endpoint
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

/**
 * One webhook endpoint: its facts, Send test (the result shown as the worker delivers it),
 * rotate secret (shown once), enable or disable, edit, delete behind a confirmation; the action
 * rules that send to it and its recent deliveries.
 */
export function EndpointView({ endpointRef }: { endpointRef: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const detail = useQuery({
    ...trpc.webhookEndpoint.get.queryOptions({ ref: endpointRef }),
    refetchInterval: 5_000,
  });
  const [testId, setTestId] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [dialog, setDialog] = useState<"edit" | "delete" | "disable" | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoint.pathKey() });
  const test = useMutation(
    trpc.webhookEndpoint.test.mutationOptions({ onSuccess: (d) => setTestId(d.id) }),
  );
  const rotate = useMutation(
    trpc.webhookEndpoint.rotateSecret.mutationOptions({
      onSuccess: (e) => {
        setSecret(e.secret);
        void refresh();
      },
    }),
  );
  const toggle = useMutation(trpc.webhookEndpoint.update.mutationOptions({ onSuccess: refresh }));
  if (detail.error) return <ErrorText error={detail.error} />;
  const e = detail.data;
  if (!e) return <Loading />;
  const writable = can("action:write") === true;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={e.label ? `${e.label} (${e.name})` : e.name}>
        {writable ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button
              variant="primary"
              disabled={test.isPending || !e.enabled}
              title={
                e.enabled ? undefined : "Enable it first: nothing is sent to a disabled endpoint"
              }
              onClick={() => test.mutate({ ref: e.id })}
            >
              Send test
            </Button>
            <Button
              disabled={toggle.isPending}
              onClick={() =>
                e.enabled
                  ? setDialog("disable")
                  : toggle.mutate({ ref: e.id, version: e.version, enabled: true })
              }
            >
              {e.enabled ? "Disable" : "Enable"}
            </Button>
            <Button
              disabled={rotate.isPending}
              onClick={() => {
                if (
                  window.confirm(
                    "Rotate the signing secret? The old one stops signing at once: your receiver must get the new one.",
                  )
                )
                  rotate.mutate({ ref: e.id });
              }}
            >
              Rotate secret
            </Button>
            <Button onClick={() => setDialog("edit")}>Edit</Button>
            <Button variant="danger" onClick={() => setDialog("delete")}>
              Delete
            </Button>
          </div>
        ) : null}
      </PageHeader>
      <ErrorText error={test.error ?? toggle.error ?? rotate.error} />
      {secret ? <IssuedSecret secret={secret} onDismiss={() => setSecret(null)} /> : null}
      {testId ? <TestResult key={testId} id={testId} endpoint={e.name} /> : null}
      <Facts
        items={[
          [
            "URL",
            <code key="url" className="break-all font-mono text-xs">
              {e.url}
            </code>,
          ],
          [
            "State",
            <span key="state" data-testid="endpoint-state">
              {e.enabled ? (
                "enabled"
              ) : (
                <span className="text-red-700 dark:text-red-300">{stateText(e)}</span>
              )}
            </span>,
          ],
          ["Failing since", e.failingSince ? <Time key="f" value={e.failingSince} /> : null],
          ["Throttled until", e.throttledUntil ? <Time key="t" value={e.throttledUntil} /> : null],
          [
            "Last delivery",
            e.lastDelivery ? (
              <span key="last" className="flex items-center gap-2">
                <StatusBadge status={e.lastDelivery.status} />
                {e.lastDelivery.statusCode ?? ""}
                <Time value={e.lastDelivery.at} />
              </span>
            ) : null,
          ],
          ["Unsent deliveries", String(e.unsentDeliveries)],
          [
            "Placed in",
            e.location ? (
              <TextLink key="loc" href={locationHref(e.location.path)}>
                {e.location.path}
              </TextLink>
            ) : (
              "the platform (scope all)"
            ),
          ],
          ["Created", <Time key="c" value={e.createdAt} />],
        ]}
      />
      <Traffic endpoint={e} />
      {dialog === "edit" ? <EndpointDialog endpoint={e} onClose={() => setDialog(null)} /> : null}
      {dialog === "delete" ? <DeleteDialog endpoint={e} onClose={() => setDialog(null)} /> : null}
      {dialog === "disable" ? (
        <Dialog title={`Disable endpoint ${e.name}?`} onClose={() => setDialog(null)}>
          <p className="text-sm">
            Nothing is sent to it while it is disabled: deliveries wait (none is dropped) until it
            is enabled again.
          </p>
          <ErrorText error={toggle.error} />
          <div className="flex gap-3">
            <Button
              variant="danger"
              disabled={toggle.isPending}
              onClick={() =>
                toggle.mutate(
                  { ref: e.id, version: e.version, enabled: false },
                  { onSuccess: () => setDialog(null) },
                )
              }
            >
              Disable endpoint
            </Button>
            <Button onClick={() => setDialog(null)}>Cancel</Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
