import { router } from "../../trpc";
import { ownerHealth, ownerHealthHistory } from "../health/owner-health";
import { ownerSamples, ownerValues } from "../sample/owner-reads";
import { createLocation } from "./create-location";
import { deleteLocation } from "./delete-location";
import { getLocation } from "./get-location";
import { listLocations } from "./list-locations";
import { moveLocation } from "./move-location";
import { renameLocation } from "./rename-location";
import { updateLocation } from "./update-location";

export const locationRouter = router({
  list: listLocations,
  get: getLocation,
  create: createLocation,
  update: updateLocation,
  delete: deleteLocation,
  rename: renameLocation,
  move: moveLocation,
  values: ownerValues("location"),
  samples: ownerSamples("location"),
  health: ownerHealth("location"),
  healthHistory: ownerHealthHistory("location"),
});
