import { router } from "../../trpc";
import { listWorkers } from "./list-workers";

export const workerRouter = router({ list: listWorkers });
