import { z } from "zod";
import { Timestamp } from "./common";
import { Ref } from "./location";

/* The inputs of the health reads (apart from verdict.ts, which the estate rows import). */

export const HealthOwnerInput = z.object({ ref: Ref });

export const HealthHistoryInput = z.object({
  ref: Ref,
  from: Timestamp.optional().describe("Default: 7 days before `to`."),
  to: Timestamp.optional().describe("Default: now."),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe("Transitions listed, newest first (availability counts them all)."),
});
export type HealthHistoryInput = z.infer<typeof HealthHistoryInput>;
