import { router } from "../../trpc";
import { getHealth } from "./get-health";
import { getStatus } from "./get-status";

export const platformRouter = router({ getHealth, getStatus });
