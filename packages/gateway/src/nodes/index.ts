export { createNode } from "./create-node";
export { deleteNode } from "./delete-node";
export { findNodes, getNode } from "./find-nodes";
export { issueEnrollment, moveNode, updateNode } from "./update-node";
