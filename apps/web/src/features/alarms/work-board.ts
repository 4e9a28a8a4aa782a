/**
 * The alarm queue as a work board (issue #16 item 4): which lane an alarm belongs to, decided
 * only from its own facts (lifecycle, acknowledgement, suppression), and the cases where those
 * facts do not settle who is on it — said on the card instead of guessed. Pure: the lane and the
 * queue's page render what these return.
 */

export type LaneName = "new" | "acknowledged" | "suppressed" | "resolved";

/** The facts a lane is decided from: the alarm list's fields, nothing else. */
export interface BoardAlarm {
  lifecycle: "open" | "resolved";
  acknowledgement: {
    byName: string | null;
    byStatus: "active" | "disabled" | "deleted";
    at: string;
    expiresAt: string | null;
  } | null;
  suppression: {
    windows: { name: string }[];
    silences: { reason: string; expiresAt: string }[];
    root: { owner: { path: string } } | null;
  } | null;
}

/** What each lane means, as its header says it. */
export const LANES: Record<LaneName, { title: string; means: string }> = {
  new: {
    title: "New — nobody owns it",
    means: "Open, not acknowledged (or its acknowledgement lapsed), notifying.",
  },
  acknowledged: {
    title: "Acknowledged — owned",
    means: "Open and acknowledged by someone, notifying: who owns it and since when.",
  },
  suppressed: {
    title: "Suppressed — held from notifying, with why",
    means:
      "Open but held by a maintenance window, a silence or the root alarm it depends on (acknowledged or not). Suppression never hides an alarm.",
  },
  resolved: {
    title: "Resolved recently",
    means: "Resolved within the window below, newest resolution first.",
  },
};

const lapsed = (expiresAt: string | null, now: Date) =>
  expiresAt !== null && new Date(expiresAt).getTime() <= now.getTime();

/**
 * The lane an alarm's facts put it in as of `now`: resolved; else held (suppressed, whether
 * acknowledged or not: the hold is what decides whether anyone is told); else acknowledged while
 * the acknowledgement stands; else new. The server's lane queries apply the same rule.
 */
export function laneOf(alarm: BoardAlarm, now: Date): LaneName {
  if (alarm.lifecycle === "resolved") return "resolved";
  if (alarm.suppression) return "suppressed";
  const ack = alarm.acknowledgement;
  return ack && !lapsed(ack.expiresAt, now) ? "acknowledged" : "new";
}

export type AmbiguityKind =
  "owner-gone" | "acknowledged-and-held" | "silence-expired" | "acknowledgement-lapsed" | "moved";

export interface Ambiguity {
  kind: AmbiguityKind;
  text: string;
}

/**
 * What this alarm's facts leave open, shown on its card in `lane` as of `now`:
 * - owner-gone: acknowledged by a principal since disabled or deleted — it reads owned, but
 *   nobody may be working on it;
 * - acknowledged-and-held: someone owns it and it is held from notifying — both are true;
 * - silence-expired: a silence holding it has expired and the suppression pass has not yet
 *   released it (alone: held by nothing still in force);
 * - acknowledgement-lapsed: its acknowledgement expired since the lane was read;
 * - moved: its facts now put it in another lane than the one that listed it (read again soon).
 */
export function ambiguitiesOf(alarm: BoardAlarm, lane: LaneName, now: Date): Ambiguity[] {
  const out: Ambiguity[] = [];
  const ack = alarm.acknowledgement;
  const open = alarm.lifecycle === "open";
  if (open && ack && ack.byStatus !== "active")
    out.push({
      kind: "owner-gone",
      text: `owner gone: acknowledged by ${ack.byName ?? "a principal"} who has since been ${ack.byStatus} — nobody may be on it`,
    });
  if (open && ack && alarm.suppression && !lapsed(ack.expiresAt, now))
    out.push({
      kind: "acknowledged-and-held",
      text: `acknowledged by ${ack.byName ?? "a deleted principal"} and held from notifying: both owned and suppressed`,
    });
  const s = alarm.suppression;
  if (open && s) {
    const expired = s.silences.filter((x) => lapsed(x.expiresAt, now));
    if (expired.length > 0) {
      const inForce = s.windows.length + (s.silences.length - expired.length) + (s.root ? 1 : 0);
      const names = expired.map((x) => `“${x.reason}”`).join(", ");
      out.push({
        kind: "silence-expired",
        text:
          inForce === 0
            ? `its silence ${names} expired: held by nothing in force, waiting for the suppression pass`
            : `silence ${names} expired; still held by the rest, waiting for the suppression pass`,
      });
    }
  }
  if (open && ack && lapsed(ack.expiresAt, now))
    out.push({
      kind: "acknowledgement-lapsed",
      text: "its acknowledgement lapsed since this lane was read: nobody owns it now",
    });
  const current = laneOf(alarm, now);
  if (current !== lane && !(lane === "acknowledged" && current === "new" && ack))
    out.push({ kind: "moved", text: `its facts now put it in ${LANES[current].title}` });
  return out;
}
