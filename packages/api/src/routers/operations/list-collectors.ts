import { readCollectors } from "@omniglass/gateway";
import { capability } from "../../trpc";
import {
  ListCollectorsInput,
  ListCollectorsOutput,
  listCollectorsMeta,
} from "./list-collectors.types";

export const listCollectors = capability("node:read")
  .meta(listCollectorsMeta)
  .input(ListCollectorsInput)
  .output(ListCollectorsOutput)
  .query(({ ctx }) => readCollectors({ db: ctx.gw.db, actor: ctx.gw.actor }));
