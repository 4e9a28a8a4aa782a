import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { Verdict } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";

/**
 * The `health=<verdict>[,<verdict>…]` term of the system and component lists (and of the brief
 * status, which counts with the same lists): the owner's current verdict is one of them. One
 * probe of the health row by owner id per candidate row; an owner not judged yet matches none.
 */
export function verdictFilter(ownerId: AnyPgColumn, text: string | undefined): SQL | undefined {
  if (text === undefined) return undefined;
  const verdicts = text.split(",").map((v) => v.trim());
  const bad = verdicts.find((v) => !Verdict.options.includes(v as Verdict));
  if (bad !== undefined) {
    const message = `health: ${bad || "(empty)"} is not a verdict. Accepted: ${Verdict.options.join(", ")} (comma-separated).`;
    throw new OmniglassError("INVALID", `filter: ${message}`, {
      fieldErrors: [{ field: "filter", message }],
    });
  }
  return sql`exists (select 1 from health h where h.owner_id = ${ownerId} and h.verdict in (${sql.join(
    verdicts.map((v) => sql`${v}`),
    sql`, `,
  )}))`;
}
