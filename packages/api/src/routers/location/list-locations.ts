import { findLocations } from "@omniglass/gateway";
import { capability } from "../../trpc";
import { ListLocationsInput, ListLocationsOutput, listLocationsMeta } from "./list-locations.types";

export const listLocations = capability("location:read")
  .meta(listLocationsMeta)
  .input(ListLocationsInput)
  .output(ListLocationsOutput)
  .query(({ ctx, input }) => findLocations({ ...ctx.gw, input }));
