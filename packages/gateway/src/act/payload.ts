import type { Alarm, Suppression, TransitionKind, WebhookPayload } from "@omniglass/contracts";

/*
 * The outbox row's payload is what the trigger on alarm_event wrote: `{ alarm: to_jsonb(alarm),
 * event, rule, path, ackName }` as of that event. This turns it into the Alarm contract shape and
 * the webhook body (Standard Webhooks' `{ type, timestamp, data }`).
 */

type Row = Record<string, unknown>;

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(String(value)).toISOString();

/** fired → opened; every other timeline kind is its own transition. */
export function transitionKind(eventKind: string): TransitionKind {
  return (eventKind === "fired" ? "opened" : eventKind) as TransitionKind;
}

export function snapshotToAlarm(payload: Row): Alarm {
  const a = payload.alarm as Row;
  const rule = payload.rule as { name: string; origin: Alarm["rule"]["origin"] };
  const at = new Date(String((payload.event as Row).at));
  const ackAt = iso(a.acknowledged_at);
  const ackExpires = iso(a.ack_expires_at);
  const acknowledged = ackAt !== null && (ackExpires === null || new Date(ackExpires) > at);
  return {
    id: String(a.id),
    rule: { id: String(a.rule_id), name: rule.name, origin: rule.origin },
    owner: {
      kind: a.owner_kind as Alarm["owner"]["kind"],
      id: String(a.component_id ?? a.system_id ?? a.location_id ?? a.node_id ?? a.endpoint_id),
      path: String(payload.path ?? ""),
    },
    instance: String(a.instance ?? ""),
    severity: a.severity as Alarm["severity"],
    summary: String(a.summary),
    lifecycle: a.lifecycle as Alarm["lifecycle"],
    openedAt: iso(a.opened_at)!,
    resolvedAt: iso(a.resolved_at),
    resolvedBy: (a.resolved_by as string | null) ?? null,
    resolveReason: (a.resolve_reason as string | null) ?? null,
    acknowledgement: acknowledged
      ? {
          by: (a.acknowledged_by as string | null) ?? null,
          byName: (payload.ackName as string | null) ?? null,
          // As of the event: the acknowledger's name was read then (null: deleted by then).
          byStatus:
            a.acknowledged_by === null || a.acknowledged_by === undefined || !payload.ackName
              ? "deleted"
              : "active",
          at: ackAt,
          comment: String(a.ack_comment ?? ""),
          expiresAt: ackExpires,
        }
      : null,
    flapping: Boolean(a.flapping),
    transitions: Number(a.transitions),
    firedValue: a.fired_value ?? null,
    firedSampleAt: iso(a.fired_sample_at),
    suppression: a.suppressed === true ? (a.suppression as Suppression) : null,
    version: Number(a.version),
  };
}

/** The exact JSON body of a transition's webhook (the same bytes on every attempt). */
export function webhookBody(payload: Row): string {
  const event = payload.event as Row;
  const kind = transitionKind(String(event.kind));
  const alarm = snapshotToAlarm(payload);
  const body: WebhookPayload = {
    type: `alarm.${kind}`,
    timestamp: iso(event.at)!,
    data: {
      seq: Number(event.seq),
      event: {
        kind,
        at: iso(event.at)!,
        by: (event.by as string | null) ?? null,
        comment: (event.comment as string | null) ?? null,
      },
      alarm,
      suppressed: alarm.suppression !== null,
    },
  };
  return JSON.stringify(body);
}
