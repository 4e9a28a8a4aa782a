import { router } from "../../trpc";
import { createNode } from "./create-node";
import { deleteNode } from "./delete-node";
import { enrollNode } from "./enroll-node";
import { getNode } from "./get-node";
import { getWorklist } from "./get-worklist";
import { issueEnrollment } from "./issue-enrollment";
import { listNodes } from "./list-nodes";
import { listRejections } from "./list-rejections";
import { moveNode } from "./move-node";
import { updateNode } from "./update-node";

export const nodeRouter = router({
  list: listNodes,
  get: getNode,
  create: createNode,
  update: updateNode,
  move: moveNode,
  issueEnrollment,
  delete: deleteNode,
  enroll: enrollNode,
  worklist: getWorklist,
  rejections: listRejections,
});
