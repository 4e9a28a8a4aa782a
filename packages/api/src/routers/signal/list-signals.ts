import { ListSignalsInput, Signal, listOf } from "@omniglass/contracts";
import { findSignals } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/signals",
    tags: ["catalog"],
    summary: "List the signal catalog",
    description: `Metrics and properties share one namespace; \`filter\` by \`lane\`.`,
  },
};

export const listSignals = capability("signal:read")
  .meta(meta)
  .input(ListSignalsInput)
  .output(listOf(Signal))
  .query(({ ctx, input }) => findSignals({ ...ctx.gw, input }));
