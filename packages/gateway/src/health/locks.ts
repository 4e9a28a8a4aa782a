import { sql } from "drizzle-orm";
import type { HealthOwnerKind } from "@omniglass/contracts";
import type { Transaction } from "../db";

/*
 * Who may judge an owner: a transaction-scoped advisory lock per owner, taken before its facts are
 * read, so the writer that holds it reads everything committed before it and two recomputes of
 * the same owner queue instead of both writing a transition. A lock, not a row lock, because the
 * first judgement has no row yet. Keys are (class of the owner's kind, a bucket of its id): a
 * collision of two ids only makes them queue. Every recompute takes its locks in one order —
 * components, then systems, then locations, each kind sorted by key — so none deadlocks.
 */

const CLASS: Record<HealthOwnerKind, number> = {
  component: 0x48_45_41_01,
  system: 0x48_45_41_02,
  location: 0x48_45_41_03,
};

/**
 * Lock keys per kind: an owner's key is its id's last 32 bits modulo this. Bounded so one
 * recompute of a whole batch holds at most 3 × BUCKETS advisory locks (PostgreSQL's shared lock
 * table holds max_locks_per_transaction × max_connections, 6,400 by default, for everyone); two
 * owners in one bucket only queue on each other.
 */
const BUCKETS = 512;

/** The lock key of an owner id. */
export const lockKeyOf = (id: string) => parseInt(id.replace(/-/g, "").slice(-8), 16) % BUCKETS;

export async function lockOwners(tx: Transaction, kind: HealthOwnerKind, ids: readonly string[]) {
  if (ids.length === 0) return;
  const keys = [...new Set(ids.map(lockKeyOf))].sort((a, b) => a - b);
  await tx.execute(sql`
    select pg_advisory_xact_lock(${CLASS[kind]}::int4, k.key)
    from unnest(${sql.param(keys)}::int4[]) with ordinality as k(key, n)
    order by k.n`);
}
