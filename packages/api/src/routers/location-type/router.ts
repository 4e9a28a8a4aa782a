import { router } from "../../trpc";
import { createLocationType } from "./create-location-type";
import { listLocationTypes } from "./list-location-types";

export const locationTypeRouter = router({ list: listLocationTypes, create: createLocationType });
