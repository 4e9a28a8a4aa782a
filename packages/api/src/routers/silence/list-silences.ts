import { ListSilencesInput, listOf, Silence } from "@omniglass/contracts";
import { findSilences as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/silences",
    tags: ["silences"],
    summary: "List silences",
    description:
      "Silences placed where you may read them (at their owner matcher; without one, platform-level: scope all), newest first by default; `state` is pending, active or expired; `q` searches the reason and the author. `idle` marks an active silence that matched nothing for a day.",
  },
};

export const listSilences = capability("silence:read")
  .meta(meta)
  .input(ListSilencesInput)
  .output(listOf(Silence))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
