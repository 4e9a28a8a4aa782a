import type { Metadata } from "next";
import { AssessmentButton } from "~/features/assessment/assessment-button";
import { SystemDetailView } from "~/features/systems/system-detail";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "System" };

export default async function SystemPage({ params }: { params: Promise<{ ref: string }> }) {
  const path = decodeRef((await params).ref);
  return (
    <SystemDetailView key={path} systemRef={path} assessment={<AssessmentButton scope={path} />} />
  );
}
