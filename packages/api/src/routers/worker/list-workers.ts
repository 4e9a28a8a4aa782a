import { listWorkers as listWorkersInGateway } from "@omniglass/gateway";
import { capability } from "../../trpc";
import { ListWorkersInput, ListWorkersOutput, listWorkersMeta } from "./list-workers.types";

export const listWorkers = capability("worker:read")
  .meta(listWorkersMeta)
  .input(ListWorkersInput)
  .output(ListWorkersOutput)
  .query(({ ctx, input }) => listWorkersInGateway({ ...ctx.gw, input }));
