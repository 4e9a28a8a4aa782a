import { ListNodesInput, listOf, Node } from "@omniglass/contracts";
import { findNodes } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/nodes",
    tags: ["nodes"],
    summary: "List nodes you may read",
    description:
      "In name order by default; `filter=location=<ref>` keeps the nodes placed in that location or below; `q` searches name and label; `totalSize` counts every match in your scope.",
  },
};

export const listNodes = capability("node:read")
  .meta(meta)
  .input(ListNodesInput)
  .output(listOf(Node))
  .query(({ ctx, input }) => findNodes({ ...ctx.gw, input }));
