import { z } from "zod";
import { Ref } from "@omniglass/contracts";
import { listComponentRejections } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";
import { RejectionCounts } from "../sample/owner-reads";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/components/{ref}/rejections",
    tags: ["telemetry"],
    summary: "Samples rejected for a component",
    description:
      "Counts by source (node or pushing principal), signal and reason, with the last detail, newest first (at most 200).",
  },
};

export const listRejections = capability("component:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(RejectionCounts)
  .query(({ ctx, input }) => listComponentRejections({ ...ctx.gw, ref: input.ref }));
