import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key: an immutable uuid v7 chosen by the writer (time-ordered, so inserts stay local in the index). */
export const id = () => uuid("id").primaryKey();

/** A UTC instant; never a naive local time. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A jsonb column read back exactly as stored. drizzle's own `jsonb` parses a string it is handed
 * a second time (node-postgres has already parsed the document), so a stored JSON string that
 * looks like JSON — a tag value "4711", an input named "1", "true" — came back as a number or a
 * boolean and failed the answer's schema. Same SQL type: no migration.
 */
export const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => "jsonb",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});
