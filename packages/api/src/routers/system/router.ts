import { router } from "../../trpc";
import { ownerHealth, ownerHealthHistory } from "../health/owner-health";
import { ownerSamples, ownerValues } from "../sample/owner-reads";
import { addMember } from "./add-member";
import { createRole } from "./create-role";
import { createSystem } from "./create-system";
import { createSystemType } from "./create-system-type";
import { deleteRole } from "./delete-role";
import { deleteSystem } from "./delete-system";
import { deleteSystemType } from "./delete-system-type";
import { getSystem } from "./get-system";
import { listMembers } from "./list-members";
import { listRoles } from "./list-roles";
import { listSystemTypes } from "./list-system-types";
import { listSystems } from "./list-systems";
import { moveSystem } from "./move-system";
import { removeMember } from "./remove-member";
import { renameSystem } from "./rename-system";
import { updateMember } from "./update-member";
import { updateRole } from "./update-role";
import { updateSystem } from "./update-system";

export const systemRouter = router({
  list: listSystems,
  get: getSystem,
  create: createSystem,
  update: updateSystem,
  delete: deleteSystem,
  rename: renameSystem,
  move: moveSystem,
  listTypes: listSystemTypes,
  createType: createSystemType,
  deleteType: deleteSystemType,
  listMembers,
  addMember,
  updateMember,
  removeMember,
  listRoles,
  createRole,
  updateRole,
  deleteRole,
  values: ownerValues("system"),
  samples: ownerSamples("system"),
  health: ownerHealth("system"),
  healthHistory: ownerHealthHistory("system"),
});
