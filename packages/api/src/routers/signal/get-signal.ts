import { z } from "zod";
import { Name, Signal } from "@omniglass/contracts";
import { getSignal as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/signals/{name}",
    tags: ["catalog"],
    summary: "Get a signal",
  },
};

export const getSignal = capability("signal:read")
  .meta(meta)
  .input(z.object({ name: Name }))
  .output(Signal)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, name: input.name }));
