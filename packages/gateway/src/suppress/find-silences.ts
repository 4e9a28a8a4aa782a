import { and, gt, ilike, lte, or, sql } from "drizzle-orm";
import type { ListSilencesInput, Silence } from "@omniglass/contracts";
import type { GatewayContext } from "../kit";
import { keysetOrder, pageWithTotal, type Page } from "../list";
import { escapeLike } from "../locations/scope";
import { silence } from "../schema";
import {
  countSilences,
  resolveSilence,
  silenceQuery,
  silenceScope,
  toSilence,
  type SilenceRow,
} from "./read-silence";

const ORDER = {
  created_at: { column: silence.id, unique: true, value: (r: SilenceRow) => r.s.id },
  expires_at: {
    column: silence.expiresAt,
    value: (r: SilenceRow) => r.s.expiresAt.toISOString(),
  },
};
const ID = { column: silence.id, value: (r: SilenceRow) => r.s.id };

/**
 * Silences within `silence:read` scope, newest first by default, by `state` (pending, active,
 * expired as of the statement), searched in the reason and the author's name. Two statements per
 * page whatever its size.
 */
export async function findSilences({
  db,
  actor,
  input,
}: GatewayContext & { input: ListSilencesInput }): Promise<Page<Silence>> {
  const now = sql`now()`;
  const state =
    input.state === "pending"
      ? gt(silence.startsAt, now)
      : input.state === "active"
        ? and(lte(silence.startsAt, now), gt(silence.expiresAt, now))
        : input.state === "expired"
          ? lte(silence.expiresAt, now)
          : undefined;
  const where = and(
    silenceScope(actor, "silence:read"),
    state,
    input.q
      ? or(
          ilike(silence.reason, `%${escapeLike(input.q)}%`),
          ilike(silence.authorName, `%${escapeLike(input.q)}%`),
        )
      : undefined,
  );
  const order = keysetOrder(input, ORDER, ID);
  const at = new Date();
  return pageWithTotal(
    input,
    order.cursorOf,
    (row) => toSilence(row, at),
    silenceQuery(db)
      .where(and(where, order.after))
      .orderBy(...order.orderBy)
      .limit(input.page_size + 1),
    countSilences(db, where),
  );
}

export async function getSilence({
  db,
  actor,
  id,
}: GatewayContext & { id: string }): Promise<Silence> {
  return toSilence(await resolveSilence(db, actor, id));
}
