import { Delivery, ListDeliveriesInput, listOf } from "@omniglass/contracts";
import { findDeliveries as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/deliveries",
    tags: ["webhooks"],
    summary: "List deliveries",
    description:
      "The delivery log, newest first (kept 30 days): status (pending, delivered, failed, throttled, dead), attempts, the last status code, latency and at most 1 KB of the answer. Filter by `status`, `endpoint` (id or name), `alarm`, and creation time (`since` inclusive, `until` exclusive).",
  },
};

export const listDeliveries = capability("action:read")
  .meta(meta)
  .input(ListDeliveriesInput)
  .output(listOf(Delivery))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
