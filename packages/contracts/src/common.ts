import { z } from "zod";

/** An ISO-8601 UTC timestamp as it crosses every wire (tRPC, REST, NATS). */
export const Timestamp = z.iso.datetime({ offset: true }).meta({
  id: "Timestamp",
  description: "An RFC 3339 instant with its offset (e.g. 2026-12-01T14:02:00Z).",
});

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

/**
 * The order of an estate list: a field, descending with a leading `-`. Pages stay stable under
 * inserts (keyset cursors on the field and the id).
 */
export function orderBy<const F extends string>(fields: readonly F[], fallback: F) {
  const values = fields.flatMap((f) => [f, `-${f}`] as const);
  return z
    .enum(values as [string, ...string[]])
    .default(fallback)
    .describe(`Sort field, \`-\` for descending: ${fields.join(", ")} (default ${fallback}).`);
}

/**
 * `filter`: space-separated `field=value` terms, all of which must hold (AIP-160 style, equality
 * only), e.g. `kind=display location=campus.hq`. Each list names the fields it accepts.
 */
export const Filter = z
  .string()
  .max(1000)
  .optional()
  .describe("Space-separated `field=value` terms that must all hold, e.g. `kind=display`.");

/** Search by name or label: case-insensitive substring. */
export const Search = z.string().max(200).optional().describe("Name or label contains this.");

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    totalSize: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("How many rows match the filter in your scope (estate lists)."),
    nextPageToken: z
      .string()
      .nullable()
      .describe("Pass as `page_token` for the next page; null on the last page."),
  });

const pages = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The shape of every list answer. A page of a named row is named too (`ComponentPage` for
 * `Component`), once per row schema, so OpenAPI clients get one type per page.
 */
export function listOf<T extends z.ZodType>(item: T): ReturnType<typeof pageOf<T>> {
  const known = pages.get(item);
  if (known) return known as ReturnType<typeof pageOf<T>>;
  const id = z.globalRegistry.get(item)?.id;
  const page = id
    ? pageOf(item).meta({ id: `${id}Page`, description: `A page of ${id} rows.` })
    : pageOf(item);
  pages.set(item, page);
  return page;
}

export const DependencyStatus = z.enum(["up", "down"]);
export type DependencyStatus = z.infer<typeof DependencyStatus>;

/** What a delete answers. */
export const Deleted = z.object({ id: z.uuid(), deleted: z.literal(true) }).meta({ id: "Deleted" });
