import { z } from "zod";

/** One failing field of a request, by its path in the input (`page_size`, `filter.name`). */
export const FieldError = z.object({
  field: z.string(),
  message: z.string(),
  line: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Where in the field's text the error is (1-based line), when it is an expression."),
  column: z.number().int().min(1).optional().describe("1-based column, with `line`."),
});
export type FieldError = z.infer<typeof FieldError>;

/** The REST error body, RFC 9457 `application/problem+json`. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(FieldError).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;
