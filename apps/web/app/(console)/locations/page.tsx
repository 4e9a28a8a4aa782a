import type { Metadata } from "next";
import { LocationTree } from "~/features/locations/location-tree";

export const metadata: Metadata = { title: "Locations" };

export default function LocationsPage() {
  return <LocationTree />;
}
