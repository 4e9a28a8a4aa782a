import { SetTagInput, Tag } from "@omniglass/contracts";
import { setBinding } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PUT",
    path: "/tags",
    tags: ["tags"],
    summary: "Set a tag on a target",
    description:
      "Creates the tag or replaces its value (a string of at most 200 characters). Needs tag:update in the target's scope; the platform needs it on scope all. The same value again changes nothing. Send `version` to be refused with 409 if it changed since.",
  },
};

export const setTag = capability("tag:update")
  .meta(meta)
  .input(SetTagInput)
  .output(Tag)
  .mutation(({ ctx, input }) => setBinding({ ...ctx.gw, kind: "tag", input }));
