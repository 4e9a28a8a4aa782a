import type { Metadata } from "next";
import { LocationTree } from "~/console/location-tree";

export const metadata: Metadata = { title: "Locations" };

export default function LocationsPage() {
  return <LocationTree />;
}
