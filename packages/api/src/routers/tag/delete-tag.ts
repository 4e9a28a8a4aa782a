import { z } from "zod";
import { DeleteBindingInput } from "@omniglass/contracts";
import { deleteBinding } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/tags",
    tags: ["tags"],
    summary: "Remove a tag from a target",
    description:
      "`target` and `key` as query parameters. Needs tag:delete in the target's scope; 404 when the key is not set on that target.",
  },
};

export const deleteTag = capability("tag:delete")
  .meta(meta)
  .input(DeleteBindingInput)
  .output(z.object({ id: z.uuid(), deleted: z.literal(true) }))
  .mutation(({ ctx, input }) => deleteBinding({ ...ctx.gw, kind: "tag", input }));
