import { z } from "zod";
import { Ref } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const deleteLocationMeta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/locations/{ref}",
    tags: ["locations"],
    summary: "Delete a location",
    description: "Refused with 409 while it has children or is the scope of a grant.",
  },
};
export const DeleteLocationInput = z.object({ ref: Ref });
export const DeleteLocationOutput = z.object({ id: z.uuid(), deleted: z.literal(true) });
