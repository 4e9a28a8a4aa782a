import { z } from "zod";
import { DeleteBindingInput } from "@omniglass/contracts";
import { deleteBinding } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/variables",
    tags: ["variables"],
    summary: "Remove a variable from a target",
    description:
      "`target` and `key` as query parameters. Needs variable:delete in the target's scope; 404 when the key is not set on that target.",
  },
};

export const deleteVariable = capability("variable:delete")
  .meta(meta)
  .input(DeleteBindingInput)
  .output(z.object({ id: z.uuid(), deleted: z.literal(true) }))
  .mutation(({ ctx, input }) => deleteBinding({ ...ctx.gw, kind: "variable", input }));
