"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { Button, cellClass, ErrorText, Loading, Muted, mutedClass, Table } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { TextLink } from "~/ui/links";
import { Facts } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";

const endpointHref = (name: string) => `/webhook-endpoints/${encodeURIComponent(name)}`;
const alarmHref = (id: string) => `/alarms/${encodeURIComponent(id)}`;

/**
 * One delivery: its facts, every attempt (time, status code or none, latency, error and the
 * receiver's answer, at most 1 KB), the exact body sent, and Replay. Read again while it is
 * still to send, so a retry shows as it happens.
 */
export function DeliveryDrawer({
  id,
  writable,
  onClose,
}: {
  id: string;
  writable: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery({
    ...trpc.delivery.get.queryOptions({ id }),
    refetchInterval: (q) =>
      q.state.data && ["pending", "failed", "throttled"].includes(q.state.data.status)
        ? 1_000
        : false,
  });
  const replay = useMutation(
    trpc.delivery.replay.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.delivery.pathKey() }),
    }),
  );
  const d = detail.data;
  return (
    <Dialog title="Delivery" onClose={onClose}>
      <div
        data-testid="delivery-drawer"
        className="flex max-h-[75vh] flex-col gap-3 overflow-y-auto pr-1"
      >
        <ErrorText error={detail.error} />
        {!d ? (
          detail.error ? null : (
            <Loading />
          )
        ) : (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={d.status} />
              <code className="break-all font-mono text-xs">{d.id}</code>
            </div>
            <Facts
              items={[
                [
                  "Endpoint",
                  <TextLink key="e" href={endpointHref(d.endpointName)}>
                    {d.endpointName}
                  </TextLink>,
                ],
                ["Event", d.eventType],
                [
                  "Alarm",
                  d.alarmId ? (
                    <TextLink key="a" href={alarmHref(d.alarmId)}>
                      seq {d.alarmSeq}
                    </TextLink>
                  ) : null,
                ],
                ["Created", <Time key="c" value={d.createdAt} />],
                ["Delivered", d.deliveredAt ? <Time key="d" value={d.deliveredAt} /> : null],
                ["Next attempt", d.nextAttemptAt ? <Time key="n" value={d.nextAttemptAt} /> : null],
                ["Last error", d.lastError],
              ]}
            />
            <h3 className="text-sm font-semibold">Attempts</h3>
            {d.attemptLog.length === 0 ? (
              <p className={`text-sm ${mutedClass}`}>Not attempted yet.</p>
            ) : (
              <Table head={["#", "At", "Code", "Latency", "Error / answer"]}>
                {d.attemptLog.map((a) => (
                  <tr key={a.attempt} data-testid="attempt-row">
                    <td className={cellClass}>{a.attempt}</td>
                    <td className={cellClass}>
                      <Time value={a.at} />
                    </td>
                    <td className={cellClass}>{a.statusCode ?? <Muted>none</Muted>}</td>
                    <td className={cellClass}>
                      {a.latencyMs !== null ? `${a.latencyMs} ms` : <Muted>—</Muted>}
                    </td>
                    <td className={cellClass}>
                      {a.error ? <div>{a.error}</div> : null}
                      {a.responseExcerpt ? (
                        <pre className="max-h-24 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">
                          {a.responseExcerpt}
                        </pre>
                      ) : a.error ? null : (
                        <Muted>(empty answer)</Muted>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
            <details className="text-sm">
              <summary className="cursor-pointer">
                The body sent (the same on every attempt)
              </summary>
              <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">
                {prettyJson(d.body)}
              </pre>
            </details>
            {replay.data ? (
              <p role="status" className="text-sm">
                Queued again: it is sent with the same webhook-id.
              </p>
            ) : null}
            <ErrorText error={replay.error} />
          </>
        )}
        <div className="flex gap-3">
          {writable && d && d.status !== "pending" ? (
            <Button
              variant="primary"
              disabled={replay.isPending}
              onClick={() => {
                if (
                  window.confirm(
                    "Send this delivery again (same webhook-id and body, attempts from zero)?",
                  )
                )
                  replay.mutate({ id: d.id });
              }}
            >
              Replay
            </Button>
          ) : null}
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </Dialog>
  );
}

function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
