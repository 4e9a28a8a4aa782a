import { TRPCError } from "@trpc/server";
import { SUBJECTS } from "@omniglass/bus";
import { AlarmsChanged, HealthChanged, type HealthOwnerKind } from "@omniglass/contracts";
import type { LiveEvent } from "./live-stream";

/**
 * The live relay of alarm and health changes: one stream per page carries every change the
 * caller may see, `event: alarm` (an `AlarmsChanged` from `og.v1.live.alarms`) and `event: health`
 * (a `HealthChanged` from `og.v1.live.health.<id>`). Scope is decided by the procedures the page
 * reads with: an alarm is passed on when `alarm.get` finds it for the caller, a verdict when the
 * owner's `get` does. Alarm visibility is the owner's placement, so one answer per owner is kept
 * until the next reauthorization (at most REAUTHORIZE_MS): a burst of changes on one room costs
 * one check per stream, and a grant taken away stops the events within that interval.
 */

export interface LiveAccess {
  /** Resolves whether the caller may read this alarm; rejects when it cannot tell (retried later). */
  canSeeAlarm(alarmId: string): Promise<boolean>;
  /** Resolves whether the caller may read this owner; rejects when it cannot tell. */
  canSeeOwner(kind: HealthOwnerKind, id: string): Promise<boolean>;
}

/** The procedures the relay asks (the API caller of the request, or a test's). */
export interface LiveReader {
  alarm: { get(input: { id: string }): Promise<unknown> };
  component: { get(input: { ref: string }): Promise<unknown> };
  system: { get(input: { ref: string }): Promise<unknown> };
  location: { get(input: { ref: string }): Promise<unknown> };
}

/** Access as the pages have it: what `alarm.get` and the owners' `get` find for the caller. */
export function accessOf(caller: LiveReader): LiveAccess {
  return {
    canSeeAlarm: (id) => allowedBy(() => caller.alarm.get({ id })),
    canSeeOwner: (kind, id) => allowedBy(() => caller[kind].get({ ref: id })),
  };
}

/** Owners' answers kept per stream at most; beyond, the cache starts over. */
export const MAX_CACHED_OWNERS = 5_000;

const HEALTH_PREFIX = SUBJECTS.liveHealth("");

function parse<T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, text: string) {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as T) : null;
  } catch {
    return null;
  }
}

/** Whether a procedure's failure is its answer (not found, forbidden) rather than a fault. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof TRPCError &&
    (error.code === "NOT_FOUND" || error.code === "FORBIDDEN" || error.code === "UNAUTHORIZED")
  );
}

/** Turns a procedure call into an access answer: success yes, a refusal no, a fault rejects. */
export async function allowedBy(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

export function createAlarmRelay(access: LiveAccess) {
  const answers = new Map<string, Promise<boolean>>();
  const ask = (key: string, check: () => Promise<boolean>): Promise<boolean> => {
    let answer = answers.get(key);
    if (!answer) {
      if (answers.size >= MAX_CACHED_OWNERS) answers.clear();
      answer = check();
      answers.set(key, answer);
      // A fault is not an answer: forget it, so the next message asks again.
      answer.catch(() => {
        if (answers.get(key) === answer) answers.delete(key);
      });
    }
    return answer.catch(() => false);
  };

  async function toEvent(payload: string, subject: string): Promise<LiveEvent | null> {
    if (subject === SUBJECTS.liveAlarms) {
      const change = parse<AlarmsChanged>(AlarmsChanged, payload);
      if (!change) return null;
      const key = `alarm:${change.owner.kind}:${change.owner.id}`;
      return (await ask(key, () => access.canSeeAlarm(change.alarmId)))
        ? { event: "alarm", data: change }
        : null;
    }
    if (subject.startsWith(HEALTH_PREFIX)) {
      const change = parse<HealthChanged>(HealthChanged, payload);
      if (!change || subject !== SUBJECTS.liveHealth(change.ownerId)) return null;
      const key = `health:${change.ownerKind}:${change.ownerId}`;
      return (await ask(key, () => access.canSeeOwner(change.ownerKind, change.ownerId)))
        ? { event: "health", data: change }
        : null;
    }
    return null;
  }

  return {
    toEvent,
    /** Drops every kept answer (after a reauthorization: grants may have changed). */
    forget: () => answers.clear(),
  };
}
