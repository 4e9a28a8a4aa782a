import { readSchedules } from "@omniglass/gateway";
import { capability } from "../../trpc";
import { ListSchedulesInput, ListSchedulesOutput, listSchedulesMeta } from "./list-schedules.types";

export const listSchedules = capability("node:read")
  .meta(listSchedulesMeta)
  .input(ListSchedulesInput)
  .output(ListSchedulesOutput)
  .query(({ ctx }) => readSchedules({ db: ctx.gw.db, actor: ctx.gw.actor }));
