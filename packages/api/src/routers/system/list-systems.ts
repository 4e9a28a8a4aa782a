import { ListSystemsInput, System, listOf } from "@omniglass/contracts";
import { findSystems } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/systems",
    tags: ["estate"],
    summary: "List systems you may read",
    description: `In path order by default; \`filter\` by \`location\` (placed in it or below) or \`type\`; \`q\` searches name and label; \`totalSize\` counts every match in your scope.`,
  },
};

export const listSystems = capability("system:read")
  .meta(meta)
  .input(ListSystemsInput)
  .output(listOf(System))
  .query(({ ctx, input }) => findSystems({ ...ctx.gw, input }));
