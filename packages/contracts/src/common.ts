import { z } from "zod";

/** An ISO-8601 UTC timestamp as it crosses every wire (tRPC, REST, NATS). */
export const Timestamp = z.iso.datetime({ offset: true });

/** Every list takes these; REST spells them as query parameters. */
export const ListInput = z.object({
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe("Rows per page, 1 to 500 (default 50)."),
  page_token: z
    .string()
    .max(1024)
    .optional()
    .describe("The opaque `nextPageToken` of the previous page."),
});
export type ListInput = z.infer<typeof ListInput>;

/** The shape of every list answer. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextPageToken: z
      .string()
      .nullable()
      .describe("Pass as `page_token` for the next page; null on the last page."),
  });
}

export const DependencyStatus = z.enum(["up", "down"]);
export type DependencyStatus = z.infer<typeof DependencyStatus>;
