import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@omniglass/api";

/**
 * What each procedure answers, as the typed client sees it (the wire type: a zod `unknown` field
 * is optional here, where the contract's `z.infer` makes it required).
 */
export type ApiOutputs = inferRouterOutputs<AppRouter>;
