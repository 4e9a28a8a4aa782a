import type { Metadata } from "next";
import { NodeList } from "~/console/nodes";

export const metadata: Metadata = { title: "Nodes" };

export default function NodesPage() {
  return <NodeList />;
}
