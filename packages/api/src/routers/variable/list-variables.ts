import { ListBindingsInput, listOf, Variable } from "@omniglass/contracts";
import { findBindings } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/variables",
    tags: ["variables"],
    summary: "List variables set directly on a target, or all you may read",
    description:
      "With `target` (`platform`, `location.<ref>`, `system.<ref>`, `component.<ref>`): the variables set on it, not inherited ones (see /variables/explain). Without: every variable you may read, by key.",
  },
};

export const listVariables = capability("variable:read")
  .meta(meta)
  .input(ListBindingsInput)
  .output(listOf(Variable))
  .query(({ ctx, input }) => findBindings({ ...ctx.gw, kind: "variable", input }));
