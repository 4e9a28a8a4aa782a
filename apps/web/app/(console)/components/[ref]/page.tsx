import type { Metadata } from "next";
import { ComponentDetailView } from "~/features/components/component-detail";
import { ComponentTelemetry } from "~/features/telemetry/live-values";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Component" };

export default async function ComponentPage({ params }: { params: Promise<{ ref: string }> }) {
  const path = decodeRef((await params).ref);
  return (
    <ComponentDetailView
      key={path}
      componentRef={path}
      telemetry={<ComponentTelemetry componentRef={path} />}
    />
  );
}
