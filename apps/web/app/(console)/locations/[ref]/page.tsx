import type { Metadata } from "next";
import { AssessmentButton } from "~/features/assessment/assessment-button";
import { LocationDetailView } from "~/features/locations/location-detail";
import { LocationValues } from "~/features/telemetry/live-values";
import { decodeRef } from "~/ui/refs";

export const metadata: Metadata = { title: "Location" };

export default async function LocationPage({ params }: { params: Promise<{ ref: string }> }) {
  const path = decodeRef((await params).ref);
  return (
    <LocationDetailView
      key={path}
      locationRef={path}
      values={<LocationValues locationRef={path} />}
      assessment={<AssessmentButton scope={path} />}
    />
  );
}
