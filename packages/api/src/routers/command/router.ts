import { router } from "../../trpc";
import { getBriefStatus } from "./get-brief-status";

export const commandRouter = router({ brief: getBriefStatus });
