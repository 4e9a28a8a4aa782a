import type { Metadata } from "next";
import { ComponentDetailView } from "~/console/component-detail";
import { decodeRef } from "~/console/refs";

export const metadata: Metadata = { title: "Component" };

export default async function ComponentPage({ params }: { params: Promise<{ ref: string }> }) {
  const { ref } = await params;
  const path = decodeRef(ref);
  return <ComponentDetailView key={path} componentRef={path} />;
}
