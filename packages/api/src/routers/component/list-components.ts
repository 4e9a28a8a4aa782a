import { Component, ListComponentsInput, listOf } from "@omniglass/contracts";
import { findComponents } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/components",
    tags: ["estate"],
    summary: "List components you may read",
    description: `In path order by default; \`filter\` by \`location\`, \`system\`, \`template\`, \`kind\` or \`node\`; \`q\` searches name and label; \`totalSize\` counts every match in your scope.`,
  },
};

export const listComponents = capability("component:read")
  .meta(meta)
  .input(ListComponentsInput)
  .output(listOf(Component))
  .query(({ ctx, input }) => findComponents({ ...ctx.gw, input }));
