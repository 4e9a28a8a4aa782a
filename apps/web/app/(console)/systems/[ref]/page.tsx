import type { Metadata } from "next";
import { decodeRef } from "~/console/refs";
import { SystemDetailView } from "~/console/system-detail";

export const metadata: Metadata = { title: "System" };

export default async function SystemPage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  const path = decodeRef(ref);
  return <SystemDetailView key={path} systemRef={path} />;
}
