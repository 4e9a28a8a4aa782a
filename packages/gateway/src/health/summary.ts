import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { HealthSummary, Verdict } from "@omniglass/contracts";

/**
 * An owner's verdict and since as a column of the row's own statement (one index probe of the
 * health row by owner id), so a list page keeps its statement count whatever its size.
 */
export const healthSummaryColumn = (ownerId: AnyPgColumn): SQL<RawHealthSummary | null> =>
  sql<RawHealthSummary | null>`(select json_build_object('verdict', h.verdict, 'since', h.since)
    from health h where h.owner_id = ${ownerId})`;

export type RawHealthSummary = { verdict: Verdict; since: string };

/** The wire form: the instant normalised to ISO (null before the owner's first judgement). */
export const toHealthSummary = (raw: RawHealthSummary | null): HealthSummary | null =>
  raw ? { verdict: raw.verdict, since: new Date(raw.since).toISOString() } : null;
