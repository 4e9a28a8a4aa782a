import { z } from "zod";
import { Ref } from "@omniglass/contracts";
import { listNodeRejections } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { RejectionCounts } from "../sample/owner-reads";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/nodes/{ref}/rejections",
    tags: ["telemetry"],
    summary: "Samples rejected from a node",
    description:
      "Counts by component, signal and reason, with the last detail, newest first (at most 200).",
  },
};

export const listRejections = capability("node:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(RejectionCounts)
  .query(({ ctx, input }) => listNodeRejections({ ...ctx.gw, ref: input.ref }));
