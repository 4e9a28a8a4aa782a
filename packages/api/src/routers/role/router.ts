import { router } from "../../trpc";
import { listRoles } from "./list-roles";

export const roleRouter = router({ list: listRoles });
