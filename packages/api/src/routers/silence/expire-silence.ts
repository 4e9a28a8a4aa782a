import { ExpireSilenceInput, Silence } from "@omniglass/contracts";
import { expireSilence as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/silences/{id}/expire",
    tags: ["silences"],
    summary: "End a silence now",
    description:
      "Who ended it and when are kept (`expiredEarly`). Ending an ended silence changes nothing.",
  },
};

export const expireSilence = capability("silence:write")
  .meta(meta)
  .input(ExpireSilenceInput)
  .output(Silence)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
