import { index, pgTable, text } from "drizzle-orm/pg-core";
import { id, instant } from "./columns";

/**
 * One row per failed sign-in, keyed by account (`account:<name>`) or client address
 * (`address:<ip>`). Kept in PostgreSQL so every web replica throttles the same way; rows older
 * than the throttle window are pruned as new failures arrive.
 */
export const signInFailure = pgTable(
  "sign_in_failure",
  {
    id: id(),
    key: text("key").notNull(),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [
    index("sign_in_failure_key_at_idx").on(t.key, t.at),
    index("sign_in_failure_at_idx").on(t.at),
  ],
);
