import type { Metadata } from "next";
import { NodeDetailView } from "~/console/node-detail";
import { decodeRef } from "~/console/refs";

export const metadata: Metadata = { title: "Node" };

export default async function NodePage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  const name = decodeRef(ref);
  return <NodeDetailView key={name} nodeRef={name} />;
}
