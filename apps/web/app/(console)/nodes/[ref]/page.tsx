import type { Metadata } from "next";
import { NodeDetailView } from "~/features/nodes/node-detail";
import { NodeRejections } from "~/features/telemetry/rejections";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Node" };

export default async function NodePage({ params }: { params: Promise<{ ref: string }> }) {
  const name = decodeRef((await params).ref);
  return (
    <NodeDetailView key={name} nodeRef={name} rejections={<NodeRejections nodeRef={name} />} />
  );
}
