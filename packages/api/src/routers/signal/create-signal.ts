import { Signal, SignalDefinition } from "@omniglass/contracts";
import { createSignal as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/signals",
    tags: ["catalog"],
    summary: "Register a signal",
    description: `Platform-wide: needs signal:create on scope all. 409 when the name is taken in either lane.`,
  },
};

export const createSignal = capability("signal:create")
  .meta(meta)
  .input(SignalDefinition)
  .output(Signal)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
