import { sql } from "drizzle-orm";
import type { Database, Transaction } from "../db";
import { unsafeEnsureBuiltinRule, type BuiltinRule } from "../rules/builtin-rule";
import { openAlarm, resolveAlarmByClear, type AlarmChange } from "../alarms/transitions";

/*
 * An endpoint failing for days raises an alarm to its owner (issue #14): the built-in
 * endpoint-failing rule (origin builtin, owner kind endpoint), seeded in code like
 * collector-down — one row with a fixed id, created when missing, read-only like template rules.
 *
 * The alarm is owned by the endpoint (`alarm.endpoint_id`), so it is placed at the endpoint's
 * location (readers of that location see it; an endpoint at the platform: scope all only) and its
 * path is the endpoint's name. It opens when the endpoint has failed every attempt since
 * `failing_since` for longer than the threshold (OMNIGLASS_WEBHOOK_FAILING_DAYS, default 3 days),
 * or when a 410 Gone disabled it; it resolves when a delivery succeeds again (failing_since is
 * cleared by the success), or when the endpoint is re-enabled after the 410 (still failing for
 * the threshold: it stays open), or disabled by hand (the owner turned it off on purpose).
 */

export const ENDPOINT_FAILING_RULE_ID = "019a0000-0000-7000-8000-00000000e0f1";
export const ENDPOINT_FAILING_RULE_NAME = "endpoint-failing";
/** OMNIGLASS_WEBHOOK_FAILING_DAYS' default. */
export const DEFAULT_ENDPOINT_FAILING_DAYS = 3;
/**
 * The disabled reason the delivery lane writes on a 410 (act/deliveries.ts); the integration test
 * drives a real 410 through the lane, so a change of that text fails it.
 */
const GONE_REASON = "The receiver answered 410 Gone";

const DESCRIPTION =
  "A webhook endpoint has failed every delivery for longer than OMNIGLASS_WEBHOOK_FAILING_DAYS (default 3 days), " +
  "or the receiver answered 410 Gone and the endpoint was disabled. Deliveries to it wait (or, once their retry " +
  "schedule is spent, are dead and can be replayed). Check the receiver; the alarm resolves with the next successful " +
  "delivery, or when the endpoint is re-enabled after a 410.";

export type EndpointFailingRule = BuiltinRule;

/**
 * The built-in rule, created when missing. Its fire expression documents the condition; it reads
 * a name no signal can have (signal names hold no dot), so no sample ever evaluates it — the
 * endpoint pass judges it.
 */
export const unsafeEnsureEndpointFailingRule = (
  db: Database | Transaction,
): Promise<EndpointFailingRule> =>
  unsafeEnsureBuiltinRule(db, {
    id: ENDPOINT_FAILING_RULE_ID,
    name: ENDPOINT_FAILING_RULE_NAME,
    label: "Webhook endpoint failing",
    description: DESCRIPTION,
    severity: "warning",
    fire: 'fresh["webhook.delivered"] == false',
    ownerKind: "endpoint",
  });

export interface EndpointAlarmPassResult {
  /** Endpoint alarms opened or resolved by this pass. */
  alarms: AlarmChange[];
  /** false when another worker held the pass. */
  ran: boolean;
}

/**
 * The endpoint pass (periodic, in the worker): opens or resolves each endpoint's one
 * endpoint-failing alarm. One worker at a time (a transaction-scoped advisory lock, skipped when
 * held); the partial unique index on open alarms stands behind it.
 */
export async function unsafeSyncEndpointAlarms(
  db: Database,
  {
    failingMs = DEFAULT_ENDPOINT_FAILING_DAYS * 86_400_000,
    now = new Date(),
  }: { failingMs?: number; now?: Date } = {},
): Promise<EndpointAlarmPassResult> {
  return db.transaction(async (tx) => {
    const lock = await tx.execute(
      sql`select pg_try_advisory_xact_lock(hashtext('omniglass-endpoint-pass')) as taken`,
    );
    if (!(lock.rows[0] as { taken: boolean }).taken) return { alarms: [], ran: false };
    const rule = await unsafeEnsureEndpointFailingRule(tx);
    const at = now.getTime();
    // Only endpoints that are failing, disabled or alarmed: a healthy estate reads nothing else.
    const result = await tx.execute(sql`
      select e.id, e.name, e.enabled, e.disabled_reason,
        (extract(epoch from e.failing_since) * 1000)::float8 as failing_since,
        (extract(epoch from e.updated_at) * 1000)::float8 as updated_at,
        (select (extract(epoch from a.opened_at) * 1000)::float8 from alarm a
          where a.rule_id = ${ENDPOINT_FAILING_RULE_ID}::uuid and a.owner_kind = 'endpoint'
            and a.endpoint_id = e.id and a.lifecycle = 'open') as alarmed
      from webhook_endpoint e
      where e.failing_since is not null or not e.enabled
        or exists (select 1 from alarm a where a.rule_id = ${ENDPOINT_FAILING_RULE_ID}::uuid
          and a.endpoint_id = e.id and a.lifecycle = 'open')`);
    const alarms: AlarmChange[] = [];
    for (const r of result.rows as {
      id: string;
      name: string;
      enabled: boolean;
      disabled_reason: string | null;
      failing_since: number | null;
      updated_at: number;
      alarmed: number | null;
    }[]) {
      const failingSince = r.failing_since === null ? null : Number(r.failing_since);
      const gone = !r.enabled && r.disabled_reason === GONE_REASON;
      const failing = r.enabled && failingSince !== null && at - failingSince >= failingMs;
      const target = {
        ruleId: ENDPOINT_FAILING_RULE_ID,
        owner: { kind: "endpoint" as const, id: r.id },
        instance: "",
      };
      const value = {
        endpoint: r.name,
        enabled: r.enabled,
        disabledReason: r.disabled_reason,
        failingSince: failingSince === null ? null : new Date(failingSince).toISOString(),
      };
      if ((gone || failing) && r.alarmed === null && rule.enabled) {
        const summary = gone
          ? `Webhook endpoint ${r.name} was disabled: the receiver answered 410 Gone`
          : `Webhook endpoint ${r.name} has failed every delivery since ${new Date(failingSince!).toISOString()}`;
        const change = await openAlarm(tx, target, {
          // Dated when it crossed the threshold (or was disabled), never in the future.
          openedAt: Math.min(at, gone ? Number(r.updated_at) : failingSince! + failingMs),
          sampleAt: at,
          value,
          severity: rule.severity,
          summary,
          flapWindowMs: rule.flapWindowMs,
          flapThreshold: rule.flapThreshold,
        });
        if (change) alarms.push(change);
      } else if (!gone && !failing && r.alarmed !== null) {
        const change = await resolveAlarmByClear(tx, target, {
          clearedAt: Math.max(at, Number(r.alarmed)),
          value,
        });
        if (change) alarms.push(change);
      }
    }
    return { alarms, ran: true };
  });
}
