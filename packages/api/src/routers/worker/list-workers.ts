import { listWorkers as listWorkersInGateway } from "@omniglass/gateway";
import { publicProcedure } from "../../trpc";
import { ListWorkersInput, ListWorkersOutput, listWorkersMeta } from "./list-workers.types";

export const listWorkers = publicProcedure
  .meta(listWorkersMeta)
  .input(ListWorkersInput)
  .output(ListWorkersOutput)
  .query(({ ctx, input }) => listWorkersInGateway({ db: ctx.deps.db, meta: ctx.meta, input }));
