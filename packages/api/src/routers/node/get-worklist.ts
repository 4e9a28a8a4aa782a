import { z } from "zod";
import { Worklist } from "@omniglass/contracts";
import { getWorklist as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/nodes/self/worklist",
    tags: ["nodes"],
    summary: "The calling node's worklist",
    description:
      "Needs node:poll and the caller must be a node (403 otherwise). Every component interface naming the node, with the template's interface and functions, host and port, and the credentials the interface names (decrypted for this node only: never logged, never shown elsewhere). `etag` (also the ETag header) changes whenever the worklist does; the answer is `Cache-Control: no-store`.",
  },
};

export const getWorklist = capability("node:poll")
  .meta(meta)
  .input(z.object({}))
  .output(Worklist)
  .query(async ({ ctx }) => {
    const worklist = await inGateway({
      ...ctx.gw,
      secretKey: ctx.deps.secretKey,
    });
    ctx.responseHeaders.set("etag", `"${worklist.etag}"`);
    // It carries credentials: no shared cache may keep it.
    ctx.responseHeaders.set("cache-control", "no-store");
    return worklist;
  });
