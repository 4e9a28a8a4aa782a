import { updateLocation as updateLocationInGateway } from "@omniglass/gateway";
import { capability } from "../../trpc";
import {
  UpdateLocationInput,
  UpdateLocationOutput,
  updateLocationMeta,
} from "./update-location.types";

export const updateLocation = capability("location:update")
  .meta(updateLocationMeta)
  .input(UpdateLocationInput)
  .output(UpdateLocationOutput)
  .mutation(({ ctx, input }) => updateLocationInGateway({ ...ctx.gw, input }));
