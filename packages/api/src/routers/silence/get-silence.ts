import { z } from "zod";
import { Silence } from "@omniglass/contracts";
import { getSilence as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/silences/{id}",
    tags: ["silences"],
    summary: "Get a silence",
  },
};

export const getSilence = capability("silence:read")
  .meta(meta)
  .input(z.object({ id: z.uuid() }))
  .output(Silence)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, id: input.id }));
