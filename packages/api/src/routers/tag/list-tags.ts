import { ListBindingsInput, listOf, Tag } from "@omniglass/contracts";
import { findBindings } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/tags",
    tags: ["tags"],
    summary: "List tags set directly on a target, or all you may read",
    description:
      "With `target` (`platform`, `location.<ref>`, `system.<ref>`, `component.<ref>`): the tags set on it, not inherited ones (see /tags/explain). Without: every tag you may read, by key.",
  },
};

export const listTags = capability("tag:read")
  .meta(meta)
  .input(ListBindingsInput)
  .output(listOf(Tag))
  .query(({ ctx, input }) => findBindings({ ...ctx.gw, kind: "tag", input }));
