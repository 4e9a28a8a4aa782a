import type { Metadata } from "next";
import { WindowDetailView } from "~/features/maintenance/window-page";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Maintenance window" };

export default async function WindowPage({ params }: { params: Promise<{ ref: string }> }) {
  const ref = decodeRef((await params).ref);
  return <WindowDetailView key={ref} windowRef={ref} />;
}
