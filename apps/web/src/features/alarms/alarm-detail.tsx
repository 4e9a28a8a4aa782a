"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { useLiveAlarms } from "~/client/use-live-alarms";
import { Button, ErrorText, Field, inputClass, Loading, Muted, PageHeader } from "~/ui/controls";
import { Dialog } from "~/ui/dialog";
import { TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { SeverityBadge } from "~/ui/severity-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { AcknowledgeDialog } from "./acknowledge-dialog";
import { AckText, FlappingText, LiveIndicator, OwnerLink, SuppressionReasons } from "./alarm-parts";
import { AlarmTimeline } from "./alarm-timeline";
import { AlarmWhyPanel } from "./alarm-why";

/** While the live stream is down, the page reads the alarm again this often. */
const POLL_MS = 10_000;

type Open = "acknowledge" | "withdraw" | "resolve" | null;

/**
 * One alarm: its lifecycle, acknowledgement, suppression and flapping as separate facts, what
 * fired it, why it did (or didn't) notify, its timeline, and acknowledge / withdraw / resolve (each offered only with the capability).
 */
export function AlarmDetailView({ alarmId }: { alarmId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const [open, setOpen] = useState<Open>(null);
  const key = trpc.alarm.get.queryKey({ id: alarmId });
  const whyKey = trpc.alarm.why.queryKey({ id: alarmId });
  const reread = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: whyKey });
  };
  const live = useLiveAlarms({
    onChange: (change) => {
      if (change.alarmId === alarmId) reread();
    },
    onReady: reread,
  });
  const detail = useQuery({
    ...trpc.alarm.get.queryOptions({ id: alarmId }),
    refetchInterval: live === "live" ? false : POLL_MS,
  });
  // The why panel's answer (one query, shared): the timeline names what held the alarm with it.
  const why = useQuery({
    ...trpc.alarm.why.queryOptions({ id: alarmId }),
    refetchInterval: live === "live" ? false : POLL_MS,
  });
  const done = () => {
    setOpen(null);
    void queryClient.invalidateQueries({ queryKey: trpc.alarm.pathKey() });
  };
  const acknowledge = useMutation(trpc.alarm.acknowledge.mutationOptions({ onSuccess: done }));
  const unacknowledge = useMutation(trpc.alarm.unacknowledge.mutationOptions({ onSuccess: done }));
  const resolve = useMutation(trpc.alarm.resolve.mutationOptions({ onSuccess: done }));

  if (detail.error) return <ErrorText error={detail.error} />;
  const a = detail.data;
  if (!a) return <Loading />;
  const isOpen = a.lifecycle === "open";
  const mayAck = can("alarm:acknowledge") === true;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={a.summary}>
        <div className="flex flex-wrap items-center gap-2">
          <LiveIndicator state={live} />
          {mayAck && !a.acknowledgement ? (
            <Button variant="primary" onClick={() => setOpen("acknowledge")}>
              Acknowledge
            </Button>
          ) : null}
          {mayAck && a.acknowledgement ? (
            <Button
              onClick={() => {
                unacknowledge.reset();
                setOpen("withdraw");
              }}
            >
              Withdraw acknowledgement
            </Button>
          ) : null}
          {isOpen && can("alarm:resolve") ? (
            <Button variant="danger" onClick={() => setOpen("resolve")}>
              Resolve
            </Button>
          ) : null}
        </div>
      </PageHeader>

      <Section title="State">
        <Facts
          items={[
            [
              "Lifecycle",
              <span key="l" data-testid="lifecycle" data-lifecycle={a.lifecycle}>
                {isOpen ? "open" : "resolved"}{" "}
                <Muted>
                  {isOpen ? (
                    <>
                      since <Time value={a.openedAt} />
                    </>
                  ) : (
                    <>
                      <Time value={a.resolvedAt} />{" "}
                      {a.resolvedBy ? `by hand: “${a.resolveReason ?? ""}”` : "by the clear sample"}
                    </>
                  )}
                </Muted>
              </span>,
            ],
            [
              "Acknowledgement",
              <span key="a">
                <AckText ack={a.acknowledgement} />
                {a.acknowledgement?.comment ? <> — “{a.acknowledgement.comment}”</> : null}
              </span>,
            ],
            [
              "Notifications",
              a.suppression ? (
                <span key="n" data-testid="suppressed" data-suppressed="true">
                  held by <SuppressionReasons suppression={a.suppression} />{" "}
                  <Muted>
                    since <Time value={a.suppression.since} />
                  </Muted>
                </span>
              ) : (
                <span key="n" data-testid="suppressed" data-suppressed="false">
                  not held
                </span>
              ),
            ],
            [
              "Flapping",
              <span key="f">
                <FlappingText alarm={a} />{" "}
                <Muted className="text-xs">{`${a.transitions} transitions`}</Muted>
              </span>,
            ],
          ]}
        />
      </Section>

      <Section title="What fired it">
        <Facts
          items={[
            ["Severity", <SeverityBadge key="s" severity={a.severity} />],
            [
              "Rule",
              <span key="r">
                <TextLink href={`/rules/${a.rule.id}`}>{a.rule.name}</TextLink>
                <Muted className="ml-2 text-xs">{a.rule.origin}</Muted>
              </span>,
            ],
            ["Owner", <OwnerLink key="o" owner={a.owner} instance={a.instance} />],
            ["Opened", <Time key="t" value={a.openedAt} />],
            [
              "Fired on",
              <span key="v" className="font-mono text-xs">
                {JSON.stringify(a.firedValue)}
              </span>,
            ],
            ["Sample time", <Time key="st" value={a.firedSampleAt} never="—" />],
          ]}
        />
      </Section>

      <AlarmWhyPanel alarmId={a.id} live={live === "live"} />

      <Section title="Timeline">
        <AlarmTimeline alarm={a} holds={why.data?.suppression.history ?? []} />
      </Section>

      {open === "acknowledge" ? (
        <AcknowledgeDialog
          count={1}
          summaries={[`${a.summary} — ${a.owner.path}`]}
          onConfirm={(input) => acknowledge.mutate({ id: a.id, ...input })}
          onClose={() => setOpen(null)}
          state={acknowledge}
        />
      ) : null}
      {open === "withdraw" && a.acknowledgement ? (
        <Dialog title="Withdraw the acknowledgement?" onClose={() => setOpen(null)}>
          <p className="text-sm" data-testid="withdraw-summary">
            {a.summary} — {a.owner.path}: acknowledged by{" "}
            {a.acknowledgement.byName ?? "a deleted principal"}. Withdrawn, it goes back to the new
            lane: nobody owns it until someone acknowledges it again.
          </p>
          <ErrorText error={unacknowledge.error} />
          <div className="flex gap-2">
            <Button
              variant="danger"
              disabled={unacknowledge.isPending}
              onClick={() => unacknowledge.mutate({ id: a.id })}
            >
              Withdraw
            </Button>
            <Button onClick={() => setOpen(null)}>Cancel</Button>
          </div>
        </Dialog>
      ) : null}
      {open === "resolve" ? (
        <ResolveDialog
          onResolve={(reason) => resolve.mutate({ id: a.id, reason })}
          onClose={() => setOpen(null)}
          state={resolve}
        />
      ) : null}
    </div>
  );
}

/** Resolving by hand needs a reason, kept on the timeline. */
function ResolveDialog({
  onResolve,
  onClose,
  state,
}: {
  onResolve: (reason: string) => void;
  onClose: () => void;
  state: { isPending: boolean; error: { message: string } | null };
}) {
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const missing = reason.trim() === "";
  return (
    <Dialog title="Resolve this alarm" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (!missing) onResolve(reason.trim());
        }}
      >
        <p className="text-sm">
          While the rule&apos;s condition still holds, no new alarm opens for this owner.
        </p>
        <Field label="Reason">
          <textarea
            className={inputClass}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={tried && missing ? true : undefined}
            maxLength={2000}
            required
          />
        </Field>
        {tried && missing ? (
          <span className="text-xs text-red-700 dark:text-red-300">a reason is required</span>
        ) : null}
        <ErrorText error={state.error} />
        <div className="flex gap-2">
          <Button type="submit" variant="danger" disabled={state.isPending}>
            Resolve
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
