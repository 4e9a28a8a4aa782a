"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import type { ApiOutputs } from "~/client/outputs";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, Loading, Muted, mutedClass, Table } from "~/ui/controls";
import { plural } from "~/ui/format";
import { TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { alarmHref, OwnerLink, SuppressionReasons } from "./alarm-parts";

type Why = ApiOutputs["alarm"]["why"];
type Transition = Why["transitions"][number];
type Delivery = Transition["deliveries"][number];

/** While the live stream is down, the panel reads again this often (as the page does). */
const POLL_MS = 10_000;
/**
 * Webhooks are made and attempted after the transition commits (outbox → routing → delivery),
 * which no live alarm change announces: while some are on their way the panel reads again this
 * often.
 */
const SETTLING_MS = 3_000;
/** A transition this recent may still be routed (and a retry this close is worth waiting for). */
const ROUTING_MS = 30_000;

/** Whether webhooks of this alarm may still appear or change. */
function settling(why: Why | undefined, now = Date.now()): boolean {
  if (!why) return false;
  return why.transitions.some(
    (t) =>
      t.outbox === "waiting" ||
      now - new Date(t.at).getTime() < ROUTING_MS ||
      t.deliveries.some(
        (d) =>
          d.status === "pending" ||
          (d.nextAttemptAt !== null && new Date(d.nextAttemptAt).getTime() - now < ROUTING_MS),
      ),
  );
}

const MISS: Record<NonNullable<Transition["actionRules"][number]["why"]>, string> = {
  disabled: "the action rule is disabled",
  severity: "not its severities",
  rule: "not its event rules",
  scope: "outside its scope",
  kind: "not its transition kinds",
  acknowledged: "not its acknowledgement state",
  suppressed: "the alarm was held (the rule takes unsuppressed transitions only)",
};

const endpointHref = (name: string) => `/webhook-endpoints/${encodeURIComponent(name)}`;
/** The delivery log with this delivery's drawer (every attempt, the answer, the body). */
const deliveryHref = (id: string) => `/deliveries?delivery=${encodeURIComponent(id)}`;
/** The action rules page with this rule's form open. */
const actionRuleHref = (name: string) => `/action-rules?edit=${encodeURIComponent(name)}`;

/** A webhook: its endpoint, status (the word and its colour), the receiver's code, latency, time. */
function DeliveryLine({ d }: { d: Delivery }) {
  return (
    <li data-testid="why-delivery" data-endpoint={d.endpoint.name} data-status={d.status}>
      <TextLink href={endpointHref(d.endpoint.name)}>{d.endpoint.name}</TextLink>{" "}
      <Link href={deliveryHref(d.id)} title={`Delivery ${d.id}: every attempt`}>
        <StatusBadge status={d.status} />
      </Link>
      {d.lastStatusCode !== null ? (
        <span className="ml-1 font-mono">{d.lastStatusCode}</span>
      ) : null}
      {d.lastLatencyMs !== null ? <Muted className="ml-1">{d.lastLatencyMs} ms</Muted> : null}
      <Muted className="ml-1">
        {d.deliveredAt ? (
          <Time value={d.deliveredAt} />
        ) : d.lastAttemptAt ? (
          <>
            last tried <Time value={d.lastAttemptAt} />
          </>
        ) : (
          "not attempted yet"
        )}
        {`, ${plural(d.attempts, "attempt")}`}
        {d.status !== "delivered" && d.nextAttemptAt ? (
          <>
            , next <Time value={d.nextAttemptAt} />
          </>
        ) : null}
      </Muted>
      {d.status !== "delivered" && d.lastError ? (
        <span className="ml-1 font-mono text-xs">{d.lastError}</span>
      ) : null}
    </li>
  );
}

function TransitionRow({ t }: { t: Transition }) {
  const hiddenRules = t.otherActionRules.matched + t.otherActionRules.notMatched;
  return (
    <tr data-testid="why-transition" data-kind={t.kind} data-suppressed={String(t.suppressed)}>
      <td className={cellClass}>
        <Time value={t.at} />
        <div>
          <strong>{t.kind}</strong>
          <Muted className="ml-1 text-xs">#{t.seq}</Muted>
        </div>
      </td>
      <td className={cellClass}>
        {t.suppressed ? "held" : "notifies"}
        {t.acknowledged ? <Muted className="ml-1 text-xs">acknowledged</Muted> : null}
        {t.facts === "timeline" ? (
          <div className={`text-xs ${mutedClass}`}>rebuilt from the timeline</div>
        ) : null}
        {t.outbox === "waiting" ? (
          <div className={`text-xs ${mutedClass}`}>still in the outbox</div>
        ) : null}
      </td>
      <td className={cellClass}>
        <ul className="flex flex-col gap-0.5">
          {t.actionRules.map((r) => (
            <li
              key={r.id}
              data-testid="why-rule"
              data-rule={r.name}
              data-matched={String(r.matched)}
            >
              <TextLink href={actionRuleHref(r.name)}>{r.name}</TextLink>{" "}
              {r.matched ? (
                <span className="text-emerald-800 dark:text-emerald-300">matched</span>
              ) : (
                <Muted>no: {MISS[r.why ?? "scope"]}</Muted>
              )}
              {r.changedSince ? <Muted className="ml-1 text-xs">(changed since)</Muted> : null}
            </li>
          ))}
          {hiddenRules > 0 ? (
            <li className={`text-xs ${mutedClass}`} data-testid="why-rules-hidden">
              {`${plural(hiddenRules, "action rule")} you may not read: ${t.otherActionRules.matched} matched`}
            </li>
          ) : null}
          {t.actionRules.length === 0 && hiddenRules === 0 ? (
            <li>
              <Muted>no action rules</Muted>
            </li>
          ) : null}
        </ul>
      </td>
      <td className={cellClass}>
        <ul className="flex flex-col gap-0.5">
          {t.deliveries.map((d) => (
            <DeliveryLine key={d.id} d={d} />
          ))}
          {t.otherDeliveries.total > 0 ? (
            <li className={`text-xs ${mutedClass}`} data-testid="why-deliveries-hidden">
              {`${plural(t.otherDeliveries.total, "webhook")} to endpoints you may not read (${t.otherDeliveries.delivered} delivered)`}
            </li>
          ) : null}
          {t.deliveries.length === 0 && t.otherDeliveries.total === 0 ? (
            <li>
              <Muted>no webhook</Muted>
            </li>
          ) : null}
        </ul>
      </td>
    </tr>
  );
}

/** "Notified: …" or "Not notified: …", the sentence a person asks for first. */
function Verdict({ why }: { why: Why }) {
  const current = why.suppression.current;
  const delivered = why.transitions.flatMap((t) => t.deliveries).find((d) => d.deliveredAt);
  return (
    <p data-testid="why-verdict" data-notified={String(why.notified)} className="text-sm">
      {why.notified ? (
        <>
          <strong>Notified.</strong>{" "}
          {delivered ? (
            <>
              First delivered to {delivered.endpoint.name} <Time value={delivered.deliveredAt} />.
            </>
          ) : (
            "Delivered to an endpoint you may not read."
          )}
        </>
      ) : (
        <>
          <strong>Not notified</strong>: no webhook of this alarm was delivered.
        </>
      )}{" "}
      {current ? (
        <>
          Held now by <SuppressionReasons suppression={current} /> since{" "}
          <Time value={current.since} />.
        </>
      ) : null}
    </p>
  );
}

/**
 * The alarm's "why" panel (issue #14 item 4): did it notify, what held it (windows, silences, the
 * root with the dependency chain, now and over time), and per transition the action rules matched
 * (or the matcher that missed) and the webhooks delivered. Only action rules and endpoints the
 * viewer may read are named; the others are counted.
 */
export function AlarmWhyPanel({ alarmId, live }: { alarmId: string; live: boolean }) {
  const trpc = useTRPC();
  const why = useQuery({
    ...trpc.alarm.why.queryOptions({ id: alarmId }),
    refetchInterval: (query) =>
      !live ? POLL_MS : settling(query.state.data) ? SETTLING_MS : false,
  });
  return (
    <Section title="Why">
      <div id="why" data-testid="why-panel" className="flex flex-col gap-3">
        <ErrorText error={why.error} />
        {!why.data && !why.error ? <Loading /> : null}
        {why.data ? <WhyBody why={why.data} /> : null}
      </div>
    </Section>
  );
}

function WhyBody({ why }: { why: Why }) {
  const current = why.suppression.current;
  const root = why.suppression.root;
  const chain =
    current?.root?.links ??
    why.suppression.history.findLast((h) => h.reasons?.root)?.reasons?.root?.links ??
    [];
  return (
    <>
      <Verdict why={why} />
      <Facts
        items={[
          [
            "Rule",
            <span key="r">
              <TextLink href={`/rules/${why.rule.id}`}>{why.rule.name}</TextLink>
              <Muted className="ml-2 text-xs">{why.rule.origin}</Muted>
            </span>,
          ],
          [
            "Held by",
            current ? (
              <span key="h" data-testid="why-held-by">
                <SuppressionReasons suppression={current} />
              </span>
            ) : (
              <Muted key="h">nothing now</Muted>
            ),
          ],
          ...(root
            ? ([
                [
                  "Root alarm",
                  <span key="root" data-testid="why-root">
                    <TextLink href={alarmHref(root.id)}>{root.summary}</TextLink>{" "}
                    <OwnerLink owner={root.owner} instance="" />{" "}
                    <Muted className="text-xs">{root.lifecycle}</Muted>
                  </span>,
                ],
              ] as [string, ReactNode][])
            : []),
        ]}
      />
      {chain.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Dependency chain</h3>
          <ol data-testid="why-chain" className="ml-4 list-decimal text-sm">
            {chain.map((l, i) => (
              <li key={i}>
                <span className="font-mono">{l.from}</span> depends on{" "}
                <span className="font-mono">{l.to}</span>
                <Muted className="ml-1">
                  ({l.via === "poller" ? "polled by" : "template"}: {l.reason}
                  {l.system ? `, in ${l.system}` : ""}
                  {l.role ? `, role ${l.role}` : ""})
                </Muted>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {why.suppression.history.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Suppression over time</h3>
          <ul data-testid="why-history" className="text-sm">
            {why.suppression.history.map((h) => (
              <li key={h.seq} data-kind={h.kind}>
                <Time value={h.at} /> {h.kind === "suppressed" ? "held" : "released"}
                {h.reasons ? (
                  <>
                    {h.kind === "suppressed" ? " by " : " — no longer held by "}
                    <SuppressionReasons suppression={h.reasons} />
                  </>
                ) : null}
                {h.comment ? <Muted className="ml-1">“{h.comment}”</Muted> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <h3 className="text-sm font-semibold">Transitions and webhooks</h3>
        <Table head={["When", "Held", "Action rules", "Webhooks"]}>
          {why.transitions.map((t) => (
            <TransitionRow key={t.seq} t={t} />
          ))}
        </Table>
        <p className={`mt-1 text-xs ${mutedClass}`}>
          Each transition is matched against today&apos;s action rules with the facts it carried
          (held or not, acknowledged or not); the webhooks are what was sent. Action rules and
          endpoints you may not read are counted, not named.
        </p>
      </div>
    </>
  );
}
