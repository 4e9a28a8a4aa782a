import { router } from "../../trpc";
import { listCollectors } from "./list-collectors";
import { listSchedules } from "./list-schedules";

export const operationsRouter = router({ collectors: listCollectors, schedules: listSchedules });
