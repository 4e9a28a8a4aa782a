import { z } from "zod";
import { ListInput, listOf, LocationListItem, Ref } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const listLocationsMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/locations",
    tags: ["locations"],
    summary: "List locations",
    description: "Locations you may read, in path order (the tree in reading order).",
  },
};
export const ListLocationsInput = ListInput.extend({
  parent: Ref.optional().describe("Only the children of this location; `root` for the top level."),
  q: z.string().max(200).optional().describe("Name, label or path contains this text."),
});
export const ListLocationsOutput = listOf(LocationListItem);
