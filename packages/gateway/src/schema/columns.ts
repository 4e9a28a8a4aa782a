import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key: an immutable uuid v7 chosen by the writer (time-ordered, so inserts stay local in the index). */
export const id = () => uuid("id").primaryKey();

/** A UTC instant; never a naive local time. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
