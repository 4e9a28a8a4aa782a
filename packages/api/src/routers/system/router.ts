import { router } from "../../trpc";
import { createSystem } from "./create-system";
import { deleteSystem } from "./delete-system";
import { getSystem } from "./get-system";
import { listSystemTypes } from "./list-system-types";
import { listSystems } from "./list-systems";
import { updateSystem } from "./update-system";

export const systemRouter = router({
  list: listSystems,
  get: getSystem,
  create: createSystem,
  update: updateSystem,
  delete: deleteSystem,
  listTypes: listSystemTypes,
});
