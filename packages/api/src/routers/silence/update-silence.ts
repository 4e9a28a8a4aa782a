import { Silence, UpdateSilenceInput } from "@omniglass/contracts";
import { updateSilence as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/silences/{id}",
    tags: ["silences"],
    summary: "Change a silence",
    description:
      "Its reason, matchers or expiry (still at most the maximum away). An ended silence is 409: set a new one. A stale `version` is 409.",
  },
};

export const updateSilence = capability("silence:write")
  .meta(meta)
  .input(UpdateSilenceInput)
  .output(Silence)
  .mutation(({ ctx, input }) =>
    inGateway({ ...ctx.gw, input, limits: { maxMs: ctx.deps.silenceMaxMs } }),
  );
