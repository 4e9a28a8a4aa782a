import { deleteLocation as deleteLocationInGateway } from "@omniglass/gateway";
import { capability } from "../../trpc";
import {
  DeleteLocationInput,
  DeleteLocationOutput,
  deleteLocationMeta,
} from "./delete-location.types";

export const deleteLocation = capability("location:delete")
  .meta(deleteLocationMeta)
  .input(DeleteLocationInput)
  .output(DeleteLocationOutput)
  .mutation(({ ctx, input }) => deleteLocationInGateway({ ...ctx.gw, ref: input.ref }));
